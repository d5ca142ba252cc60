/*
 * vfio-kvm-explorer in Material for MkDocs (extra_javascript).
 *
 * Material's instant navigation swaps the page content without a reload, so
 * per-page work subscribes to `document$` (it emits for the first page and
 * for every page after). The window-level listeners are installed once.
 *
 * - sizes every <iframe class="vfio-kvm-explorer"> to the height its explorer reports
 *   (messages from the explorer's origin and from that iframe only);
 * - passes Material's colour scheme (body[data-md-color-scheme]: default or slate) to
 *   each explorer with the theme message, when it loads and whenever the reader switches.
 */
(function () {
  var EXPLORER = 'http://127.0.0.1:4173'; // where the explorer's dist/ is served

  function frames() {
    return document.querySelectorAll('iframe.vfio-kvm-explorer');
  }
  function theme() {
    return document.body.getAttribute('data-md-color-scheme') === 'slate' ? 'dark' : 'light';
  }
  function sendTheme(frame) {
    if (frame.contentWindow)
      frame.contentWindow.postMessage({ type: 'vfio-kvm-explorer:theme', theme: theme() }, EXPLORER);
  }

  if (!window.vfioKvmExplorerMkdocs) {
    window.vfioKvmExplorerMkdocs = true;
    window.addEventListener('message', function (e) {
      var d = e.data;
      if (e.origin !== EXPLORER || !d || d.type !== 'vfio-kvm-explorer:resize') return;
      if (typeof d.height !== 'number' || !(d.height > 0 && d.height < 20000)) return;
      frames().forEach(function (f) {
        if (f.contentWindow === e.source) f.style.height = Math.ceil(d.height) + 'px';
      });
    });
    new MutationObserver(function () {
      frames().forEach(sendTheme);
    }).observe(document.body, { attributes: true, attributeFilter: ['data-md-color-scheme'] });
  }

  function init() {
    frames().forEach(function (f) {
      if (f.dataset.vfioKvmExplorer) return;
      f.dataset.vfioKvmExplorer = 'ready';
      f.addEventListener('load', function () {
        sendTheme(f);
      });
      sendTheme(f); // already loaded (a cached page); otherwise the target origin does not match yet and it is dropped
    });
  }

  // Material for MkDocs: document$ (an RxJS observable) emits on every page; elsewhere, run once.
  if (window.document$ && typeof window.document$.subscribe === 'function') window.document$.subscribe(init);
  else if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', init);
  else init();
})();
