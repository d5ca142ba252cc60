/**
 * The player's clock in the browser (XState's `clock` actor option): a delayed event, the autoplay tick
 * first of all, fires in the first animation frame from half a frame before it is due, so that autoplay
 * moves at most one step per frame and the step is drawn in the frame it is made in. With plain timers a
 * tick every 1000/60 ms drifts against the display's frames: some frames then got two steps (two renders,
 * one of them never painted) and the next none, and those frames were the slowest of an autoplay
 * (npm run bench: p95FrameScriptMs). Where there are no frames (a hidden page, no requestAnimationFrame)
 * it is a plain timer; a frame that does not come within FALLBACK_MS (an embed throttled out of view) does
 * not hold the player up longer than that.
 */
import type { ActorOptions, AnyActorLogic } from 'xstate';

type Clock = NonNullable<ActorOptions<AnyActorLogic>['clock']>;

const HALF_FRAME_MS = 8;
const FALLBACK_MS = 100;

interface Pending {
  timer: ReturnType<typeof setTimeout> | undefined;
  fallback: ReturnType<typeof setTimeout> | undefined;
  frame: number;
  done: boolean;
}

function cancel(p: Pending): void {
  p.done = true;
  clearTimeout(p.timer);
  clearTimeout(p.fallback);
  if (p.frame) cancelAnimationFrame(p.frame);
}

export const frameClock: Clock = {
  setTimeout(fn: () => void, ms: number): Pending {
    const p: Pending = { timer: undefined, fallback: undefined, frame: 0, done: false };
    const run = () => {
      if (p.done) return;
      cancel(p);
      fn();
    };
    const frames =
      typeof requestAnimationFrame === 'function' &&
      typeof document !== 'undefined' &&
      document.visibilityState !== 'hidden';
    if (!frames) {
      p.timer = setTimeout(run, ms);
      return p;
    }
    p.timer = setTimeout(
      () => {
        p.frame = requestAnimationFrame(run);
        p.fallback = setTimeout(run, FALLBACK_MS);
      },
      Math.max(0, ms - HALF_FRAME_MS),
    );
    return p;
  },
  clearTimeout(p: Pending | undefined): void {
    if (p) cancel(p);
  },
};
