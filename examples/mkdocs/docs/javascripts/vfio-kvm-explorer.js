/*
 * vfio-kvm-explorer in Material for MkDocs (extra_javascript).
 *
 * Material's instant navigation swaps the page without a reload, so the
 * per-page part subscribes to `document$` (it emits for the first page and
 * for every page after); the window-level listeners are installed once.
 *
 * - sizes every <iframe class="vfio-kvm-explorer"> to the height its explorer
 *   reports (a message from that iframe, and from the origin of its src);
 * - passes Material's colour scheme (body[data-md-color-scheme]: default or
 *   slate) to each explorer with the theme message: once the iframe has loaded
 *   (before that its window is about:blank, and a message to it is dropped with
 *   a console warning), and whenever the reader switches.
 *
 * The explorer's address is not needed here: each iframe's src has it (set by
 * hooks/vfio_kvm_explorer.py from extra.vfio_kvm_explorer in mkdocs.yml).
 */
(function () {
  function frames() {
    return document.querySelectorAll('iframe.vfio-kvm-explorer');
  }
  function origin(frame) {
    try {
      return new URL(frame.src, location.href).origin;
    } catch {
      return null;
    }
  }
  function theme() {
    return document.body.getAttribute('data-md-color-scheme') === 'slate' ? 'dark' : 'light';
  }
  function sendTheme(frame) {
    var o = origin(frame);
    if (!frame.contentWindow || !o || frame.dataset.vfioKvmExplorer !== 'loaded') return;
    frame.contentWindow.postMessage({ type: 'vfio-kvm-explorer:theme', theme: theme() }, o);
  }
  function loaded(frame) {
    if (frame.dataset.vfioKvmExplorer === 'loaded') return;
    frame.dataset.vfioKvmExplorer = 'loaded';
    sendTheme(frame);
  }

  if (!window.vfioKvmExplorerMkdocs) {
    window.vfioKvmExplorerMkdocs = true;
    window.addEventListener('message', function (e) {
      var d = e.data;
      if (!d || typeof d !== 'object' || d.type !== 'vfio-kvm-explorer:resize') return;
      if (typeof d.height !== 'number' || !(d.height > 0 && d.height < 20000)) return;
      frames().forEach(function (f) {
        if (f.contentWindow !== e.source || origin(f) !== e.origin) return;
        f.style.height = Math.ceil(d.height) + 'px';
        // It reports its height once it runs: it has loaded, even if its load event came before this script.
        loaded(f);
      });
    });
    new MutationObserver(function () {
      frames().forEach(sendTheme);
    }).observe(document.body, { attributes: true, attributeFilter: ['data-md-color-scheme'] });
  }

  function init() {
    frames().forEach(function (f) {
      if (f.dataset.vfioKvmExplorer) return;
      f.dataset.vfioKvmExplorer = 'waiting';
      f.addEventListener('load', function () {
        loaded(f);
      });
    });
  }

  // Material for MkDocs: document$ (an RxJS observable) emits on every page; elsewhere, run once.
  if (window.document$ && typeof window.document$.subscribe === 'function') window.document$.subscribe(init);
  else if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', init);
  else init();
})();
