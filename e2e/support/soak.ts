/**
 * The soak (issue 6), shared by e2e/soak.spec.ts (a short run in `npm test`)
 * and `npm run bench` (10 000 steps): autoplay at full speed through the
 * built-in scenarios in turn (the page stops at the end of a run: the next
 * scenario is picked in the Scenario select and played), and the JS heap
 * after a forced GC, at a warmed-up baseline and at the end.
 *
 * Heap: Chrome DevTools Protocol `HeapProfiler.collectGarbage` (twice: the
 * first pass may leave garbage that finalizers free), then
 * `Runtime.getHeapUsage().usedSize`: the bytes of live objects in this
 * page's V8 heap.
 *
 * Warm-up: whole cycles through every built-in (one by default; the bench
 * runs two), so that what the page keeps on purpose (each run's states and
 * views, memoized per scenario and era) is in the baseline. What grows after
 * that, cycle after cycle over the same scenarios, is a leak, or V8's
 * optimized code for functions that only become hot later (a heap snapshot
 * diff over five cycles on this page: about 0.75 MB of code objects, a few
 * tens of kB of Chromium's performance-timeline entries, no app objects);
 * the per-cycle samples tell the two apart: code growth levels off.
 */
import type { CDPSession, Page } from '@playwright/test';

/** Only the type: the spec and the bench each bring their own `expect`-free Playwright. */
type Locator = ReturnType<Page['locator']>;

export interface SoakOptions {
  /** Steps to autoplay after the warm-up (at least; the last run is played to its end). */
  steps: number;
  /** Built-in ids to cycle through, with their total micro-steps (in their own era). */
  scenarios: readonly { id: string; total: number }[];
  /** Whole cycles through every scenario before the baseline (default 1). */
  warmupCycles?: number;
  /** Called after each run. */
  onRun?: (r: { id: string; total: number; done: number; phase: 'warm-up' | 'soak' }) => void;
  /** Longest a single run may take before the soak gives up (ms). */
  runTimeoutMs?: number;
}

export interface HeapSample {
  /** Steps played since the baseline. */
  steps: number;
  bytes: number;
}

export interface SoakResult {
  /** Steps autoplayed after the warm-up (the count the options asked for, or a little more). */
  steps: number;
  warmupSteps: number;
  runs: number;
  ms: number;
  stepsPerSec: number;
  heapBaselineBytes: number;
  heapEndBytes: number;
  /** (end − baseline) / baseline. */
  heapGrowth: number;
  /** Growth over the second half of the soak only, relative to the baseline: a leak keeps growing, warm-up effects do not. */
  heapGrowthSecondHalf: number;
  /** The heap after GC at the end of each cycle through all scenarios (trend). */
  samples: HeapSample[];
}

export async function heapAfterGc(cdp: CDPSession): Promise<number> {
  await cdp.send('HeapProfiler.collectGarbage');
  await cdp.send('HeapProfiler.collectGarbage');
  const u = await cdp.send('Runtime.getHeapUsage');
  return u.usedSize;
}

/**
 * Play `sc` from step 0 to its end at full speed: select it (unless it is
 * shown), press Play, wait (in the page, one round trip) until the page has
 * stopped at the last step.
 */
async function playOnce(page: Page, sc: { id: string; total: number }, timeoutMs: number): Promise<void> {
  const select: Locator = page.getByRole('combobox', { name: 'Scenario', exact: true });
  if ((await select.inputValue()) !== sc.id) await select.selectOption(sc.id);
  // A new scenario starts at 0; the one shown may be at its end (Play then starts again from 0).
  await page.waitForFunction(
    (t) =>
      ['0', String(t)].includes(document.querySelector('[data-testid="step-counter"]')?.textContent ?? ''),
    sc.total,
    { timeout: 10_000 },
  );
  await page.getByRole('button', { name: 'Play', exact: true }).click();
  await page.waitForFunction(
    (t) =>
      document.querySelector('[data-testid="step-counter"]')?.textContent === String(t) &&
      [...document.querySelectorAll('button')].some((b) => b.textContent?.trim() === 'Play'),
    sc.total,
    { timeout: timeoutMs, polling: 50 },
  );
}

/** Autoplay through the scenarios until `steps` have been played after a warm-up cycle; measure the heap. */
export async function soak(page: Page, opts: SoakOptions): Promise<SoakResult> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('HeapProfiler.enable');
  await page.getByLabel('Speed').selectOption({ label: await maxSpeedLabel(page) });
  const timeout = (total: number) => opts.runTimeoutMs ?? Math.max(20_000, total * 200);

  let warmupSteps = 0;
  for (let c = 0; c < (opts.warmupCycles ?? 1); c++)
    for (const sc of opts.scenarios) {
      await playOnce(page, sc, timeout(sc.total));
      warmupSteps += sc.total;
      opts.onRun?.({ ...sc, done: warmupSteps, phase: 'warm-up' });
    }
  const heapBaselineBytes = await heapAfterGc(cdp);

  const t0 = Date.now();
  const samples: HeapSample[] = [];
  let steps = 0;
  let runs = 0;
  for (let i = 0; steps < opts.steps; i++) {
    const sc = opts.scenarios[i % opts.scenarios.length]!;
    await playOnce(page, sc, timeout(sc.total));
    steps += sc.total;
    runs++;
    opts.onRun?.({ ...sc, done: steps, phase: 'soak' });
    if ((i + 1) % opts.scenarios.length === 0 && steps < opts.steps)
      samples.push({ steps, bytes: await heapAfterGc(cdp) });
  }
  const ms = Date.now() - t0;
  const heapEndBytes = await heapAfterGc(cdp);
  samples.push({ steps, bytes: heapEndBytes });
  await cdp.detach();
  const half = [...samples].reverse().find((x) => x.steps <= steps / 2) ?? {
    steps: 0,
    bytes: heapBaselineBytes,
  };
  return {
    steps,
    warmupSteps,
    runs,
    ms,
    stepsPerSec: Math.round((steps / ms) * 1000 * 10) / 10,
    heapBaselineBytes,
    heapEndBytes,
    heapGrowth: (heapEndBytes - heapBaselineBytes) / heapBaselineBytes,
    heapGrowthSecondHalf: (heapEndBytes - half.bytes) / heapBaselineBytes,
    samples,
  };
}

/** The label of the fastest option of the page's Speed select (its last option: "Max (≤ 60/s)"). */
export async function maxSpeedLabel(page: Page): Promise<string> {
  const labels = await page.getByLabel('Speed').locator('option').allTextContents();
  const last = labels[labels.length - 1];
  if (!last) throw new Error('soak: the Speed select has no options');
  return last;
}
