/**
 * The front page on a slow phone (npm run bench (README) `load`): a fresh
 * context at Lighthouse's mobile size (412×823, DPR 1.75, touch) with
 * Chromium's CPU slowed 4× (CDP Emulation.setCPUThrottlingRate, as DevTools
 * does; Lighthouse's own run simulates the same slowdown), the production
 * build at the address without parameters, traced in two phases:
 *
 * - `load`: from navigation until the page has been quiet for QUIET_MS after
 *   its load event. The build-time view is all there is: no code of the
 *   explorer runs (src/prerender/boot.ts).
 * - `firstAction`: the reader's pointer moves over the page; from that event
 *   until React has mounted (html[data-app="ready"]: `readyMs`, the wait of
 *   a first click, which is held and then replayed) and the main thread has
 *   been quiet for QUIET_MS (the story's first chapter plays meanwhile).
 *
 * For each phase: every main-thread task over 50 ms (the trace's top-level
 * RunTask slices of the page's renderer), with its start, its style and
 * layout time, and the module groups with the most CPU-profile samples in it
 * (through the analysis build's source maps, as ./profile.ts);
 * `blockingMs`, the sum of their time past 50 ms (what Lighthouse sums as
 * total blocking time); and the longest.
 */
import { devices, type Browser } from '@playwright/test';
import { traced, type TraceEvent } from './trace.ts';
import { attribute, type CpuProfile } from './profile.ts';

export const CPU_SLOWDOWN = 4;
export const QUIET_MS = 3000;

export interface LoadTask {
  /** From the start of its phase. */
  startMs: number;
  ms: number;
  /** Style and layout inside the task (the trace's UpdateLayoutTree and Layout slices). */
  layoutMs: number;
  /** The module groups with the most JS samples inside the task (forced layout counts for the script). */
  groups: { group: string; ms: number }[];
}

export interface LoadPhase {
  longTasks: LoadTask[];
  blockingMs: number;
  longestMs: number;
}

export interface LoadReport {
  cpuSlowdown: number;
  viewport: string;
  load: LoadPhase;
  firstAction: LoadPhase & { readyMs: number };
}

const CATEGORIES = [
  'toplevel',
  'devtools.timeline',
  'disabled-by-default-devtools.timeline',
  'blink.user_timing',
  'v8.execute',
  'disabled-by-default-v8.cpu_profiler',
];

type Traced = TraceEvent & { id?: string };

interface ProfileChunk {
  cpuProfile?: { nodes?: CpuProfile['nodes']; samples?: number[] };
  timeDeltas?: number[];
}

/** The CPU profile the trace carries for one thread, rebuilt from its Profile and ProfileChunk events. */
function profileOf(events: readonly Traced[], pid: number, tid: number): CpuProfile | null {
  const head = events.find((e) => e.name === 'Profile' && e.pid === pid && e.tid === tid);
  if (!head) return null;
  const startTime = (head.args?.data as { startTime?: number } | undefined)?.startTime ?? head.ts;
  const nodes: CpuProfile['nodes'] = [];
  const samples: number[] = [];
  const timeDeltas: number[] = [];
  for (const e of events) {
    if (e.name !== 'ProfileChunk' || e.pid !== pid || e.id !== head.id) continue;
    const d = (e.args?.data ?? {}) as ProfileChunk;
    nodes.push(...(d.cpuProfile?.nodes ?? []));
    samples.push(...(d.cpuProfile?.samples ?? []));
    timeDeltas.push(...(d.timeDeltas ?? []));
  }
  const endTime = timeDeltas.reduce((t, dt) => t + dt, startTime);
  return { nodes, samples, timeDeltas, startTime, endTime };
}

/**
 * The page's own tasks that end after `from` and by `to`, top-level only (the scheduler's RunTask slices
 * nest). By their end: the task in which the reader's event is handled belongs to the first action.
 */
function tasksBetween(main: readonly Traced[], from: number, to: number): Traced[] {
  const tasks: Traced[] = [];
  const end = (e: Traced) => e.ts + (e.dur ?? 0);
  for (const e of main
    .filter(
      (e) =>
        (e.name === 'RunTask' || e.name === 'ThreadControllerImpl::RunTask') && end(e) > from && end(e) <= to,
    )
    .sort((a, b) => a.ts - b.ts || b.dur! - a.dur!)) {
    const last = tasks[tasks.length - 1];
    if (!last || e.ts >= last.ts + last.dur!) tasks.push(e);
  }
  return tasks;
}

