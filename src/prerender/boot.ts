/**
 * index.html's only initial script: small, with no imports but its CSS.
 *
 * - #root holds the default view, rendered at build time (./render.tsx). For
 *   an address without parameters that is the view the reader asked for: it
 *   stays, and the explorer's code (../main.tsx: the model, React, XState)
 *   loads when the reader is there and about to act (a pointer moves or goes
 *   down, a touch, a wheel or scroll, a key, a focus), then adopts the markup
 *   (hydration). Until then the page runs no script at all: on a slow phone
 *   the first view costs one parse, one layout and one paint. Once it has
 *   loaded, the code's files are fetched ahead at low priority (prefetch;
 *   ./plugin.ts lists them), so that the code is at hand when the reader acts.
 * - For an address with parameters (or a #scenario= hash) that view would be
 *   the wrong moment: it is hidden at once (this script blocks rendering, see
 *   index.html) behind a loading line, and the code loads at once.
 * - What the reader does before the code is there is not lost: clicks on
 *   buttons and check boxes, changes of a picker, and the player's keys are
 *   held, then replayed on the same controls once React has mounted.
 *
 * <html data-app>: "static" (prerendered view, no code yet), "loading",
 * "ready" (React has mounted; tests wait for it), "failed".
 */
import './boot.css';

type Held =
  | { kind: 'click'; path: number[]; tag: string }
  | { kind: 'change'; path: number[]; tag: string; value: string }
  | { kind: 'key'; key: string; shiftKey: boolean };

const html = document.documentElement;
const root = document.getElementById('root')!;
const prerendered = root.dataset.view === 'default';
const plain = location.search.length <= 1 && location.hash.length <= 1;
const held: Held[] = [];
let started = false;

/** Child indices from #root down to `el` (the same path finds the same control after React mounts). */
function pathOf(el: Element): number[] | null {
  const path: number[] = [];
  for (let n: Element = el; n !== root;) {
    const parent = n.parentElement;
    if (!parent) return null;
    path.unshift(Array.prototype.indexOf.call(parent.children, n));
    n = parent;
  }
  return path;
}

function at(path: readonly number[], tag: string): HTMLElement | null {
  let n: Element | null = root;
  for (const i of path) n = n?.children[i] ?? null;
  return n instanceof HTMLElement && n.tagName === tag ? n : null;
}

/** The reader is there and about to act: a pointer moves or goes down, a touch, a wheel or scroll, a key, a focus, a change. */
const INTENT = [
  'pointermove',
  'pointerdown',
  'touchstart',
  'wheel',
  'scroll',
  'keydown',
  'focusin',
  'change',
];

const PRESSABLE = 'button, [role="button"], input[type="checkbox"], input[type="radio"]';
const PLAYER_KEYS = ['ArrowRight', 'ArrowLeft', ' ', 'Home', 'End'];

function onClick(e: MouseEvent) {
  const el = e.target instanceof Element ? e.target.closest(PRESSABLE) : null;
  const path = el && root.contains(el) ? pathOf(el) : null;
  if (!el || !path) return;
  e.preventDefault();
  e.stopPropagation();
  held.push({ kind: 'click', path, tag: el.tagName });
}

function onChange(e: Event) {
  const el = e.target;
  if (!(
    el instanceof HTMLSelectElement ||
    el instanceof HTMLInputElement ||
    el instanceof HTMLTextAreaElement
  ))
    return;
  if (el instanceof HTMLInputElement && (el.type === 'checkbox' || el.type === 'radio')) return;
  const path = root.contains(el) ? pathOf(el) : null;
  if (path) held.push({ kind: 'change', path, tag: el.tagName, value: el.value });
}

function onKey(e: KeyboardEvent) {
  const t = e.target;
  const onPage = t === document.body || t === document.documentElement || t === root;
  if (!onPage || e.altKey || e.ctrlKey || e.metaKey || !PLAYER_KEYS.includes(e.key)) return;
  e.preventDefault();
  held.push({ kind: 'key', key: e.key, shiftKey: e.shiftKey });
}

