/**
 * `npm run bench` (README, "Measuring it"). Run through scripts/bench.mjs, which
 * bundles this file for Node. Builds the product (`npm run build`), measures
 * it, writes bench-results.json and prints a table. Every figure is measured
 * here, now; how each one is measured is said in the module that measures it:
 *   ./bundle.ts (sizes), ./explore.ts (exploration), ./browser.ts and
 *   ./trace.ts (Chromium), ../../e2e/support/soak.ts (soak), ./lighthouse.ts.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { ERA_IDS } from '../../src/model/index.ts';
import { BUILTINS } from '../../src/scenarios/index.ts';
import { getRun } from '../../src/view/player/runs.ts';
import { formatExploreAll } from '../../src/explore/bench.ts';
import { analysisBuilds, bundleReport, GZIP_LEVEL, type BundleReport, type PageJs } from './bundle.ts';
import { exploreReport, type ExploreReport } from './explore.ts';
import { browserReport, READ_MS, startPreview, type BrowserReport, type Longest } from './browser.ts';
import type { LoadPhase } from './load.ts';
import { emptyPage, lighthouse, LIGHTHOUSE, longestTasks, type LighthouseRun } from './lighthouse.ts';
import { mutationReport, mutationTable, partialReport } from './mutation.ts';

/** The budgets, printed next to the figures (never asserted here). */
export const BUDGETS = {
  appJsGzip: 110_000,
  appJsGzipStretch: 90_000,
  longTasksOver50ms: 0,
  p95FrameScriptMs: 10,
  stepInputMs: 50,
  // Every built-in in all twelve eras, cold (a fresh Node process).
  exploreMs: 3000,
  heapGrowth: 0.1,
  // Lighthouse's mobile preset (4x CPU throttling); the desktop preset stays near 100.
  lighthousePerformance: 90,
  // No task over 200 ms while the front page loads with the CPU slowed 4× (Lighthouse's mobile slowdown).
  loadLongestTaskMs: 200,
  lighthouseAccessibility: 100,
} as const;

interface Options {
  build: boolean;
  browser: boolean;
  soakSteps: number | null;
  lighthouse: boolean;
  /** Mobile runs of the front page, each followed by one of an empty page (--lighthouse-runs N). */
  lighthouseRuns: number;
  /** Only the mutation score (./mutation.ts), merged into `out` under `mutation`. */
  mutation: boolean;
  /** --mutate globs for a narrowed mutation run, or null. */
  mutate: string[] | null;
  /** --partial: no run; the counts so far of the current or last run, from its progress log. */
  partial: boolean;
  out: string;
}

function parse(argv: readonly string[], root: string): Options | string {
  const o: Options = {
    build: true,
    browser: true,
    soakSteps: 10_000,
    lighthouse: false,
    lighthouseRuns: 1,
    mutation: false,
    mutate: null,
    partial: false,
    out: join(root, 'bench-results.json'),
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--no-build') o.build = false;
    else if (a === '--no-browser') o.browser = false;
    else if (a === '--no-soak') o.soakSteps = null;
    else if (a === '--lighthouse') o.lighthouse = true;
    else if (a === '--lighthouse-runs' && /^[1-9]\d?$/.test(argv[i + 1] ?? '')) {
      o.lighthouse = true;
      o.lighthouseRuns = Number(argv[++i]);
    } else if (a === '--mutation') o.mutation = true;
    else if (a === '--partial') o.partial = true;
    else if (a === '--mutate' && argv[i + 1] && !argv[i + 1]!.startsWith('--'))
      o.mutate = argv[++i]!.split(',').filter(Boolean);
    else if (a === '--soak-steps' && /^\d+$/.test(argv[i + 1] ?? '')) o.soakSteps = Number(argv[++i]);
    else if (a === '--out' && argv[i + 1]) o.out = argv[++i]!;
    else
      return `unknown or incomplete option ${JSON.stringify(a)}; options: --no-build --no-browser --no-soak --soak-steps N --lighthouse --lighthouse-runs N (1-99) --mutation --mutate GLOBS --partial --out FILE`;
  }
  if ((o.mutate || o.partial) && !o.mutation) return '--mutate and --partial go with --mutation';
  return o;
}