function phase(
  main: readonly Traced[],
  samples: readonly { ts: number; us: number; group: string }[],
  from: number,
  to: number,
): LoadPhase {
  const layouts = main.filter((e) => e.name === 'Layout' || e.name === 'UpdateLayoutTree');
  const inside = (ts: number, t: Traced) => ts >= t.ts && ts < t.ts + t.dur!;
  const longTasks = tasksBetween(main, from, to)
    .filter((t) => t.dur! > 50_000)
    .map((t) => {
      const groups = new Map<string, number>();
      for (const s of samples) if (inside(s.ts, t)) groups.set(s.group, (groups.get(s.group) ?? 0) + s.us);
      return {
        startMs: Math.round((t.ts - from) / 1000),
        ms: Math.round(t.dur! / 1000),
        layoutMs: Math.round(layouts.filter((l) => inside(l.ts, t)).reduce((s, l) => s + l.dur!, 0) / 1000),
        groups: [...groups]
          .sort((a, b) => b[1] - a[1])
          .slice(0, 3)
          .map(([group, us]) => ({ group, ms: Math.round(us / 1000) })),
      };
    });
  return {
    longTasks,
    blockingMs: longTasks.reduce((s, t) => s + t.ms - 50, 0),
    longestMs: Math.max(0, ...longTasks.map((t) => t.ms)),
  };
}

export async function loadReport(
  browser: Browser,
  url: string,
  analysisDir: string | null,
): Promise<LoadReport> {
  const viewport = { width: 412, height: 823 };
  const ctx = await browser.newContext({ ...devices['Moto G4'], viewport, deviceScaleFactor: 1.75 });
  const page = await ctx.newPage();
  const cdp = await ctx.newCDPSession(page);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: CPU_SLOWDOWN });
  await page.addInitScript(() => performance.mark('bench:load'));
  const { events, result: readyMs } = await traced(cdp, CATEGORIES, async () => {
    await page.goto(url, { waitUntil: 'load' });
    await page.waitForTimeout(QUIET_MS);
    const loaded = await page.evaluate(() => document.documentElement.dataset.app ?? '');
    if (loaded !== 'static')
      throw new Error(`load: the front page is "${loaded}" before any action, not "static"`);
    await page.evaluate(() =>
      document.addEventListener('pointermove', () => performance.mark('bench:intent'), {
        capture: true,
        once: true,
      }),
    );
    const t0 = Date.now();
    await page.mouse.move(200, 300);
    await page.waitForFunction(() => document.documentElement.dataset.app === 'ready', null, {
      timeout: 120_000,
    });
    const ms = Date.now() - t0;
    await page.waitForTimeout(QUIET_MS);
    await page.evaluate(() => performance.mark('bench:end'));
    return ms;
  });
  await ctx.close();

  const markOf = (name: string) => {
    const m = events.find((e) => e.name === name && e.cat.includes('user_timing'));
    if (!m) throw new Error(`load: no ${name} mark in the trace`);
    return m;
  };
  const [start, intent, end] = [markOf('bench:load'), markOf('bench:intent'), markOf('bench:end')];
  const main = events.filter((e) => e.pid === start.pid && e.tid === start.tid && e.ph === 'X');
  const origin =
    events
      .filter((e) => e.pid === start.pid && e.tid === start.tid && e.name === 'navigationStart')
      .map((e) => e.ts)
      .filter((ts) => ts <= start.ts)
      .sort((a, b) => b - a)[0] ?? start.ts;
  const profile = profileOf(events, start.pid, start.tid);
  const samples = profile && analysisDir ? attribute(profile, analysisDir) : [];
  return {
    cpuSlowdown: CPU_SLOWDOWN,
    viewport: `${viewport.width}×${viewport.height}`,
    load: phase(main, samples, origin, intent.ts),
    firstAction: { readyMs, ...phase(main, samples, intent.ts, end.ts) },
  };
}
