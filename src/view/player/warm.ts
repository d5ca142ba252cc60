/**
 * The steps of the run shown, worked out ahead of time in the browser's idle time. The kernel state after
 * each micro-step (`Derived.view`), the micro-step (`Derived.stepView`) and each diagram's geometry for
 * them (src/diagrams/geometry.ts) are remembered per step, and otherwise computed the first time a step is
 * shown, in that step's frame. Autoplay from a page that had just opened paid for all of them in its
 * frames, on code the engine had not yet compiled for speed: those were the slowest frames of a run
 * (npm run bench: p95FrameScriptMs). Worked out while the reader reads, Play only draws.
 *
 * From the step shown to the end, then from the start: the steps Play and "Step forward" reach first come
 * first. Each idle period is used until its deadline says the browser needs the thread back, for at most
 * SLICE_MS. What is already remembered costs nothing, so warming a run again (another width, or after
 * autoplay at full speed paused it: useWarmSteps) redoes only what is not done.
 */

/** An idle period's deadline, as requestIdleCallback gives it. */
export interface Deadline {
  timeRemaining(): number;
}

/** Schedules `work` in the next idle period; returns a function that cancels it. */
export type Idle = (work: (deadline: Deadline) => void) => () => void;

/** Under this many milliseconds left in an idle period, no further step is started. */
const MARGIN_MS = 2;
/**
 * At most this long a slice: an idle period on a page at rest lasts up to 50 ms, and a click in it waits
 * for the slice to end. (One step's work, on code not yet compiled for speed, takes a few milliseconds.)
 */
const SLICE_MS = 5;

/** The browser's idle callbacks, or a short timer where there are none (Safari): 10 ms slices. */
export const browserIdle: Idle = (work) => {
  if (typeof requestIdleCallback === 'function') {
    const id = requestIdleCallback(work);
    return () => cancelIdleCallback(id);
  }
  const id = setTimeout(() => {
    const end = performance.now() + 10;
    work({ timeRemaining: () => Math.max(0, end - performance.now()) });
  }, 50);
  return () => clearTimeout(id);
};

/** The order steps are warmed in: `from`..total, then 0..from-1. */
export function warmOrder(from: number, total: number): number[] {
  const start = Math.max(0, Math.min(total, Math.floor(from)));
  const out: number[] = [];
  for (let s = start; s <= total; s++) out.push(s);
  for (let s = 0; s < start; s++) out.push(s);
  return out;
}

/**
 * `work(s)` for every step 0..total, starting at `from`, in idle periods. Returns a function that stops it
 * (another run, other options, an unmount). A step whose work throws is skipped: warming is only ahead of
 * time, the step's own render will meet the error where the page handles it.
 */
export function warmSteps(
  total: number,
  from: number,
  work: (step: number) => void,
  idle: Idle = browserIdle,
): () => void {
  const order = warmOrder(from, total);
  let i = 0;
  let cancel: (() => void) | null = null;
  const slice = (deadline: Deadline) => {
    cancel = null;
    const end = performance.now() + SLICE_MS;
    while (i < order.length && deadline.timeRemaining() > MARGIN_MS && performance.now() < end) {
      try {
        work(order[i++]!);
      } catch {
        // see above
      }
    }
    if (i < order.length) cancel = idle(slice);
  };
  cancel = idle(slice);
  return () => cancel?.();
}
