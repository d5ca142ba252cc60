#!/usr/bin/env node
// vfio-kvm: the CLI (spec §7). It runs the same TypeScript model as the page.
// The first run (and any run after a source change) bundles src/cli/main.ts
// for Node with Vite into node_modules/.cache/vfio-kvm/ (scripts/node-bundle.mjs);
// later runs start from that bundle.
import { dirname } from 'node:path';
import { pathToFileURL } from 'node:url';
import { bundleForNode } from '../scripts/node-bundle.mjs';

// `vfio-kvm list | head`: a reader that goes away is not an error.
for (const s of [process.stdout, process.stderr])
  s.on('error', (e) => (e.code === 'EPIPE' ? process.exit(0) : Promise.reject(e)));

let bundle;
try {
  bundle = await bundleForNode({
    entry: 'src/cli/main.ts',
    cache: 'vfio-kvm',
    file: 'vfio-kvm.mjs',
    sources: ['src', 'bin/vfio-kvm.mjs', 'scripts/node-bundle.mjs'],
  });
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
