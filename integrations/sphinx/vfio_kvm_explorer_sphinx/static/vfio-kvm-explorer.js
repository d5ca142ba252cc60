/*
 * vfio-kvm-explorer for Sphinx (added once to each page that has the directive):
 * sizes every explorer iframe to the height its embed.html reports, taking a
 * message only from that iframe and from the origin of its src.
 */
(function () {
  if (window.vfioKvmExplorerSphinx) return;
  window.vfioKvmExplorerSphinx = true;
  window.addEventListener('message', function (e) {
    var d = e.data;
    if (!d || typeof d !== 'object' || d.type !== 'vfio-kvm-explorer:resize') return;
    if (typeof d.height !== 'number' || !(d.height > 0 && d.height < 20000)) return;
    var frames = document.querySelectorAll('iframe.vfio-kvm-explorer');
    for (var i = 0; i < frames.length; i++) {
      var f = frames[i];
      if (f.contentWindow !== e.source || new URL(f.src, location.href).origin !== e.origin) continue;
      f.style.height = Math.ceil(d.height) + 'px';
    }
  });
})();
