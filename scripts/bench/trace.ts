/**
 * Per-frame script time from a Chrome trace (categories devtools.timeline,
 * disabled-by-default-devtools.timeline(.frame), v8.execute,
 * blink.user_timing).
 *
 * Method:
 *  - the page's renderer main thread is the CrRendererMain thread that
 *    carries the `bench:play` user-timing mark;
 *  - frames are the intervals between consecutive `BeginMainThreadFrame`
 *    events of that thread (the compositor asking the main thread for a
 *    frame), kept when they lie between the marks `bench:play` and
 *    `bench:end` (autoplay);
 *  - script time is the union of the complete ("X") slices of that thread
 *    named FunctionCall, EvaluateScript, TimerFire, FireAnimationFrame,
 *    EventDispatch, RunMicrotasks and v8.* (compile, run, module evaluation):
 *    the union, so that nested slices (a FunctionCall inside a TimerFire) are
 *    counted once. A frame's script time is that union clipped to the frame.
 *    It includes what script forces synchronously (style and layout it reads,
 *    GC it triggers); `forcedMs` is the part of it that is style, layout or
 *    paint, for the record;
 *  - a frame with no script counts as 0 ms: the p95 is over every frame
 *    during autoplay.
 */
/** The bench's DevTools sessions: `send` and events, as Playwright's CDPSession has them. */
interface TraceSession {
  send(method: 'Tracing.start', params: Record<string, unknown>): Promise<unknown>;
  send(method: 'Tracing.end'): Promise<unknown>;
  on(event: 'Tracing.dataCollected', listener: (e: { value: unknown[] }) => void): unknown;
  once(event: 'Tracing.tracingComplete', listener: () => void): unknown;
}

/**
 * A DevTools trace of what the page does while `run` runs: the events of `categories` from Tracing.start
 * to Tracing.end, every one collected (transferMode ReportEvents), with `run`'s result.
 */
export async function traced<T>(
  cdp: TraceSession,
  categories: readonly string[],
  run: () => Promise<T>,
): Promise<{ events: TraceEvent[]; result: T }> {
  const events: TraceEvent[] = [];
  cdp.on('Tracing.dataCollected', (e) => void events.push(...(e.value as TraceEvent[])));
  const complete = new Promise<void>((resolve) => cdp.once('Tracing.tracingComplete', () => resolve()));
  await cdp.send('Tracing.start', {
    traceConfig: { includedCategories: [...categories] },
    transferMode: 'ReportEvents',
  });
  const result = await run();
  await cdp.send('Tracing.end');
  await complete;
  return { events, result };
}

export interface TraceEvent {
  name: string;
  cat: string;
  ph: string;
  ts: number;
  dur?: number;
  pid: number;
  tid: number;
  args?: Record<string, unknown>;
}

export const TRACE_CATEGORIES = [
  'devtools.timeline',
  'disabled-by-default-devtools.timeline',
  'disabled-by-default-devtools.timeline.frame',
  'v8.execute',
  'blink.user_timing',
];

const SCRIPT = new Set([
  'FunctionCall',
  'EvaluateScript',
  'TimerFire',
  'FireAnimationFrame',
  'EventDispatch',
  'RunMicrotasks',
  'FireIdleCallback',
]);
const RENDER = new Set([
  'Layout',
  'UpdateLayoutTree',
  'RecalculateStyles',
  'Paint',
  'PrePaint',
  'Layerize',
  'UpdateLayer',
  'HitTest',
]);

type Interval = [number, number];

function union(xs: Interval[]): Interval[] {
  const sorted = [...xs].sort((a, b) => a[0] - b[0]);
  const out: Interval[] = [];
  for (const [a, b] of sorted) {
    const last = out[out.length - 1];
    if (last && a <= last[1]) last[1] = Math.max(last[1], b);
    else out.push([a, b]);
  }
  return out;
}

function intersect(a: Interval[], b: Interval[]): Interval[] {
  const out: Interval[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const lo = Math.max(a[i]![0], b[j]![0]);
    const hi = Math.min(a[i]![1], b[j]![1]);
    if (hi > lo) out.push([lo, hi]);
    if (a[i]![1] < b[j]![1]) i++;
    else j++;
  }
  return out;
}

function within(xs: Interval[], lo: number, hi: number): number {
  let s = 0;
  for (const [a, b] of xs) {
    const x = Math.max(a, lo);
    const y = Math.min(b, hi);
    if (y > x) s += y - x;
  }
  return s;
}

export function percentile(xs: readonly number[], q: number): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))]!;
}

export interface FrameScript {
  frames: number;
  windowMs: number;
  p50ScriptMs: number;
  p95ScriptMs: number;
  maxScriptMs: number;
  /** Style/layout/paint inside script (forced synchronously), p95. */
  p95ForcedMs: number;
  /** Frame interval (BeginMainThreadFrame to the next), p50 and p95. */
  p50FrameMs: number;
  p95FrameMs: number;
  /** Script over the whole autoplay, and its share of the wall time. */
  scriptMs: number;
  scriptShare: number;
}

export function frameScript(
  events: readonly TraceEvent[],
  startMark = 'bench:play',
  endMark = 'bench:end',
): FrameScript {
  const start = events.find((e) => e.name === startMark && e.cat.includes('user_timing'));
  const end = events.find((e) => e.name === endMark && e.cat.includes('user_timing'));
  if (!start || !end) throw new Error(`trace: no ${startMark}/${endMark} marks`);
  const main = events.filter((e) => e.pid === start.pid && e.tid === start.tid);
  const slices = (names: Set<string>) =>
    union(
      main
        .filter(
          (e) =>
            e.ph === 'X' &&
            (names.has(e.name) || (names === SCRIPT && e.name.startsWith('v8.'))) &&
            (e.dur ?? 0) > 0,
        )
        .map((e) => [e.ts, e.ts + e.dur!] as Interval),
    );
  const script = slices(SCRIPT);
  const forced = intersect(script, slices(RENDER));
  const begins = main
    .filter((e) => e.name === 'BeginMainThreadFrame')
    .map((e) => e.ts)
    .sort((a, b) => a - b);
  const frames: { dur: number; script: number; forced: number }[] = [];
  for (let i = 0; i + 1 < begins.length; i++) {
    const a = begins[i]!;
    const b = begins[i + 1]!;
    if (a < start.ts || b > end.ts) continue;
    frames.push({
      dur: (b - a) / 1000,
      script: within(script, a, b) / 1000,
      forced: within(forced, a, b) / 1000,
    });
  }
  if (frames.length === 0) throw new Error('trace: no BeginMainThreadFrame between the marks');
  const windowMs = (end.ts - start.ts) / 1000;
  const scriptMs = within(script, start.ts, end.ts) / 1000;
  const r = (x: number) => Math.round(x * 100) / 100;
  return {
    frames: frames.length,
    windowMs: r(windowMs),
    p50ScriptMs: r(
      percentile(
        frames.map((f) => f.script),
        0.5,
      ),
    ),
    p95ScriptMs: r(
      percentile(
        frames.map((f) => f.script),
        0.95,
      ),
    ),
    maxScriptMs: r(Math.max(...frames.map((f) => f.script))),
    p95ForcedMs: r(
      percentile(
        frames.map((f) => f.forced),
        0.95,
      ),
    ),
    p50FrameMs: r(
      percentile(
        frames.map((f) => f.dur),
        0.5,
      ),
    ),
    p95FrameMs: r(
      percentile(
        frames.map((f) => f.dur),
        0.95,
      ),
    ),
    scriptMs: r(scriptMs),
    scriptShare: r(scriptMs / windowMs),
  };
}
