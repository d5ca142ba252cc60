/**
 * Side effects of the player on the page: the address bar (history.replaceState,
 * throttled while playing, held while playing at full speed), the theme on <html>, and the keyboard.
 */
import { useEffect, useRef, type ReactNode, type RefObject } from 'react';
import { Player } from './context.ts';
import { useResolvedTheme } from './hooks.ts';
import { isFastPlaying, isPlaying, urlOf } from './player/selectors.ts';

/**
 * Minimum time between two address updates while playing. A replaceState costs
 * about a frame's worth of script in Chromium (npm run bench: 9–14 ms a call
 * during autoplay): once a second keeps it out of all but one frame in sixty.
 * Above FRAME_SPEED steps/s (isFastPlaying) every frame draws a step and has no room for it, so
 * the address waits until play stops (a run at that speed lasts seconds).
 * When play stops, the address is written at once.
 */
const URL_INTERVAL_MS = 1000;

export function UrlSync() {
  const actor = Player.useActorRef();
  useEffect(() => {
    let last = 0;
    let timer: ReturnType<typeof setTimeout> | null = null;
    const write = () => {
      timer = null;
      last = performance.now();
      const { search, hash } = urlOf(actor.getSnapshot().context);
      const next = `${location.pathname}${search}${hash}`;
      if (next !== `${location.pathname}${location.search}${location.hash}`)
        history.replaceState(null, '', next);
    };
    const sub = actor.subscribe((snap) => {
      // While playing, at most one write per interval; otherwise (a step, a pick, the moment play stopped
      // on) at once, so that the address is the moment shown as soon as the reader could copy it.
      if (!isPlaying(snap)) {
        if (timer !== null) clearTimeout(timer);
        write();
        return;
      }
      if (timer !== null || isFastPlaying(snap)) return;
      const wait = URL_INTERVAL_MS - (performance.now() - last);
      if (wait <= 0) write();
      else timer = setTimeout(write, wait);
    });
    write();
    return () => {
      sub.unsubscribe();
      if (timer !== null) clearTimeout(timer);
    };
  }, [actor]);
  return null;
}

export function ThemeSync() {
  const resolved = useResolvedTheme();
  useEffect(() => {
    document.documentElement.dataset.theme = resolved;
  }, [resolved]);
  return null;
}

/** Elements where a key already means something: the shortcut must not steal it. */
function ownsKey(el: Element | null, key: string): boolean {
  if (!el || !(el instanceof HTMLElement)) return false;
  if (el.isContentEditable) return true;
  const tag = el.tagName;
  if (tag === 'TEXTAREA' || tag === 'SELECT') return true;
  if (tag === 'INPUT') {
    const type = (el as HTMLInputElement).type;
    // Space toggles a checkbox/radio and presses a button-like input; arrows move a slider or a radio group.
    if (key === ' ') return true;
    return !['checkbox', 'button', 'submit', 'reset', 'file'].includes(type);
  }
  if (key === ' ') {
    // Space activates buttons, links' context menus, summaries, and anything with a button-like role.
    if (tag === 'BUTTON' || tag === 'SUMMARY' || tag === 'A') return true;
    const role = el.getAttribute('role');
    if (
      role &&
      ['button', 'checkbox', 'switch', 'menuitem', 'option', 'radio', 'tab', 'slider', 'link'].includes(role)
    )
      return true;
  }
  const role = el.getAttribute('role');
  if (
    role &&
    ['slider', 'listbox', 'combobox', 'menu', 'menubar', 'radiogroup', 'tablist', 'grid', 'tree'].includes(
      role,
    )
  )
    return true;
  return false;
}

/**
 * → / ← step, Space play/pause, Home / End first and last step. With `scope`
 * (the custom element), only keys pressed inside that element count, so two
 * explorers on one page never both move.
 */
export function Keyboard({ scope }: { scope?: RefObject<HTMLElement | null> } = {}) {
  const actor = Player.useActorRef();
  useEffect(() => {
    const target: HTMLElement | Document | null = scope ? scope.current : document;
    if (!target) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented || e.altKey || e.ctrlKey || e.metaKey || e.isComposing) return;
      const key = e.key;
      if (!['ArrowRight', 'ArrowLeft', ' ', 'Home', 'End'].includes(key)) return;
      if (ownsKey(scope ? (e.target as Element | null) : document.activeElement, key)) return;
      if ((key === 'Home' || key === 'End') && e.shiftKey) return;
      e.preventDefault();
      if (key === 'ArrowRight') actor.send({ type: 'step.forward' });
      else if (key === 'ArrowLeft') actor.send({ type: 'step.back' });
      else if (key === 'Home') actor.send({ type: 'reset' });
      else if (key === 'End') actor.send({ type: 'end' });
      else actor.send({ type: 'toggle' });
    };
    target.addEventListener('keydown', onKey as EventListener);
    return () => target.removeEventListener('keydown', onKey as EventListener);
  }, [actor, scope]);
  return null;
}

/** The header and notices; --top-h follows their height, so the workspace fills the window below them. */
export function Chrome({ children }: { children: ReactNode }) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = box.current;
    if (!el || typeof ResizeObserver !== 'function') return;
    const ro = new ResizeObserver(() =>
      document.documentElement.style.setProperty(
        '--top-h',
        `${Math.ceil(el.getBoundingClientRect().height)}px`,
      ),
    );
    ro.observe(el);
    return () => ro.disconnect();
  }, []);
  return (
    <div ref={box} className="chrome">
      {children}
    </div>
  );
}
