/**
 * Figures from Chromium on the production build (npm run bench (README) `browser`), each
 * from a fresh browser context (empty cache) on the page served by
 * `vite preview` from dist/:
 *
 * - lcpMs: PerformanceObserver('largest-contentful-paint', buffered) on a
 *   fresh load of the default page; the last entry once the page is ready
 *   and quiet for a second; median of LCP_LOADS loads (each listed).
 * - longTasksOver50ms: PerformanceObserver('longtask') entries longer than
 *   50 ms while the longest built-in scenario (most micro-steps, over every
 *   scenario and era, from the model) autoplays at full speed (the last
 *   option of the Speed select) from step 0 to its end. Long animation
 *   frames (> 50 ms) are counted too when Chromium reports them. Play is
 *   pressed READ_MS after the page is ready, as a reader presses it after
 *   reading the page (the page works the run's steps out in that time:
 *   src/view/player/warm.ts).
 * - p95FrameScriptMs: the same autoplay in another fresh context, with a
 *   DevTools trace: script time per frame, p95 (method in ./trace.ts).
 *   Tracing costs a little itself, so it is kept out of the long-task run.
 *   Also measured with Play pressed as soon as the page is ready
 *   (`framesAtOnce`), before the page has worked anything out.
 * - stepInputMs: "Step forward" pressed STEP_PRESSES times (paused, each
 *   press 700 ms after the last, so the previous step's 650 ms animation has
 *   ended): from the click event's timeStamp to the next frame after the
 *   page's update has been painted (a requestAnimationFrame callback
 *   registered in the click's capture phase, then a MessageChannel message,
 *   which runs once that frame's rendering is done). Median, and p95.
 *   Chromium's Event Timing entries for those clicks (duration to the next
 *   paint, reported only from 16 ms up) are kept as a cross-check.
 * - where that script time goes: the same autoplay under V8's CPU profiler
 *   (./profile.ts), by module group and function.
 * - soak: ../../e2e/support/soak.ts.
 */
import { createServer } from 'node:net';
import { CHROMIUM_ARGS, chromiumPath } from '../../e2e/support/chromium.ts';
import { chromium, devices, type Browser, type BrowserContext, type Page } from '@playwright/test';
import { soak, maxSpeedLabel, type SoakResult } from '../../e2e/support/soak.ts';
import { frameScript, percentile, traced, TRACE_CATEGORIES, type FrameScript } from './trace.ts';
import { breakdown, type CpuProfile, type ScriptBreakdown } from './profile.ts';
import { loadReport, type LoadReport } from './load.ts';

export const LCP_LOADS = 5;
export const STEP_PRESSES = 30;
/** How long after the page is ready Play is pressed in the autoplay runs: a reader's first look at the page. */
export const READ_MS = 2000;
/** Warm-up cycles of the bench's soak (through all 14 scenarios) before the heap baseline. */
export const SOAK_WARMUP_CYCLES = 2;

export { CHROMIUM_ARGS, chromiumPath };

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      const port = typeof a === 'object' && a ? a.port : 0;
      s.close(() => resolve(port));
    });
  });
}

/** `vite preview` of dist/ (the project's config), or of `outDir`, on a free port of 127.0.0.1. */
export async function startPreview(
  root: string,
  outDir?: string,
): Promise<{ url: string; close(): Promise<void> }> {
  const { preview } = await import('vite');
  const port = await freePort();
  const server = await preview({
    root,
    ...(outDir ? { build: { outDir } } : {}),
    logLevel: 'silent',
    preview: { host: '127.0.0.1', port, strictPort: true, open: false },
  });
  return { url: `http://127.0.0.1:${port}/`, close: () => server.close() };
}

export interface Longest {
  id: string;
  era: string;
  total: number;
}

export interface BrowserReport {
  chromium: string;
  url: string;
  longest: Longest;
  lcp: { medianMs: number; loadsMs: number[]; fcpMs: number[]; element: string };
  /** The front page on a slow phone: its load, then the reader's first action (./load.ts). */
  load: LoadReport;
  autoplay: {
    steps: number;
    ms: number;
    longTasksOver50ms: number;
    longTaskMs: number[];
    longAnimationFramesOver50ms: number | null;
    /** requestAnimationFrame intervals during autoplay (no tracing). */
    p95RafIntervalMs: number;
  };
  frames: FrameScript;
  /** The same, with Play pressed as soon as the page is ready. */
  framesAtOnce: FrameScript;
  script: ScriptBreakdown | null;
  stepInput: {
    presses: number;
    medianMs: number;
    p95Ms: number;
    maxMs: number;
    allMs: number[];
    eventTimingOver16ms: { count: number; medianMs: number | null; maxMs: number | null };
  };
  soak: SoakResult | null;
  consoleErrors: string[];
}

