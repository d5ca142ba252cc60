/**
 * Lazy start: run `start` once an element is on (or near) the screen and has
 * a size. An explorer in a closed <details>, a hidden tab or far below the
 * fold costs nothing until it is shown, and it never lays out at zero width.
 */
export function whenVisible(el: Element, start: () => void, rootMargin = '200px'): () => void {
  let done = false;
  let near = typeof IntersectionObserver !== 'function';
  const shown = () => {
    const r = el.getBoundingClientRect();
    // checkVisibility: false inside display:none and a closed <details> (content-visibility: hidden).
    const visible = typeof el.checkVisibility === 'function' ? el.checkVisibility() : true;
    return el.isConnected && visible && r.width > 0;
  };
  const check = () => {
    if (done || !near || !shown()) return;
    done = true;
    stop();
    start();
  };
  const io =
    typeof IntersectionObserver === 'function'
      ? new IntersectionObserver(
          (entries) => {
            near = entries[entries.length - 1]!.isIntersecting;
            check();
          },
          { rootMargin },
        )
      : null;
  // A size change (display: none → block, a <details> opening) is a reason to look again.
  const ro = typeof ResizeObserver === 'function' ? new ResizeObserver(check) : null;
  const stop = () => {
    io?.disconnect();
    ro?.disconnect();
  };
  io?.observe(el);
  ro?.observe(el);
  queueMicrotask(check);
  return () => {
    done = true;
    stop();
  };
}