function sh(cmd: string, args: string[], cwd: string): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const p = spawn(cmd, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    p.stdout.on('data', (d) => (out += d));
    p.stderr.on('data', (d) => (out += d));
    p.on('close', (code) => resolve({ code, out }));
  });
}

/** The built-in run with the most micro-steps, over every scenario and era, as the page plays it. */
export function longestScenario(): Longest {
  let best: Longest | null = null;
  for (const s of BUILTINS)
    for (const era of ERA_IDS) {
      const total = getRun(s, era, s.schedule ?? []).total;
      if (!best || total > best.total) best = { id: s.id, era, total };
    }
  return best!;
}

const kB = (b: number | null | undefined) => (b == null ? 'n/a' : `${(b / 1000).toFixed(1)} kB`);
const pad = (s: string, n: number) => (s.length >= n ? s : s + ' '.repeat(n - s.length));
const lpad = (s: string, n: number) => (s.length >= n ? s : ' '.repeat(n - s.length) + s);
const verdict = (ok: boolean | null) => (ok === null ? '' : ok ? 'ok' : 'OVER');

function pageRows(p: PageJs, label: string): string[] {
  const rows: string[] = [];
  rows.push(
    `  ${pad(`${label}: initial JS (${p.html}: entry + static imports)`, 58)}${lpad(kB(p.initialGzip), 10)}${lpad(kB(p.initialBytes), 11)}`,
  );
  for (const f of p.initial)
    rows.push(`    ${pad(f.file, 56)}${lpad(kB(f.gzip), 10)}${lpad(kB(f.bytes), 11)}`);
  rows.push(
    `  ${pad(`${label}: lazy chunks (dynamic import)`, 58)}${lpad(kB(p.lazyGzip), 10)}${lpad(kB(p.lazy.reduce((a, f) => a + f.bytes, 0)), 11)}`,
  );
  for (const f of p.lazy) rows.push(`    ${pad(f.file, 56)}${lpad(kB(f.gzip), 10)}${lpad(kB(f.bytes), 11)}`);
  for (const f of p.workers)
    rows.push(
      `  ${pad(`${label}: worker ${f.file} (on first Explore)`, 58)}${lpad(kB(f.gzip), 10)}${lpad(kB(f.bytes), 11)}`,
    );
  for (const f of p.css)
    rows.push(`  ${pad(`${label}: CSS ${f.file}`, 58)}${lpad(kB(f.gzip), 10)}${lpad(kB(f.bytes), 11)}`);
  return rows;
}

export interface Results {
  bundle: { appJsGzip: number | null; embedJsGzip: number | null; elementJsGzip: number | null } & Record<
    string,
    unknown
  >;
  explore: { runs: number; states: number; ms: number; statesPerSec: number } & Record<string, unknown>;
  browser: {
    lcpMs: number | null;
    loadLongestTaskMs: number | null;
    longTasksOver50ms: number | null;
    p95FrameScriptMs: number | null;
    stepInputMs: number | null;
  } & Record<string, unknown>;
  soak: BrowserReport['soak'];
  lighthouse: LighthouseRun[] | null;
  meta: Record<string, unknown>;
}

