/**
 * Lighthouse 12.2.3 (optional: `npm run bench -- --lighthouse`), run with
 * `npx -y lighthouse@12.2.3` so that it is not a dependency of the project
 * (it is 146 packages, about 110 MB; npx caches it after the first run). It
 * drives Debian's Chromium (CHROME_PATH) headless, with the same flags as the
 * tests, against the production build served by `vite preview`: once with
 * its default (mobile: Moto G Power emulation, simulated 4× CPU slowdown and
 * slow 4G) and once with `--preset=desktop`. Categories: performance and
 * accessibility.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { CHROMIUM_ARGS, chromiumPath } from './browser.ts';

export const LIGHTHOUSE = 'lighthouse@12.2.3';

export interface LighthouseRun {
  preset: 'mobile' | 'desktop';
  performance: number | null;
  accessibility: number | null;
  metrics: Record<string, string | null>;
  ms: number;
  error?: string;
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
): Promise<LighthouseRun> {
  const dir = join(cache, 'lighthouse');
  mkdirSync(dir, { recursive: true });
  const report = join(dir, `${preset}.json`);
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
      audits: Record<string, { displayValue?: string }>;
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
    return { preset, performance: score('performance'), accessibility: score('accessibility'), metrics, ms };
  } catch {
    return {
      preset,
      performance: null,
      accessibility: null,
      metrics: {},
      ms,
      error: `lighthouse exited ${r.code}: ${r.out.trim().split('\n').slice(-3).join(' | ')}`,
    };
  }
}
