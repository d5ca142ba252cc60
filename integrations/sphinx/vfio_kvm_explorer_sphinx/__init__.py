"""vfio-kvm-explorer in Sphinx.

    .. vfio-kvm-explorer:: del-while-open
       :era: before
       :step: 50
       :height: 1000

       Optional caption.

HTML builders get the explorer (``embed.html`` in an iframe, sized to its
content by one small script per page); every other builder gets the figure
that ``vfio-kvm render`` draws for the same moment: the SVG as it is where the
builder takes SVG, converted to PDF for LaTeX by ``rsvg-convert`` (or to PNG
by ``sphinx.ext.imgconverter``), and its alt text where there are no images
(text, man).

Configuration (conf.py):

``vfio_kvm_explorer_url``
    Where the explorer's build (its ``dist/``) is served: the one place to
    set its address.
``vfio_kvm_explorer_render``
    The command that runs the CLI, as a list (default ``["vfio-kvm"]``; from
    a checkout: ``["node", "/path/to/vfio-kvm-explorer/bin/vfio-kvm.mjs"]``).
    ``None``: no figures (HTML only).
``vfio_kvm_explorer_theme``
    ``light`` (default), ``dark`` or ``auto``. Most Sphinx themes are light
    only, so the explorer does not follow the reader's system unless asked.
``vfio_kvm_explorer_height``
    The iframe's height before the explorer reports its own (px).
``vfio_kvm_explorer_rsvg``
    The ``rsvg-convert`` command for SVG to PDF (LaTeX); ``None`` to skip it.
"""

import hashlib
import html
import os
import re
import shutil
import subprocess
from typing import Any, Dict, List, Optional
from urllib.parse import urlencode

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.application import Sphinx
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

__version__ = "0.1.0"

logger = logging.getLogger(__name__)

SCRIPT = "vfio-kvm-explorer.js"
ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")
ERA = re.compile(r"^[A-Za-z0-9][A-Za-z0-9.-]{0,39}$")
SCHEDULE = re.compile(r"^[A-Za-z0-9_-]{1,32}(,[A-Za-z0-9_-]{1,32}){0,999}$")
THEMES = ("light", "dark", "auto")


class vfio_kvm_explorer(nodes.General, nodes.Element):
    """One explorer: an iframe in HTML, a figure elsewhere."""


def _pattern(regex: "re.Pattern[str]", what: str):
    def check(value: Optional[str]) -> str:
        v = directives.unchanged_required(value).strip()
        if not regex.match(v):
            raise ValueError(f"not a valid {what}: {v[:60]!r}")
        return v

    return check


def _theme(value: Optional[str]) -> str:
    return directives.choice(value, THEMES)


def _height(value: Optional[str]) -> int:
    n = directives.positive_int(value)
    if not 100 <= n <= 5000:
        raise ValueError(f"expected 100 to 5000 (px), got {n}")
    return n


