# The directive's test project, built by e2e/examples-sphinx.spec.ts (HTML, LaTeX, text).
import os
import sys

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", "..", ".."))
sys.path.insert(0, os.path.join(REPO, "integrations", "sphinx"))

project = "vfio-kvm-explorer directive tests"
extensions = ["vfio_kvm_explorer_sphinx"]
html_theme = "alabaster"
vfio_kvm_explorer_url = "http://127.0.0.1:4173/"
vfio_kvm_explorer_render = ["node", os.path.join(REPO, "bin", "vfio-kvm.mjs")]
