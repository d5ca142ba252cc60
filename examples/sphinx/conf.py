# Sphinx configuration for the vfio-kvm-explorer recipe (the kernel's docs are built with Sphinx).
# Build:  sphinx-build -W -b html . _build/html
project = "vfio-kvm-explorer in Sphinx"
author = "vfio-kvm-explorer"
extensions = []
exclude_patterns = ["_build", "README.md"]
html_theme = "alabaster"
# Where the explorer's build (dist/) is served; the raw HTML in index.rst uses it.
# Locally: `npm run build && npm run preview` serves it at http://127.0.0.1:4173.
