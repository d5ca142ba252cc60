/**
 * Bundles ./entry.ts for Node with Vite (JSON inlined) into
 * node_modules/.cache/vfio-kvm-e2e/app.mjs, when any source is newer than the
 * bundle. Called from playwright.config.ts, so it runs before specs load.
 */
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const E2E_BUNDLE = join(root, 'node_modules', '.cache', 'vfio-kvm-e2e', 'app.mjs');

function newest(dir: string): number {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) t = Math.max(t, newest(p));
    else if (!/\.test\.tsx?$/.test(e.name)) t = Math.max(t, statSync(p).mtimeMs);
  }
  return t;
}

export async function buildE2eBundle(): Promise<string> {
  const src = Math.max(newest(join(root, 'src')), newest(join(root, 'e2e', 'support')));
  if (existsSync(E2E_BUNDLE) && statSync(E2E_BUNDLE).mtimeMs >= src) return E2E_BUNDLE;
  const { build } = await import('vite');
  const out = dirname(E2E_BUNDLE);
  const tmp = join(out, `.build-${process.pid}-${Date.now()}`);
  mkdirSync(tmp, { recursive: true });
  await build({
    root,
    configFile: false,
    logLevel: 'silent',
    build: {
      ssr: join(root, 'e2e', 'support', 'entry.ts'),
      outDir: tmp,
      emptyOutDir: true,
      target: 'node20',
      minify: false,
      rollupOptions: { output: { entryFileNames: 'app.mjs', codeSplitting: false } },
    },
  });
  // Atomic: the runner and its workers may build at once; the last rename wins.
  renameSync(join(tmp, 'app.mjs'), E2E_BUNDLE);
  rmSync(tmp, { recursive: true, force: true });
  return E2E_BUNDLE;
}