class ExplorerDirective(SphinxDirective):
    required_arguments = 1
    optional_arguments = 0
    has_content = True
    option_spec = {
        "era": _pattern(ERA, "era (an era id or a commit id)"),
        "step": directives.nonnegative_int,
        "schedule": _pattern(SCHEDULE, "schedule (thread names separated by commas)"),
        "theme": _theme,
        "height": _height,
        "alt": directives.unchanged_required,
        "title": directives.unchanged_required,
    }

    def run(self) -> List[nodes.Node]:
        scenario = self.arguments[0].strip()
        if not ID.match(scenario):
            raise self.error(f"vfio-kvm-explorer: not a scenario id: {scenario[:60]!r}")
        config = self.config
        base = (config.vfio_kvm_explorer_url or "").strip().rstrip("/")
        if not re.match(r"^https?://[^\s\"'<>]+$", base):
            raise self.error(
                "vfio-kvm-explorer: set vfio_kvm_explorer_url in conf.py to where the explorer's "
                f"dist/ is served (http:// or https://), got {base[:80]!r}"
            )
        theme = self.options.get("theme", config.vfio_kvm_explorer_theme)
        if theme not in THEMES:
            raise self.error(f"vfio_kvm_explorer_theme must be one of {', '.join(THEMES)}, got {theme!r}")
        moment = [("scenario", scenario)]
        for key in ("era", "step", "schedule"):
            if key in self.options:
                moment.append((key, str(self.options[key])))
        query = moment + ([("theme", theme)] if theme != "auto" else []) + [("v", "1")]

        node = vfio_kvm_explorer()
        node["src"] = f"{base}/embed.html?{urlencode(query)}"
        node["height"] = self.options.get("height", config.vfio_kvm_explorer_height)
        node["title"] = self.options.get("title") or "vfio-kvm-explorer: " + scenario + "".join(
            f", {k} {v}" for k, v in moment[1:]
        )
        figure = self._render(moment, "dark" if theme == "dark" else "light")
        node["svg"] = figure["path"] if figure else ""
        node["alt"] = self.options.get("alt") or (figure["alt"] if figure else node["title"])
        self.set_source_info(node)
        if self.content:
            caption = nodes.caption()
            self.state.nested_parse(self.content, self.content_offset, caption)
            # A caption is inline text: keep the paragraph's children.
            para = caption.next_node(nodes.paragraph)
            if para is not None:
                caption.children = para.children
            node += caption
        return [node]

    def _render(self, moment, theme: str) -> Optional[Dict[str, str]]:
        """`vfio-kvm render` for this moment, once per build: the SVG's path and its alt text."""
        command = self.config.vfio_kvm_explorer_render
        if not command:
            return None
        args = [moment[0][1]]
        for key, value in moment[1:]:
            args += [f"--{key}", value]
        args += ["--theme", theme]
        key = hashlib.sha1("\0".join(args).encode()).hexdigest()[:12]
        out = os.path.join(self.env.doctreedir, "vfio-kvm-explorer", f"{moment[0][1]}-{key}.svg")
        done = _rendered(self.env.app)
        if out not in done:
            os.makedirs(os.path.dirname(out), exist_ok=True)
            argv = list(command) + ["render"] + args + ["--out", out]
            try:
                r = subprocess.run(argv, capture_output=True, text=True, timeout=120, cwd=self.env.srcdir)
            except (OSError, subprocess.TimeoutExpired) as e:
                logger.warning(
                    "vfio-kvm-explorer: could not run %s (%s): non-HTML builders get no figure; "
                    "set vfio_kvm_explorer_render in conf.py",
                    " ".join(argv[:2]),
                    e,
                    location=self.get_location(),
                    type="vfio-kvm-explorer",
                    subtype="render",
                )
                return None
            if r.returncode != 0:
                raise self.error(f"vfio-kvm-explorer: vfio-kvm render failed: {r.stderr.strip()[:500]}")
            done[out] = _alt_text(out)
        return {"path": out, "alt": done[out]}


def _rendered(app: Sphinx) -> Dict[str, str]:
    """The figures rendered in this build (path -> alt text): each moment once."""
    if not hasattr(app, "vfio_kvm_explorer_rendered"):
        app.vfio_kvm_explorer_rendered = {}  # type: ignore[attr-defined]
    return app.vfio_kvm_explorer_rendered  # type: ignore[attr-defined]


def _alt_text(svg_path: str) -> str:
    """The SVG's own <title> and <desc>: what the figure shows, in words."""
    with open(svg_path, encoding="utf-8") as f:
        svg = f.read()
    parts = []
    for tag in ("title", "desc"):
        m = re.search(rf"<{tag}\b[^>]*>(.*?)</{tag}>", svg, re.S)
        if m:
            parts.append(html.unescape(re.sub(r"<[^>]+>", "", m.group(1))).strip())
    return ". ".join(p.rstrip(".") for p in parts if p) + "."


def visit_html(self, node: vfio_kvm_explorer) -> None:
    self.body.append(
        '<figure class="vfio-kvm-explorer">'
        f'<iframe class="vfio-kvm-explorer" src="{html.escape(node["src"])}" '
        f'title="{html.escape(node["title"])}" width="100%" height="{int(node["height"])}" '
        'loading="lazy" style="border:0;display:block;width:100%"></iframe>'
    )
    caption = node.next_node(nodes.caption)
    if caption is not None:
        self.body.append("<figcaption>")
        for child in caption.children:
            child.walkabout(self)
        self.body.append("</figcaption>")
    self.body.append("</figure>\n")
    raise nodes.SkipNode


