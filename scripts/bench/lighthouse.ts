/**
 * Lighthouse 12.2.3 (optional: `npm run bench -- --lighthouse`), run with
 * `npx -y lighthouse@12.2.3` so that it is not a dependency of the project
 * (it is 146 packages, about 110 MB; npx caches it after the first run). It
 * drives Debian's Chromium (CHROME_PATH) headless, with the same flags as the
 * tests, against the production build served by `vite preview`: once with
 * its default (mobile: Moto G Power emulation, simulated 4× CPU slowdown and
 * slow 4G) and once with `--preset=desktop`. Categories: performance and
 * accessibility.
 *
 * Each run also keeps the tasks over 50 ms that Lighthouse lists ("Avoid long
 * main-thread tasks"; with simulated throttling, as observed times 4), each
 * with the file Lighthouse attributes it to. `--lighthouse-runs N` repeats the
 * mobile run, each time followed by one of an empty page (`emptyPage`, the
 * same Chromium and flags): the tasks every navigation costs on this machine,
 * whatever the page, which on two cores are themselves far from steady.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { CHROMIUM_ARGS, chromiumPath } from './browser.ts';
import { percentile } from './trace.ts';

export const LIGHTHOUSE = 'lighthouse@12.2.3';

/** A task Lighthouse lists as long: its start and duration (ms, as listed) and what it charges it to. */
export interface LongTask {
  startMs: number;
  ms: number;
  /**
   * `the page` (its HTML), a script's file name, `Lighthouse` (its own script) or `unattributed`
   * (Chromium's).
   */
  source: string;
}

export interface LighthouseRun {
  preset: 'mobile' | 'desktop';
  /** `app`: the front page; `empty`: an empty page, for the tasks every navigation costs. */
  page: 'app' | 'empty';
  performance: number | null;
  accessibility: number | null;
  metrics: Record<string, string | null>;
  longTasks: LongTask[];
  ms: number;
  error?: string;
}

/** Who Lighthouse charges a task to, from the URL it gives: short enough for the table. */
export function taskSource(url: string | undefined, pageUrl: string): string {
  if (!url || url === 'Unattributable') return 'unattributed';
  if (url === pageUrl) return 'the page';
  if (/_lighthouse-eval\.js/.test(url) || url.startsWith('_lighthouse')) return 'Lighthouse';
  const file = url.replace(/[?#].*$/, '').replace(/^.*\//, '');
  return file || url;
}

/** The long tasks of a Lighthouse report (`audits['long-tasks']`), longest first. */
export function longTasks(audit: unknown, pageUrl: string): LongTask[] {
  const items = (audit as { details?: { items?: unknown } } | undefined)?.details?.items;
  if (!Array.isArray(items)) return [];
  const out: LongTask[] = [];
  for (const it of items as { url?: unknown; duration?: unknown; startTime?: unknown }[]) {
    if (typeof it.duration !== 'number' || !Number.isFinite(it.duration)) continue;
    out.push({
      startMs: typeof it.startTime === 'number' ? Math.round(it.startTime) : 0,
      ms: Math.round(it.duration),
      source: taskSource(typeof it.url === 'string' ? it.url : undefined, pageUrl),
    });
  }
  return out.sort((x, y) => y.ms - x.ms);
}

const EMPTY_HTML =
  '<!doctype html>\n<html lang="en"><head><meta charset="UTF-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Empty</title></head><body><p>Empty.</p></body></html>\n';

/** An empty page on a free port of 127.0.0.1 (every path). */
export function emptyPage(): Promise<{ url: string; close(): Promise<void> }> {
  return new Promise((resolve, reject) => {
    const server = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(EMPTY_HTML);
    });
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const a = server.address();
      const port = typeof a === 'object' && a ? a.port : 0;
      resolve({
        url: `http://127.0.0.1:${port}/`,
        close: () => new Promise<void>((done) => server.close(() => done())),
      });
    });
  });
}

function run(
  cmd: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  timeoutMs: number,
): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const p = spawn(cmd, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    p.stdout.on('data', (d) => (out += d));
    p.stderr.on('data', (d) => (out += d));
    const t = setTimeout(() => p.kill('SIGTERM'), timeoutMs);
    p.on('close', (code) => {
      clearTimeout(t);
      resolve({ code, out });
    });
  });
}

export async function lighthouse(
  url: string,
  cache: string,
  preset: 'mobile' | 'desktop',
  page: LighthouseRun['page'] = 'app',
): Promise<LighthouseRun> {
  const dir = join(cache, 'lighthouse');
  mkdirSync(dir, { recursive: true });
  const report = join(dir, `${preset}${page === 'app' ? '' : `-${page}`}.json`);
  rmSync(report, { force: true });
  const flags = [
    ...CHROMIUM_ARGS.filter((a) => !a.startsWith('--host-resolver-rules')),
    '--headless=new',
    `--host-resolver-rules='MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1'`,
  ];
  const args = [
    '-y',
    LIGHTHOUSE,
    url,
    '--output=json',
    `--output-path=${report}`,
    '--only-categories=performance,accessibility',
    '--quiet',
    `--chrome-flags=${flags.join(' ')}`,
    ...(preset === 'desktop' ? ['--preset=desktop'] : []),
  ];
  const env = { ...process.env, ...(chromiumPath() ? { CHROME_PATH: chromiumPath() } : {}) };
  const t0 = Date.now();
  const r = await run('npx', args, env, 300_000);
  const ms = Date.now() - t0;
  try {
    const j = JSON.parse(readFileSync(report, 'utf8')) as {
      categories: Record<string, { score: number | null }>;
      audits: Record<string, { displayValue?: string; details?: unknown }>;
    };
    const metrics: Record<string, string | null> = {};
    for (const a of [
      'first-contentful-paint',
      'largest-contentful-paint',
      'total-blocking-time',
      'cumulative-layout-shift',
      'speed-index',
      'interactive',
    ])
      metrics[a] = j.audits[a]?.displayValue ?? null;
    const score = (k: string) =>
      j.categories[k]?.score == null ? null : Math.round(j.categories[k]!.score! * 100);
    return {
      preset,
      page,
      performance: score('performance'),
      accessibility: score('accessibility'),
      metrics,
      longTasks: longTasks(j.audits['long-tasks'], url),
      ms,
    };
  } catch {
    return {
      preset,
      page,
      performance: null,
      accessibility: null,
      metrics: {},
      longTasks: [],
      ms,
      error: `lighthouse exited ${r.code}: ${r.out.trim().split('\n').slice(-3).join(' | ')}`,
    };
  }
}

/**
 * The longest task of each mobile run of one page, Lighthouse's own script left out (it is the audits'
 * work after the load, not the page's): the longest of all, and the median of the runs' longest.
 */
export function longestTasks(
  runs: readonly LighthouseRun[],
  page: LighthouseRun['page'],
): { runs: number; maxMs: number; source: string; medianMs: number } | null {
  const longest = runs
    .filter((r) => r.preset === 'mobile' && r.page === page && !r.error)
    .map((r) => r.longTasks.find((t) => t.source !== 'Lighthouse') ?? { ms: 0, source: 'none over 50 ms' });
  if (longest.length === 0) return null;
  const max = longest.reduce((x, y) => (y.ms > x.ms ? y : x));
  // Nearest-rank, as every other median of the bench.
  const medianMs = percentile(
    longest.map((t) => t.ms),
    0.5,
  );
  return { runs: longest.length, maxMs: max.ms, source: max.source, medianMs };
}