type Win = Window & Record<string, unknown>;

async function newPage(browser: Browser, errors: string[]): Promise<{ ctx: BrowserContext; page: Page }> {
  const ctx = await browser.newContext({ ...devices['Desktop Chrome'] });
  const page = await ctx.newPage();
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console.error: ${m.text()}`);
  });
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  return { ctx, page };
}

/** The page is up: the player, the diagram, the lazily loaded panels, and React. */
async function ready(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Step forward' }).waitFor({ state: 'visible' });
  await page
    .getByRole('img', { name: /^KVM reference flow/ })
    .first()
    .waitFor({ state: 'visible' });
  await page.waitForFunction(() => document.querySelectorAll('[aria-busy="true"]').length === 0);
  // React has mounted (src/prerender/boot.ts): until then the page may be the build-time default view,
  // which loads the code when the reader is about to act (the pointer moves).
  if (await page.evaluate(() => document.documentElement.dataset.app === 'static'))
    await page.mouse.move(2, 2);
  await page.waitForFunction(() => document.documentElement.dataset.app === 'ready');
}

async function lcpOnce(
  browser: Browser,
  url: string,
  errors: string[],
): Promise<{ lcp: number; fcp: number; element: string }> {
  const { ctx, page } = await newPage(browser, errors);
  await page.addInitScript(() => {
    const w = window as unknown as Win;
    const out: { t: number; el: string }[] = [];
    w.__lcp = out;
    new PerformanceObserver((list) => {
      for (const e of list.getEntries() as (PerformanceEntry & {
        element?: Element | null;
        url?: string;
        renderTime?: number;
        loadTime?: number;
      })[]) {
        const el = e.element;
        const name = el
          ? `${el.tagName.toLowerCase()}${el.getAttribute('class') ? '.' + el.getAttribute('class')!.trim().split(/\s+/).join('.') : ''}`
          : e.url || '?';
        out.push({ t: e.startTime, el: `${name} "${(el?.textContent ?? '').trim().slice(0, 50)}"` });
      }
    }).observe({ type: 'largest-contentful-paint', buffered: true });
  });
  await page.goto(url, { waitUntil: 'load' });
  await ready(page);
  await page.waitForTimeout(1000);
  const r = await page.evaluate(() => {
    const w = window as unknown as Win;
    const l = w.__lcp as { t: number; el: string }[];
    const fcp = performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? NaN;
    return { last: l[l.length - 1] ?? null, fcp };
  });
  await ctx.close();
  if (!r.last) throw new Error('no largest-contentful-paint entry');
  return { lcp: r.last.t, fcp: r.fcp, element: r.last.el };
}

/** Open the longest scenario at step 0, full speed, ready to play. */
async function atLongest(
  browser: Browser,
  base: string,
  longest: Longest,
  errors: string[],
  readMs = READ_MS,
) {
  const { ctx, page } = await newPage(browser, errors);
  await page.goto(`${base}?scenario=${longest.id}&era=${longest.era}`);
  await ready(page);
  await page.getByLabel('Speed').selectOption({ label: await maxSpeedLabel(page) });
  await page.mouse.move(0, 0);
  if (readMs > 0) await page.waitForTimeout(readMs);
  return { ctx, page };
}

/**
 * Play with the Space key (the page's shortcut; a DevTools key event), not a click: before a click
 * Playwright runs its own checks in the page (is the button visible, stable, the target of the pointer),
 * and that script would be counted in the frame Play starts in. The end is awaited with a
 * MutationObserver on the step counter, not by polling it: each poll is a script of Playwright's in the
 * page (a few percent of the autoplay's script).
 */
async function playToEnd(page: Page, total: number): Promise<void> {
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  await page.keyboard.press(' ');
  await page.evaluate(
    ({ t, ms }) =>
      new Promise<void>((resolve, reject) => {
        const counter = document.querySelector('[data-testid="step-counter"]');
        if (!counter) return reject(new Error('no step counter'));
        const done = () => counter.textContent === String(t);
        if (done()) return resolve();
        const timer = setTimeout(() => reject(new Error(`autoplay did not reach step ${t} in ${ms} ms`)), ms);
        const mo = new MutationObserver(() => {
          if (!done()) return;
          mo.disconnect();
          clearTimeout(timer);
          resolve();
        });
        mo.observe(counter, { childList: true, characterData: true, subtree: true });
      }),
    { t: total, ms: 60_000 + total * 200 },
  );
  await page.getByRole('button', { name: 'Play', exact: true }).waitFor({ state: 'visible' });
}

async function autoplayLongTasks(
  browser: Browser,
  base: string,
  longest: Longest,
  errors: string[],
): Promise<BrowserReport['autoplay']> {
  const { ctx, page } = await atLongest(browser, base, longest, errors);
  await page.evaluate(() => {
    const w = window as unknown as Win;
    const lt: number[] = [];
    const loaf: number[] = [];
    const raf: number[] = [];
    w.__lt = lt;
    w.__loaf = loaf;
    w.__raf = raf;
    w.__loafSupported = PerformanceObserver.supportedEntryTypes.includes('long-animation-frame');
    new PerformanceObserver((l) => l.getEntries().forEach((e) => lt.push(e.duration))).observe({
      type: 'longtask',
    });
    if (w.__loafSupported)
      new PerformanceObserver((l) => l.getEntries().forEach((e) => loaf.push(e.duration))).observe({
        type: 'long-animation-frame',
      });
    let last = 0;
    const tick = (t: number) => {
      if (last) raf.push(t - last);
      last = t;
      if (!w.__rafStop) requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  });
  const t0 = Date.now();
  await playToEnd(page, longest.total);
  const ms = Date.now() - t0;
  await page.waitForTimeout(200); // let the observers deliver
  const r = await page.evaluate(() => {
    const w = window as unknown as Win;
    w.__rafStop = true;
    return {
      lt: w.__lt as number[],
      loaf: w.__loaf as number[],
      loafSupported: w.__loafSupported as boolean,
      raf: w.__raf as number[],
    };
  });
  await ctx.close();
  return {
    steps: longest.total,
    ms,
    longTasksOver50ms: r.lt.filter((d) => d > 50).length,
    longTaskMs: r.lt.map((d) => Math.round(d)),
    longAnimationFramesOver50ms: r.loafSupported ? r.loaf.filter((d) => d > 50).length : null,
    p95RafIntervalMs: Math.round(percentile(r.raf, 0.95) * 10) / 10,
  };
}

async function autoplayTrace(
  browser: Browser,
  base: string,
  longest: Longest,
  errors: string[],
  readMs = READ_MS,
): Promise<FrameScript> {
  const { ctx, page } = await atLongest(browser, base, longest, errors, readMs);
  const cdp = await ctx.newCDPSession(page);
  const { events } = await traced(cdp, TRACE_CATEGORIES, async () => {
    await page.evaluate(() => performance.mark('bench:play'));
    await playToEnd(page, longest.total);
    await page.evaluate(() => performance.mark('bench:end'));
  });
  await ctx.close();
  return frameScript(events);
}

async function autoplayProfile(
  browser: Browser,
  base: string,
  longest: Longest,
  errors: string[],
  analysisDir: string,
): Promise<ScriptBreakdown> {
  const { ctx, page } = await atLongest(browser, base, longest, errors);
  const cdp = await ctx.newCDPSession(page);
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
  await cdp.send('Profiler.start');
  await playToEnd(page, longest.total);
  const { profile } = await cdp.send('Profiler.stop');
  await ctx.close();
  return breakdown(profile as unknown as CpuProfile, analysisDir);
}

async function stepToPaint(
  browser: Browser,
  base: string,
  longest: Longest,
  errors: string[],
): Promise<BrowserReport['stepInput']> {
  const { ctx, page } = await atLongest(browser, base, longest, errors);
  await page.evaluate(() => {
    const w = window as unknown as Win;
    const stp: number[] = [];
    const et: number[] = [];
    w.__stp = stp;
    w.__et = et;
    addEventListener(
      'click',
      (e) => {
        const b = (e.target as Element | null)?.closest?.('button');
        if (!b || !/Step forward/.test(b.textContent ?? '')) return;
        const t0 = e.timeStamp;
        requestAnimationFrame(() => {
          const ch = new MessageChannel();
          ch.port1.onmessage = () => stp.push(performance.now() - t0);
          ch.port2.postMessage(null);
        });
      },
      true,
    );
    new PerformanceObserver((l) => {
      for (const e of l.getEntries()) if (e.name === 'click') et.push(e.duration);
    }).observe({ type: 'event', durationThreshold: 16 } as PerformanceObserverInit);
  });
  const button = page.getByRole('button', { name: 'Step forward' });
  const n = Math.min(STEP_PRESSES, longest.total);
  for (let i = 0; i < n; i++) {
    await page.waitForTimeout(700);
    await button.click();
    await page.waitForFunction((k) => ((window as unknown as Win).__stp as number[]).length > k, i, {
      polling: 20,
    });
  }
  await page.waitForTimeout(300);
  const r = await page.evaluate(() => {
    const w = window as unknown as Win;
    return { stp: w.__stp as number[], et: w.__et as number[] };
  });
  await ctx.close();
  const r1 = (x: number) => Math.round(x * 10) / 10;
  return {
    presses: r.stp.length,
    medianMs: r1(percentile(r.stp, 0.5)),
    p95Ms: r1(percentile(r.stp, 0.95)),
    maxMs: r1(Math.max(...r.stp)),
    allMs: r.stp.map(r1),
    eventTimingOver16ms: {
      count: r.et.length,
      medianMs: r.et.length ? percentile(r.et, 0.5) : null,
      maxMs: r.et.length ? Math.max(...r.et) : null,
    },
  };
}

export interface BrowserOptions {
  root: string;
  /** The analysis build (same files as dist/, with source maps): for the CPU profile. */
  analysisDir: string | null;
  longest: Longest;
  soak: { steps: number; scenarios: { id: string; total: number }[] } | null;
  log: (s: string) => void;
}

export async function browserReport(o: BrowserOptions): Promise<BrowserReport> {
  const server = await startPreview(o.root);
  const executablePath = chromiumPath();
  const browser = await chromium.launch({ executablePath, args: CHROMIUM_ARGS });
  const errors: string[] = [];
  try {
    o.log(`chromium ${browser.version()} (${executablePath ?? "Playwright's own"}), ${server.url}`);
    const loads: { lcp: number; fcp: number; element: string }[] = [];
    for (let i = 0; i < LCP_LOADS; i++) loads.push(await lcpOnce(browser, server.url, errors));
    const lcpMs = loads.map((l) => Math.round(l.lcp));
    o.log(`LCP ${lcpMs.join(', ')} ms`);
    const load = await loadReport(browser, server.url, o.analysisDir);
    o.log(
      `front page at 4× CPU: load ${load.load.blockingMs} ms blocking; first action → ready ${load.firstAction.readyMs} ms`,
    );
    const autoplay = await autoplayLongTasks(browser, server.url, o.longest, errors);
    o.log(
      `autoplay of ${o.longest.id} (${o.longest.era}, ${o.longest.total} steps): ${autoplay.longTasksOver50ms} long tasks`,
    );
    const frames = await autoplayTrace(browser, server.url, o.longest, errors);
    o.log(`frames: p95 script ${frames.p95ScriptMs} ms over ${frames.frames} frames`);
    const framesAtOnce = await autoplayTrace(browser, server.url, o.longest, errors, 0);
    o.log(
      `frames, Play at once: p95 script ${framesAtOnce.p95ScriptMs} ms over ${framesAtOnce.frames} frames`,
    );
    const script = o.analysisDir
      ? await autoplayProfile(browser, server.url, o.longest, errors, o.analysisDir)
      : null;
    if (script) o.log(`CPU profile: ${script.jsMs} ms of script in ${script.wallMs} ms`);
    const stepInput = await stepToPaint(browser, server.url, o.longest, errors);
    o.log(`step to paint: median ${stepInput.medianMs} ms, p95 ${stepInput.p95Ms} ms`);
    let soakResult: SoakResult | null = null;
    if (o.soak) {
      const { ctx, page } = await newPage(browser, errors);
      await page.goto(`${server.url}?scenario=${o.soak.scenarios[0]!.id}`);
      await ready(page);
      let next = 0;
      soakResult = await soak(page, {
        steps: o.soak.steps,
        warmupCycles: SOAK_WARMUP_CYCLES,
        scenarios: o.soak.scenarios,
        onRun: (r) => {
          if (r.phase === 'soak' && r.done >= next) {
            o.log(`soak: ${r.done} / ${o.soak!.steps} steps`);
            next = r.done + 2000;
          }
        },
      });
      await ctx.close();
      o.log(`soak: heap ${soakResult.heapBaselineBytes} → ${soakResult.heapEndBytes} bytes`);
    }
    return {
      chromium: browser.version(),
      url: server.url,
      longest: o.longest,
      lcp: {
        medianMs: Math.round(percentile(lcpMs, 0.5)),
        loadsMs: lcpMs,
        fcpMs: loads.map((l) => Math.round(l.fcp)),
        element: loads[loads.length - 1]!.element,
      },
      load,
      autoplay,
      frames,
      framesAtOnce,
      script,
      stepInput,
      soak: soakResult,
      consoleErrors: errors,
    };
  } finally {
    await browser.close();
    await server.close();
  }
}