function setValue(el: HTMLElement, value: string) {
  // The prototype's setter, so that React sees a change of the value it controls.
  const proto = Object.getPrototypeOf(el) as object;
  Object.getOwnPropertyDescriptor(proto, 'value')?.set?.call(el, value);
  el.dispatchEvent(new Event('input', { bubbles: true }));
  el.dispatchEvent(new Event('change', { bubbles: true }));
}

function replay() {
  document.removeEventListener('click', onClick, true);
  document.removeEventListener('change', onChange, true);
  document.removeEventListener('keydown', onKey, true);
  for (const h of held.splice(0)) {
    if (h.kind === 'key') {
      document.dispatchEvent(
        new KeyboardEvent('keydown', { key: h.key, shiftKey: h.shiftKey, bubbles: true }),
      );
      continue;
    }
    const el = at(h.path, h.tag);
    if (!el) continue;
    if (h.kind === 'click') el.click();
    else setValue(el, h.value);
  }
}

function failed(error: unknown) {
  html.dataset.app = 'failed';
  const p = document.createElement('p');
  p.className = 'boot-error';
  p.setAttribute('role', 'alert');
  p.textContent =
    'The explorer could not load its code (offline, or the site changed since this page was opened). ' +
    'Reload the page to try again.';
  document.body.prepend(p);
  console.warn('vfio-kvm-explorer: loading the explorer failed:', error);
}

function start() {
  if (started) return;
  started = true;
  html.dataset.app = 'loading';
  import('../main.tsx').then(
    (app) =>
      app.start({
        hydrate: prerendered && plain,
        onMounted() {
          dispatchEvent(new Event('vfio-kvm:mounted'));
          delete root.dataset.view;
          html.dataset.app = 'ready';
          replay();
        },
      }),
    failed,
  );
}

document.addEventListener('click', onClick, true);
document.addEventListener('change', onChange, true);
document.addEventListener('keydown', onKey, true);

/**
 * The workspace is sized to the window between the header and the fixed
 * player bar (--top-h and --bar-h, which the page's components keep up to
 * date once React runs): followed here too. A ResizeObserver reports an
 * element's size after each layout and before its paint, so the first paint
 * already has the final layout, and this script never forces a layout of its
 * own (a whole-page layout inside a script is one long task on a slow phone).
 */
const MEASURED: readonly (readonly [string, string])[] = [
  ['--top-h', ':scope > .chrome'],
  ['--bar-h', ':scope > .playerbar'],
];

function followLayout(): () => void {
  if (typeof ResizeObserver !== 'function') return () => {};
  const observers = MEASURED.flatMap(([prop, selector]) => {
    const el = root.querySelector(selector);
    if (!el) return [];
    const ro = new ResizeObserver(([entry]) => {
      const box = entry?.borderBoxSize?.[0];
      const height = box ? box.blockSize : el.getBoundingClientRect().height;
      html.style.setProperty(prop, `${Math.ceil(height)}px`);
    });
    ro.observe(el);
    return [ro];
  });
  return () => observers.forEach((ro) => ro.disconnect());
}

if (prerendered && plain) {
  html.dataset.app = 'static';
  const unfollow = followLayout();
  addEventListener('vfio-kvm:mounted', unfollow, { once: true });
  const onIntent = () => {
    for (const type of INTENT) document.removeEventListener(type, onIntent, true);
    start();
  };
  for (const type of INTENT) document.addEventListener(type, onIntent, { capture: true, passive: true });
  // The code's files, fetched ahead at low priority once the first view is loaded, never before.
  const prefetch = () => {
    for (const link of document.querySelectorAll<HTMLLinkElement>('link[data-prefetch]'))
      link.rel = 'prefetch';
  };
  const idle = () =>
    typeof requestIdleCallback === 'function' ? requestIdleCallback(prefetch) : setTimeout(prefetch, 200);
  if (document.readyState === 'complete') idle();
  else addEventListener('load', idle, { once: true });
} else {
  // The prerendered view (if any) is not this address's: boot.css hides it behind a loading line.
  if (prerendered) html.dataset.view = 'other';
  start();
}
