/** Hooks that derive what a view shows from the player (through the memoized run cache). */
import {
  useDeferredValue,
  useEffect,
  useLayoutEffect,
  useState,
  useSyncExternalStore,
  type RefObject,
} from 'react';
import type { KernelView } from '../model/index.ts';
import { Player } from './context.ts';
import type { Derived } from './player/runs.ts';
import { warmSteps } from './player/warm.ts';
import type { Theme } from './url.ts';
import { FRAME_SPEED } from './player/types.ts';
import { isFastPlaying, isPlaying, runShown } from './player/selectors.ts';
import { pacedStep, type PacedPanel } from './player/pace.ts';
import { field } from './player/field.ts';

/** The run shown: recomputed only when scenario, era or schedule change. */
export function useDerived(): Derived {
  return Player.useSelector(runShown);
}

export function useStep(): number {
  return Player.useSelector(field('step'));
}

/**
 * The step a panel around the reference flow draws. Paused, or playing at FRAME_SPEED or slower: the step
 * shown, deferred, so that React draws the panel after the reference flow has been drawn. During fast
 * autoplay: the step of the panel's turn (./player/pace.ts), drawn with the flow in one pass (a deferred
 * second pass per step measured no faster, and is one more commit per step).
 * `liveWhenPaused`: paused, the step shown at once, not deferred (a panel whose controls act on that step).
 */
export function usePanelStep(panel: PacedPanel, { liveWhenPaused = false } = {}): number {
  const step = useStep();
  const fast = Player.useSelector(isFastPlaying);
  const playing = Player.useSelector(isPlaying);
  // The step it showed last (React's pattern for information from earlier renders: set during render).
  const [shown, setShown] = useState(step);
  const next = pacedStep(panel, step, shown, fast);
  if (next !== shown) setShown(next);
  // Held while fast, so that React schedules no deferred pass then.
  const deferred = useDeferredValue(fast ? -1 : next);
  if (liveWhenPaused && !playing) return step;
  return fast || deferred < 0 ? next : deferred;
}

/**
 * `work(s)` for every step of the run shown, in the browser's idle time, from the step shown on
 * (./player/warm.ts); started again when the run or `deps` change, stopped on unmount. `work` is
 * the panel's own per-step computation with the options it renders with (its geometry), so that
 * each step's frame only draws. Held while autoplay runs above FRAME_SPEED: then every frame draws
 * a step, and the idle time between frames is what keeps them short. `enabled` false: nothing (a
 * panel not drawing its diagram).
 */
export function useWarmSteps(
  d: Derived,
  work: (step: number) => void,
  deps: readonly unknown[],
  enabled = true,
): void {
  const actor = Player.useActorRef();
  const busy = Player.useSelector(isFastPlaying);
  useEffect(
    () => (enabled && !busy ? warmSteps(d.total, actor.getSnapshot().context.step, work) : undefined),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [d, actor, enabled, busy, ...deps],
  );
}

/** The kernel state after the current step (describeState, memoized per step). */
export function useKernelView(): KernelView {
  const d = useDerived();
  return d.view(useStep());
}

function mediaStore(query: string) {
  // One MediaQueryList per query, and its answer kept up to date by a listener of its own: getSnapshot
  // runs on every render of every view that asks (the browser evaluates the query on each read of .matches).
  let mql: MediaQueryList | null | undefined;
  let matches = false;
  const list = () => {
    if (mql === undefined) {
      mql = typeof matchMedia === 'function' ? matchMedia(query) : null;
      matches = mql?.matches ?? false;
      mql?.addEventListener('change', (e) => (matches = e.matches));
    }
    return mql;
  };
  return {
    subscribe(cb: () => void) {
      const m = list();
      if (!m) return () => {};
      m.addEventListener('change', cb);
      return () => m.removeEventListener('change', cb);
    },
    get() {
      list();
      return matches;
    },
  };
}
const reduced = mediaStore('(prefers-reduced-motion: reduce)');
const dark = mediaStore('(prefers-color-scheme: dark)');
/** The page's workspace (page.css): the diagram beside the side column, the player bar under both. */
const workspace = mediaStore('(min-width: 1180px)');

export function useReducedMotion(): boolean {
  return useSyncExternalStore(reduced.subscribe, reduced.get, () => false);
}

/**
 * The window is wide enough for the page's workspace (false on the server and while React adopts the
 * build's view).
 */
export function useWorkspaceWidth(): boolean {
  return useSyncExternalStore(workspace.subscribe, workspace.get, () => false);
}

/** light or dark: the chosen theme, or the system's for `auto`. */
export function useResolvedTheme(): 'light' | 'dark' {
  const theme: Theme = Player.useSelector(field('theme'));
  const systemDark = useSyncExternalStore(dark.subscribe, dark.get, () => false);
  return theme === 'auto' ? (systemDark ? 'dark' : 'light') : theme;
}

/**
 * The content width of an element, tracked with a ResizeObserver: null until
 * it has been measured (on the server, in React's first pass, while hidden).
 */
export function useMeasuredWidth(ref: RefObject<HTMLElement | null>): number | null {
  const [w, setW] = useState<number | null>(null);
  useEffect(() => {
    const el = ref.current;
    if (!el || typeof ResizeObserver !== 'function') return;
    const cw = Math.round(el.clientWidth);
    if (cw > 0) setW(cw);
    const ro = new ResizeObserver((entries) => {
      const width = Math.round(entries[0]!.contentRect.width);
      if (width > 0) setW(width);
    });
    ro.observe(el);
    return () => ro.disconnect();
  }, [ref]);
  return w;
}

/** The content width of an element, tracked with a ResizeObserver; `fallback` until it has been measured. */
export function useWidth(ref: RefObject<HTMLElement | null>, fallback = 720): number {
  return useMeasuredWidth(ref) ?? fallback;
}

/**
 * Whether an element's content is taller than the element (a clamped or
 * scrolling box), measured after layout and again when its size changes;
 * false until then, and on the server. `deps`: what changes the content.
 */
export function useOverflows(ref: RefObject<HTMLElement | null>, deps: readonly unknown[]): boolean {
  const [over, setOver] = useState(false);
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    const measure = () => setOver(el.scrollHeight > el.clientHeight + 1);
    measure();
    if (typeof ResizeObserver !== 'function') return;
    const ro = new ResizeObserver(measure);
    ro.observe(el);
    return () => ro.disconnect();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [ref, ...deps]);
  return over;
}

/**
 * How long a diagram may animate one step: the diagrams' default, or 0.9 × the
 * autoplay interval while playing (so an animation always ends before the
 * next step); 0 (no animation) above FRAME_SPEED steps/s, where a movement of a few
 * milliseconds cannot be seen and would only cost frame time.
 */
export function useAnimationMs(): number {
  const playing = Player.useSelector(isPlaying);
  const speed = Player.useSelector(field('speed'));
  if (!playing) return 650;
  return speed > FRAME_SPEED ? 0 : Math.min(650, Math.floor((0.9 * 1000) / speed));
}

/** The motion props every animated diagram takes: the reader's reduced-motion setting and the step duration (0: none). */
export function useMotion(): { reducedMotion: boolean; animationMs: number } {
  return { reducedMotion: useReducedMotion(), animationMs: useAnimationMs() };
}
