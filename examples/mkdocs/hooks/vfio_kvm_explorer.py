"""MkDocs hook (MkDocs >= 1.4, `hooks:` in mkdocs.yml) for vfio-kvm-explorer.

A page writes the explorer as an iframe whose src is relative to the explorer:

    <iframe class="vfio-kvm-explorer" src="embed.html?scenario=del-while-open&amp;era=before&amp;step=50&amp;v=1"
            title="…"></iframe>

and this hook puts the address from `extra.vfio_kvm_explorer` in front of it
(the one place to set it), with the iframe's defaults: full width, no border,
lazy loading, and a height until the explorer reports its own.
"""

import html
import re

IFRAME = re.compile(r'<iframe\b([^>]*\bclass="vfio-kvm-explorer"[^>]*)>', re.S)
SRC = re.compile(r'\bsrc="(embed\.html\?[^"]*)"')


def on_page_content(content, page, config, files):
    base = str(config["extra"].get("vfio_kvm_explorer") or "").rstrip("/")
    if not re.match(r"^https?://[^\s\"'<>]+$", base):
        raise ValueError(f"extra.vfio_kvm_explorer in mkdocs.yml must be the explorer's http(s) address, got {base!r}")

    def expand(m):
        attrs = m.group(1)
        attrs = SRC.sub(lambda s: f'src="{html.escape(base, quote=True)}/{s.group(1)}"', attrs)
        for name, value in (("width", "100%"), ("height", "960"), ("loading", "lazy"), ("style", "border:0")):
            if not re.search(rf"\b{name}=", attrs):
                attrs += f' {name}="{value}"'
        return f"<iframe{attrs}>"

    return IFRAME.sub(expand, content)
