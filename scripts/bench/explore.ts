/**
 * Exploration figures (npm run bench (README) `explore`): `exploreAll()` of
 * src/explore/bench.ts, every built-in scenario in every era, exhaustively,
 * with the counterexample traces built (what `explore --json` does).
 *
 * src/explore/bench.ts is bundled for Node with Vite (as the CLI is) and run
 * in a fresh Node process, so that the first call is really cold (no JIT, no
 * memoized machine transitions): `cold` is that first call; `warm` is the
 * median of the next WARM_RUNS calls in the same process.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ExploreAll } from '../../src/explore/bench.ts';

export const WARM_RUNS = 3;

export interface ExploreReport {
  cold: ExploreAll;
  warmMs: number[];
  /** Node start + import of the bundle, before the first call. */
  importMs: number;
}

const CHILD = `
const t0 = performance.now();
const { exploreAll } = await import(process.argv[1]);
const importMs = Math.round(performance.now() - t0);
const cold = exploreAll();
const warmMs = [];
for (let i = 0; i < Number(process.argv[2]); i++) warmMs.push(exploreAll().total.ms);
process.stdout.write(JSON.stringify({ cold, warmMs, importMs }));
`;

export async function exploreReport(root: string, cache: string): Promise<ExploreReport> {
  const { build } = await import('vite');
  const out = join(cache, 'explore');
  await build({
    root,
    configFile: false,
    logLevel: 'silent',
    build: {
      ssr: join(root, 'scripts', 'bench', 'explore-entry.ts'),
      outDir: out,
      emptyOutDir: true,
      target: 'node20',
      minify: false,
      rollupOptions: { output: { entryFileNames: 'explore.mjs', codeSplitting: false } },
    },
  });
  const bundle = pathToFileURL(join(out, 'explore.mjs')).href;
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, ['--input-type=module', '-e', CHILD, bundle, String(WARM_RUNS)], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d) => (stdout += d));
    p.stderr.on('data', (d) => (stderr += d));
    p.on('close', (code) => {
      if (code !== 0) return reject(new Error(`exploration process exited ${code}: ${stderr.trim()}`));
      try {
        resolve(JSON.parse(stdout) as ExploreReport);
      } catch (e) {
        reject(e);
      }
    });
  });
}
