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
 * At most this long a slice: a click that comes in during a slice waits for it to end. (One step's work,
 * on code not yet compiled for speed, takes a few milliseconds.)
 */
const SLICE_MS = 5;

/** A deadline SLICE_MS from now (or sooner, if the browser's own deadline is sooner). */
function slice(remaining: () => number = () => Infinity): Deadline {
  const end = performance.now() + SLICE_MS;
  return { timeRemaining: () => Math.max(0, Math.min(end - performance.now(), remaining())) };
}

interface PostTask {
  postTask(task: () => void, options: { priority: 'background'; signal: AbortSignal }): Promise<void>;
}

/**
 * Background tasks (the Prioritized Task Scheduling API: they run when nothing else waits, one task per
 * slice, back to back), else idle callbacks, else a timer. Not idle callbacks first: on a page at rest
 * an idle period lasts 50 ms and a callback asked for inside one runs in the next, so slices of a few
 * milliseconds used a tenth of the idle time (20 steps worked out in two seconds).
 */
export const browserIdle: Idle = (work) => {
  const s = (globalThis as { scheduler?: Partial<PostTask> }).scheduler;
  if (typeof s?.postTask === 'function' && typeof AbortController === 'function') {
    const abort = new AbortController();
    s.postTask(() => work(slice()), { priority: 'background', signal: abort.signal }).catch(() => {});
    return () => abort.abort();
  }
  if (typeof requestIdleCallback === 'function') {
    const id = requestIdleCallback((d) => work(slice(() => d.timeRemaining())));
    return () => cancelIdleCallback(id);
  }
  const id = setTimeout(() => work(slice()), 50);
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
  const run = (deadline: Deadline) => {
    cancel = null;
    while (i < order.length && deadline.timeRemaining() > MARGIN_MS) {
      try {
        work(order[i++]!);
      } catch {
        // see above
      }
    }
    if (i < order.length) cancel = idle(run);
  };
  cancel = idle(run);
  return () => cancel?.();
}