class ToFigure(SphinxPostTransform):
    """Every builder but HTML: the explorer becomes the figure of the same moment."""

    default_priority = 5  # before sphinx.ext.imgconverter (10), which may convert the SVG to PNG

    def run(self, **kwargs: Any) -> None:
        for node in list(self.document.findall(vfio_kvm_explorer)):
            if self.app.builder.format == "html":
                continue
            node.replace_self(self._figure(node))

    def _figure(self, node: vfio_kvm_explorer) -> nodes.Node:
        caption = node.next_node(nodes.caption)
        svg = node["svg"]
        supported = self.app.builder.supported_image_types
        if not svg:
            return nodes.paragraph("", node["alt"])
        image = nodes.image(uri=svg, alt=node["alt"], candidates={"image/svg+xml": svg})
        if not supported:
            # Text, man: no images; the writer shows the alt text.
            image["candidates"] = {"*": svg}
        elif "image/svg+xml" not in supported:
            pdf = self._pdf(svg) if "application/pdf" in supported else None
            if pdf:
                image["uri"] = pdf
                image["candidates"] = {"application/pdf": pdf}
            elif "sphinx.ext.imgconverter" not in self.app.extensions:
                logger.warning(
                    "vfio-kvm-explorer: the %s builder takes no SVG and nothing converts it: install "
                    "rsvg-convert (Debian: librsvg2-bin) or add sphinx.ext.imgconverter (ImageMagick) to "
                    "extensions; the figure is left out",
                    self.app.builder.name,
                    location=node,
                    type="vfio-kvm-explorer",
                    subtype="convert",
                )
                return nodes.paragraph("", node["alt"])
        self.env.images.add_file(self.env.docname, image["uri"])
        figure = nodes.figure("", image, classes=["vfio-kvm-explorer"])
        figure["align"] = "center"
        if caption is not None:
            figure += caption.deepcopy()
        figure.source, figure.line = node.source, node.line
        return figure

    def _pdf(self, svg: str) -> Optional[str]:
        rsvg = self.config.vfio_kvm_explorer_rsvg
        exe = shutil.which(rsvg) if rsvg else None
        if not exe:
            return None
        pdf = svg[: -len(".svg")] + ".pdf"
        if not os.path.exists(pdf) or os.path.getmtime(pdf) < os.path.getmtime(svg):
            r = subprocess.run([exe, "-f", "pdf", "-o", pdf, svg], capture_output=True, text=True)
            if r.returncode != 0:
                logger.warning(
                    "vfio-kvm-explorer: %s failed: %s", rsvg, r.stderr.strip()[:300], type="vfio-kvm-explorer"
                )
                return None
        return pdf


def add_script(app: Sphinx, pagename: str, templatename: str, context: Dict[str, Any], doctree) -> None:
    """The resize script, once, on the pages that have an explorer."""
    if app.builder.format == "html" and doctree is not None and doctree.next_node(vfio_kvm_explorer):
        app.add_js_file(SCRIPT)


def add_static(app: Sphinx) -> None:
    if app.builder.format == "html":
        app.config.html_static_path.append(os.path.join(os.path.dirname(__file__), "static"))


def setup(app: Sphinx) -> Dict[str, Any]:
    app.add_config_value("vfio_kvm_explorer_url", "http://127.0.0.1:4173", "env", [str])
    app.add_config_value("vfio_kvm_explorer_render", ["vfio-kvm"], "env", [list, type(None)])
    app.add_config_value("vfio_kvm_explorer_theme", "light", "env", [str])
    app.add_config_value("vfio_kvm_explorer_height", 960, "env", [int])
    app.add_config_value("vfio_kvm_explorer_rsvg", "rsvg-convert", "env", [str, type(None)])
    app.add_node(vfio_kvm_explorer, html=(visit_html, None))
    app.add_directive("vfio-kvm-explorer", ExplorerDirective)
    app.add_post_transform(ToFigure)
    app.connect("builder-inited", add_static)
    app.connect("html-page-context", add_script)
    return {"version": __version__, "parallel_read_safe": True, "parallel_write_safe": True}