export function results(
  b: BundleReport,
  x: ExploreReport,
  br: BrowserReport | null,
  lh: LighthouseRun[] | null,
  meta: Record<string, unknown>,
): Results {
  const warm = [...x.warmMs].sort((a, c) => a - c)[Math.floor(x.warmMs.length / 2)] ?? null;
  return {
    bundle: {
      appJsGzip: b.app?.initialGzip ?? null,
      embedJsGzip: b.embed?.initialGzip ?? null,
      elementJsGzip: b.element?.gzip ?? null,
      gzipLevel: GZIP_LEVEL,
      app: b.app,
      embed: b.embed,
      element: b.element,
      notes: b.notes,
    },
    explore: {
      runs: x.cold.total.runs,
      states: x.cold.total.states,
      ms: x.cold.total.ms,
      statesPerSec: x.cold.total.statesPerSec,
      transitions: x.cold.total.transitions,
      coldMs: x.cold.total.ms,
      warmMs: warm,
      warmStatesPerSec: warm ? Math.round(x.cold.total.states / (warm / 1000)) : null,
      warmRunsMs: x.warmMs,
      importMs: x.importMs,
      rows: x.cold.rows,
    },
    browser: {
      lcpMs: br?.lcp.medianMs ?? null,
      loadBlockingMs: br?.load.load.blockingMs ?? null,
      loadLongestTaskMs: br?.load.load.longestMs ?? null,
      firstActionReadyMs: br?.load.firstAction.readyMs ?? null,
      longTasksOver50ms: br?.autoplay.longTasksOver50ms ?? null,
      p95FrameScriptMs: br?.frames.p95ScriptMs ?? null,
      p95FrameScriptMsPlayAtOnce: br?.framesAtOnce.p95ScriptMs ?? null,
      stepInputMs: br?.stepInput.medianMs ?? null,
      stepInputP95Ms: br?.stepInput.p95Ms ?? null,
      ...(br
        ? {
            chromium: br.chromium,
            longest: br.longest,
            lcp: br.lcp,
            load: br.load,
            autoplay: br.autoplay,
            frames: br.frames,
            framesAtOnce: br.framesAtOnce,
            script: br.script,
            stepInput: br.stepInput,
            consoleErrors: br.consoleErrors,
          }
        : {}),
    },
    soak: br?.soak ?? null,
    lighthouse: lh,
    meta,
  };
}

