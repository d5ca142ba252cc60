// Bundles one TypeScript entry of this repository for Node with Vite (JSON
// inlined, one file), into node_modules/.cache/<name>/, when any of its
// sources is newer than the bundle; returns the bundle's path. Used by the CLI
// launcher (bin/vfio-kvm.mjs), the bench (scripts/bench.mjs) and the e2e
// model bundle (e2e/support/build-model.ts). The cache is out of the way of
// `vite build`, which empties dist/. $VFIO_KVM_BUNDLE_CACHE, when set, replaces
// node_modules/.cache (the mutation run sets it: a sandbox's bundles are built from
// instrumented sources and must not land in the shared cache).
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

/** The newest modification time under a file or folder, test files left out. */
export function newest(p) {
  const st = statSync(p);
  if (!st.isDirectory()) return /\.test\.tsx?$/.test(p) ? 0 : st.mtimeMs;
  let t = 0;
  for (const e of readdirSync(p)) t = Math.max(t, newest(join(p, e)));
  return t;
}

/**
 * @param {{ entry: string, cache: string, file: string, sources: string[] }} o
 *   entry and sources relative to the repository; cache: the folder's name under node_modules/.cache
 *   (or $VFIO_KVM_BUNDLE_CACHE).
 */
export async function bundleForNode(o) {
  const cacheRoot = process.env.VFIO_KVM_BUNDLE_CACHE || join(ROOT, 'node_modules', '.cache');
  const bundle = join(cacheRoot, o.cache, o.file);
  const src = Math.max(...o.sources.map((s) => newest(join(ROOT, s))));
  if (existsSync(bundle) && statSync(bundle).mtimeMs >= src) return bundle;
  const { build } = await import('vite');
  const tmp = join(dirname(bundle), `.build-${process.pid}-${Date.now()}`);
  mkdirSync(tmp, { recursive: true });
  // Always the production JSX transform (jsx(), which every React build exports). Under NODE_ENV=test
  // (vitest spawning the CLI) Vite would emit jsxDEV(), which React's production build, loaded when a
  // later run has NODE_ENV=production, does not have: `render` then failed with "jsxDEV is not a function".
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    await build({
      root: ROOT,
      configFile: false,
      logLevel: 'silent',
      build: {
        ssr: join(ROOT, o.entry),
        outDir: tmp,
        emptyOutDir: true,
        target: 'node20',
        minify: false,
        rollupOptions: { output: { entryFileNames: o.file, codeSplitting: false } },
      },
    });
    // Atomic: concurrent first runs each build, and the last rename wins.
    renameSync(join(tmp, o.file), bundle);
  } finally {
    if (nodeEnv === undefined) delete process.env.NODE_ENV;
    else process.env.NODE_ENV = nodeEnv;
    rmSync(tmp, { recursive: true, force: true });
  }
  return bundle;
}
