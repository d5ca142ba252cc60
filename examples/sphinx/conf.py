# Sphinx configuration for the vfio-kvm-explorer recipe (the kernel's documentation is built with Sphinx).
# Build:  sphinx-build -W -b html . _build/html      (and -b latex, -b text, -b epub: the figure instead)
import os
import sys

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
# The directive: `pip install -e integrations/sphinx` (add --no-build-isolation without PyPI), or by path:
sys.path.insert(0, os.path.join(REPO, "integrations", "sphinx"))

project = "vfio-kvm-explorer in Sphinx"
author = "vfio-kvm-explorer"
extensions = ["vfio_kvm_explorer_sphinx"]
exclude_patterns = ["_build", "README.md"]
html_theme = "alabaster"

# The one place for the explorer's address: where its build (dist/) is served.
# Locally, `npm run build && npm run preview` in the explorer serves it at http://127.0.0.1:4173.
vfio_kvm_explorer_url = "http://127.0.0.1:4173"
# How to run `vfio-kvm render` for the figure that PDF, EPUB and text builds get instead of the iframe.
vfio_kvm_explorer_render = ["node", os.path.join(REPO, "bin", "vfio-kvm.mjs")]
# alabaster is light only: keep the explorer light when the reader's system is dark (the default).
vfio_kvm_explorer_theme = "light"