export function table(
  r: Results,
  b: BundleReport,
  x: ExploreReport,
  br: BrowserReport | null,
  lh: LighthouseRun[] | null,
): string {
  const L: string[] = [];
  const m = r.meta;
  L.push(
    `vfio-kvm-explorer bench — ${m.date}; Node ${m.node}; ${m.cpus} CPUs, load ${m.loadavg} (start) ${m.loadavgEnd} (end)${br ? `; Chromium ${br.chromium}` : ''}`,
  );
  const busy = Math.max(...[m.loadavg, m.loadavgEnd].map((l) => Number(String(l).split(' ')[0])));
  if (busy > (m.cpus as number) * 0.75)
    L.push(
      `WARNING: the machine was busy (1-minute load ${busy} on ${m.cpus} CPUs): timings (exploration, browser) are inflated; sizes are not affected.`,
    );
  L.push('');
  L.push(
    `${pad(`Bundle (gzip -${GZIP_LEVEL} of the built files)`, 60)}${lpad('gzip', 10)}${lpad('raw', 11)}`,
  );
  if (b.app) L.push(...pageRows(b.app, 'app'));
  if (b.embed) L.push(...pageRows(b.embed, 'embed'));
  if (b.element)
    L.push(
      `  ${pad('element: dist/vfio-kvm-explorer.js (one file)', 58)}${lpad(kB(b.element.gzip), 10)}${lpad(kB(b.element.bytes), 11)}`,
    );
  for (const n of b.notes) L.push(`  note: ${n}`);
  L.push('');
  if (b.app) {
    L.push(
      `Initial JS of the page by module group (share of its gzip size; minified bytes from the source maps)`,
    );
    const top = b.app.groups.slice(0, 18);
    for (const g of top)
      L.push(
        `  ${pad(g.group, 42)}${lpad(kB(g.gzip), 10)}${lpad(kB(g.bytes), 11)}${lpad(`${((g.gzip / b.app.initialGzip) * 100).toFixed(1)} %`, 9)}`,
      );
    const rest = b.app.groups.slice(18);
    if (rest.length)
      L.push(
        `  ${pad(`(${rest.length} more groups)`, 42)}${lpad(kB(rest.reduce((a, g) => a + g.gzip, 0)), 10)}${lpad(kB(rest.reduce((a, g) => a + g.bytes, 0)), 11)}`,
      );
    L.push('  biggest modules:');
    for (const t of b.app.topModules.slice(0, 12)) L.push(`    ${pad(t.module, 60)}${lpad(kB(t.gzip), 10)}`);
    L.push('');
  }
  L.push('Exploration: every built-in scenario in every era (cold: first call in a fresh Node process)');
  L.push(
    formatExploreAll(x.cold)
      .replace(/\n$/, '')
      .split('\n')
      .map((l) => `  ${l}`)
      .join('\n'),
  );
  L.push(
    `  cold ${x.cold.total.ms} ms (${x.cold.total.statesPerSec} states/s); warm ${r.explore.warmMs} ms (median of ${x.warmMs.join(', ')}); bundle import ${x.importMs} ms`,
  );
  L.push('');
  if (br) {
    L.push(`Browser (Chromium ${br.chromium}, production build, vite preview, 1280×720)`);
    L.push(
      `  LCP, fresh load of the default page        ${lpad(`${br.lcp.medianMs} ms`, 10)}  median of ${br.lcp.loadsMs.join(', ')} ms; FCP ${br.lcp.fcpMs.join(', ')} ms; element ${br.lcp.element}`,
    );
    const ld = br.load;
    const tasks = (p: LoadPhase) =>
      p.longTasks.length
        ? p.longTasks
            .slice(0, 6)
            .map(
              (t) =>
                `${t.ms} ms at ${t.startMs}${t.layoutMs ? ` (layout ${t.layoutMs})` : ''}${t.groups[0] ? ` ${t.groups[0].group}` : ''}`,
            )
            .join('; ') + (p.longTasks.length > 6 ? `; … ${p.longTasks.length - 6} more` : '')
        : 'none';
    L.push(`  the front page on a slow phone (${ld.viewport}, CPU ${ld.cpuSlowdown}× slower):`);
    L.push(
      `    load, no action: blocking time          ${lpad(`${ld.load.blockingMs} ms`, 10)}  longest task ${ld.load.longestMs} ms; tasks > 50 ms: ${tasks(ld.load)}`,
    );
    L.push(
      `    first action (pointer) → React mounted  ${lpad(`${ld.firstAction.readyMs} ms`, 10)}  then the story plays: blocking ${ld.firstAction.blockingMs} ms, longest ${ld.firstAction.longestMs} ms; tasks > 50 ms: ${tasks(ld.firstAction)}`,
    );
    L.push(
      `  autoplay of the longest scenario: ${br.longest.id} (${br.longest.era}), ${br.longest.total} steps at full speed, ${br.autoplay.ms} ms (Play pressed ${READ_MS / 1000} s after the page is ready)`,
    );
    L.push(
      `    long tasks > 50 ms                         ${lpad(String(br.autoplay.longTasksOver50ms), 10)}  ${br.autoplay.longTaskMs.length ? `(${br.autoplay.longTaskMs.join(', ')} ms)` : ''} long animation frames > 50 ms: ${br.autoplay.longAnimationFramesOver50ms ?? 'n/a'}; rAF interval p95 ${br.autoplay.p95RafIntervalMs} ms`,
    );
    L.push(
      `    script per frame, p95 (trace)              ${lpad(`${br.frames.p95ScriptMs} ms`, 10)}  p50 ${br.frames.p50ScriptMs}, max ${br.frames.maxScriptMs} ms over ${br.frames.frames} frames; forced style/layout p95 ${br.frames.p95ForcedMs} ms; script ${Math.round(br.frames.scriptShare * 100)} % of the time`,
    );
    L.push(
      `      … with Play pressed at once                ${lpad(`${br.framesAtOnce.p95ScriptMs} ms`, 10)}  p50 ${br.framesAtOnce.p50ScriptMs}, max ${br.framesAtOnce.maxScriptMs} ms over ${br.framesAtOnce.frames} frames (nothing worked out ahead yet)`,
    );
    if (br.script) {
      const sc = br.script;
      L.push(`    where the script goes (CPU profile, ${sc.jsMs} ms of JS in ${sc.wallMs} ms):`);
      L.push(
        `      ${sc.groups
          .slice(0, 10)
          .map((g) => `${g.group} ${(g.share * 100).toFixed(0)} %`)
          .join(', ')}`,
      );
      L.push(
        `      top functions: ${sc.functions
          .slice(0, 8)
          .map(
            (f) =>
              `${f.fn} (${f.module.startsWith('(') ? 'native' : f.module.replace(/^.*\//, '')}) ${(f.share * 100).toFixed(1)} %`,
          )
          .join(', ')}`,
      );
    }
    L.push(
      `  "Step forward" → next paint (${br.stepInput.presses} presses)   ${lpad(`${br.stepInput.medianMs} ms`, 10)}  median; p95 ${br.stepInput.p95Ms}, max ${br.stepInput.maxMs} ms; Chromium's Event Timing (clicks ≥ 16 ms, 8 ms steps): ${br.stepInput.eventTimingOver16ms.count} of ${br.stepInput.presses}, median ${br.stepInput.eventTimingOver16ms.medianMs ?? '-'}, max ${br.stepInput.eventTimingOver16ms.maxMs ?? '-'} ms`,
    );
    L.push(
      `  console errors: ${br.consoleErrors.length}${br.consoleErrors.length ? ` (${br.consoleErrors.slice(0, 3).join(' | ')})` : ''}`,
    );
    if (br.soak) {
      const s = br.soak;
      L.push(
        `  soak: ${s.steps} steps (${s.runs} runs, ${(s.ms / 1000).toFixed(0)} s, ${s.stepsPerSec} steps/s) after a ${s.warmupSteps}-step warm-up`,
      );
      L.push(
        `    JS heap after GC: ${(s.heapBaselineBytes / 1e6).toFixed(2)} MB → ${(s.heapEndBytes / 1e6).toFixed(2)} MB (${(s.heapGrowth * 100).toFixed(1)} %; second half of the soak ${(s.heapGrowthSecondHalf * 100).toFixed(1)} %)`,
      );
      L.push(
        `    heap after GC at each cycle's end (steps played → MB): ${s.samples.map((x) => `${x.steps} → ${(x.bytes / 1e6).toFixed(2)}`).join(', ')}`,
      );
    }
    L.push('');
  }
  if (lh) {
    L.push(`Lighthouse (${LIGHTHOUSE}, npx, Debian Chromium headless)`);
    for (const l of lh) {
      const name = l.page === 'empty' ? `${l.preset}, an empty page` : l.preset;
      L.push(
        l.error
          ? `  ${name}: ${l.error}`
          : `  ${pad(name, 8)} performance ${l.performance}, accessibility ${l.accessibility}  (${Object.entries(
              l.metrics,
            )
              .map(([k, v]) => `${k.replace(/-/g, ' ')} ${v}`)
              .join('; ')}) ${Math.round(l.ms / 1000)} s`,
      );
      if (!l.error)
        L.push(
          `    tasks over 50 ms as listed (ms, charged to): ${
            l.longTasks.map((t) => `${t.ms} ${t.source}`).join(', ') || 'none'
          }`,
        );
    }
    L.push('');
  }
  const bud = BUDGETS;
  const rows: [string, string, string, boolean | null][] = [
    [
      'bundle.appJsGzip',
      kB(r.bundle.appJsGzip),
      `≤ ${kB(bud.appJsGzip)} (stretch ${kB(bud.appJsGzipStretch)})`,
      r.bundle.appJsGzip == null ? null : r.bundle.appJsGzip <= bud.appJsGzip,
    ],
    [
      'bundle.embedJsGzip',
      r.bundle.embedJsGzip == null ? 'null (no dist/embed.html)' : kB(r.bundle.embedJsGzip),
      '',
      null,
    ],
    [
      'bundle.elementJsGzip',
      r.bundle.elementJsGzip == null ? 'null (no dist/vfio-kvm-explorer.js)' : kB(r.bundle.elementJsGzip),
      '',
      null,
    ],
    ['explore.runs / states', `${r.explore.runs} / ${r.explore.states}`, '', null],
    [
      'explore.ms (cold) / statesPerSec',
      `${r.explore.ms} ms / ${r.explore.statesPerSec}`,
      `< ${bud.exploreMs} ms`,
      r.explore.ms < bud.exploreMs,
    ],
    ['browser.lcpMs', r.browser.lcpMs == null ? 'not measured' : `${r.browser.lcpMs} ms`, '', null],
    [
      'browser.loadLongestTaskMs (4× CPU)',
      r.browser.loadLongestTaskMs == null ? 'not measured' : `${r.browser.loadLongestTaskMs} ms`,
      `≤ ${bud.loadLongestTaskMs} ms`,
      r.browser.loadLongestTaskMs == null ? null : r.browser.loadLongestTaskMs <= bud.loadLongestTaskMs,
    ],
    [
      'browser.longTasksOver50ms',
      r.browser.longTasksOver50ms == null ? 'not measured' : String(r.browser.longTasksOver50ms),
      `= ${bud.longTasksOver50ms}`,
      r.browser.longTasksOver50ms == null ? null : r.browser.longTasksOver50ms <= bud.longTasksOver50ms,
    ],
    [
      'browser.p95FrameScriptMs',
      r.browser.p95FrameScriptMs == null ? 'not measured' : `${r.browser.p95FrameScriptMs} ms`,
      `≤ ${bud.p95FrameScriptMs} ms`,
      r.browser.p95FrameScriptMs == null ? null : r.browser.p95FrameScriptMs <= bud.p95FrameScriptMs,
    ],
    [
      'browser.stepInputMs (median; p95)',
      r.browser.stepInputMs == null
        ? 'not measured'
        : `${r.browser.stepInputMs} ms; ${r.browser.stepInputP95Ms} ms`,
      `≤ ${bud.stepInputMs} ms`,
      r.browser.stepInputMs == null ? null : (r.browser.stepInputP95Ms as number) <= bud.stepInputMs,
    ],
  ];
  if (r.soak)
    rows.push([
      'soak heap growth',
      `${(r.soak.heapGrowth * 100).toFixed(1)} % over ${r.soak.steps} steps`,
      `< ${bud.heapGrowth * 100} %`,
      r.soak.heapGrowth < bud.heapGrowth,
    ]);
  for (const preset of ['mobile', 'desktop'] as const) {
    const runs = (lh ?? []).filter((l) => l.preset === preset && l.page === 'app' && !l.error);
    if (runs.length === 0) continue;
    const range = (xs: number[]) => {
      const lo = Math.min(...xs);
      const hi = Math.max(...xs);
      return lo === hi ? `${lo}` : `${lo}–${hi}`;
    };
    const perf = runs.map((l) => l.performance ?? 0);
    const a11y = runs.map((l) => l.accessibility ?? 0);
    rows.push([
      `lighthouse ${preset} perf / a11y`,
      `${range(perf)} / ${range(a11y)}${runs.length > 1 ? ` (${runs.length} runs)` : ''}`,
      `≥ ${bud.lighthousePerformance} / ${bud.lighthouseAccessibility}`,
      Math.min(...perf) >= bud.lighthousePerformance && Math.min(...a11y) >= bud.lighthouseAccessibility,
    ]);
  }
  const app = lh ? longestTasks(lh, 'app') : null;
  const empty = lh ? longestTasks(lh, 'empty') : null;
  if (app)
    rows.push([
      'lighthouse mobile longest task',
      `${app.maxMs} ms${app.runs > 1 ? `; median ${app.medianMs} of ${app.runs}` : ''}`,
      `≤ ${bud.loadLongestTaskMs} ms${empty ? `; empty page: ${empty.maxMs}` : ''}`,
      app.maxMs <= bud.loadLongestTaskMs,
    ]);
  L.push('Summary (bench-results.json keys; budgets, not asserted)');
  for (const [k, v, budget, ok] of rows)
    L.push(`  ${pad(k, 36)}${pad(v, 34)}${pad(budget, 30)}${verdict(ok)}`);
  return L.join('\n') + '\n';
}

/**
 * `--mutation`: the mutation score alone (the other figures take minutes of their own, and it takes far
 * longer). It is merged into the `out` file under `mutation`; the other keys there are kept.
 */
async function mutation(opts: Options, root: string, log: (s: string) => void): Promise<number> {
  const r = opts.partial ? partialReport(root) : await mutationReport(root, opts.mutate, log);
  if (typeof r === 'string') {
    log(r);
    return 1;
  }
  let prev: Record<string, unknown> = {};
  if (existsSync(opts.out))
    try {
      prev = JSON.parse(readFileSync(opts.out, 'utf8')) as Record<string, unknown>;
    } catch {
      log(`${opts.out} was not JSON: rewritten with the mutation key only`);
    }
  const { survivors, ...counts } = r;
  const entry = {
    ...r.dirs,
    all: r.all,
    files: counts.files,
    mutate: counts.mutate,
    partial: counts.partial,
    ms: counts.ms,
    survivors: survivors.length,
    date: new Date().toISOString(),
    node: process.version,
    cpus: cpus().length,
  };
  writeFileSync(opts.out, JSON.stringify({ ...prev, mutation: entry }, null, 2) + '\n');
  process.stdout.write(mutationTable(r));
  process.stdout.write(`\nwrote ${opts.out} (key "mutation")\n`);
  return 0;
}

export async function main(argv: readonly string[], root: string): Promise<number> {
  const opts = parse(argv, root);
  if (typeof opts === 'string') {
    process.stderr.write(`bench: ${opts}\n`);
    return 2;
  }
  const log = (s: string) => process.stderr.write(`bench: ${s}\n`);
  if (opts.mutation) return mutation(opts, root, log);
  const cache = join(root, 'node_modules', '.cache', 'vfio-kvm-bench');
  mkdirSync(cache, { recursive: true });
  const meta: Record<string, unknown> = {
    date: new Date().toISOString(),
    node: process.version,
    cpus: cpus().length,
    loadavg: loadavg()
      .map((l) => l.toFixed(2))
      .join(' '),
  };

  if (opts.build) {
    log('npm run build');
    const t0 = Date.now();
    const b = await sh('npm', ['run', 'build'], root);
    if (b.code !== 0) {
      process.stderr.write(b.out);
      log('the build failed');
      return 1;
    }
    meta.buildMs = Date.now() - t0;
  }
  log('analysis build (manifest, source maps)');
  const dirs = await analysisBuilds(root, cache);
  const bundle = bundleReport(dirs);

  log('exploration (fresh Node process)');
  const explore = await exploreReport(root, cache);

  let browser: BrowserReport | null = null;
  if (opts.browser) {
    const longest = longestScenario();
    const scenarios = BUILTINS.map((s) => ({ id: s.id, total: getRun(s, s.era, s.schedule ?? []).total }));
    browser = await browserReport({
      root,
      analysisDir: bundle.app?.htmlAgrees ? dirs.analysis : null,
      longest,
      soak: opts.soakSteps ? { steps: opts.soakSteps, scenarios } : null,
      log,
    });
  }

  let lh: LighthouseRun[] | null = null;
  if (opts.lighthouse) {
    const server = await startPreview(root);
    const empty = await emptyPage();
    try {
      lh = [];
      for (let i = 1; i <= opts.lighthouseRuns; i++) {
        log(`lighthouse (mobile, run ${i} of ${opts.lighthouseRuns})`);
        lh.push(await lighthouse(server.url, cache, 'mobile'));
        log(`lighthouse (mobile, an empty page, run ${i} of ${opts.lighthouseRuns})`);
        lh.push(await lighthouse(empty.url, cache, 'mobile', 'empty'));
      }
      log('lighthouse (desktop)');
      lh.push(await lighthouse(server.url, cache, 'desktop'));
    } finally {
      await Promise.all([server.close(), empty.close()]);
    }
  }

  meta.loadavgEnd = loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
  const r = results(bundle, explore, browser, lh, meta);
  writeFileSync(opts.out, JSON.stringify(r, null, 2) + '\n');
  process.stdout.write(table(r, bundle, explore, browser, lh));
  process.stdout.write(`\nwrote ${opts.out}\n`);
  return 0;
}
