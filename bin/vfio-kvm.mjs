#!/usr/bin/env node
// vfio-kvm: the CLI (spec §7). It runs the same TypeScript model as the page.
// The first run (and any run after a source change) bundles src/cli/main.ts
// for Node with Vite into node_modules/.cache/vfio-kvm/ (out of the way of
// `vite build`, which empties dist/); later runs start from that bundle.
import { existsSync, mkdirSync, readdirSync, renameSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outDir = join(root, 'node_modules', '.cache', 'vfio-kvm');
const bundle = join(outDir, 'vfio-kvm.mjs');

function newest(dir) {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) t = Math.max(t, newest(p));
    else if (!/\.test\.tsx?$/.test(e.name)) t = Math.max(t, statSync(p).mtimeMs);
  }
  return t;
}

async function ensureBundle() {
  const src = Math.max(newest(join(root, 'src')), statSync(join(root, 'bin', 'vfio-kvm.mjs')).mtimeMs);
  if (existsSync(bundle) && statSync(bundle).mtimeMs >= src) return;
  const { build } = await import('vite');
  const tmp = join(outDir, `.build-${process.pid}-${Date.now()}`);
  mkdirSync(tmp, { recursive: true });
  await build({
    root,
    configFile: false,
    logLevel: 'silent',
    build: {
      ssr: join(root, 'src', 'cli', 'main.ts'),
      outDir: tmp,
      emptyOutDir: true,
      target: 'node20',
      minify: false,
      rollupOptions: { output: { entryFileNames: 'vfio-kvm.mjs', codeSplitting: false } },
    },
  });
  // Atomic: concurrent first runs each build, and the last rename wins.
  renameSync(join(tmp, 'vfio-kvm.mjs'), bundle);
}

// `vfio-kvm list | head`: a reader that goes away is not an error.
for (const s of [process.stdout, process.stderr]) s.on('error', (e) => (e.code === 'EPIPE' ? process.exit(0) : Promise.reject(e)));

try {
  await ensureBundle();
} catch (e) {
  process.stderr.write(`vfio-kvm: could not build the CLI bundle: ${e?.message ?? e}\n`);
  process.exit(1);
}
const { main } = await import(pathToFileURL(bundle).href);
process.exitCode = await main(process.argv.slice(2), {
  out: (s) => process.stdout.write(s),
  err: (s) => process.stderr.write(s),
  readFile: async (p) => (await import('node:fs/promises')).readFile(p, 'utf8'),
  writeFile: async (p, data) => {
    const fs = await import('node:fs/promises');
    await fs.mkdir(dirname(p), { recursive: true });
    await fs.writeFile(p, data);
  },
  cwd: process.cwd(),
});
