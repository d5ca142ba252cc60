#!/usr/bin/env node
// `npm run bench` (README, "Measuring it"): bundle sizes, exploration of every
// built-in in every era, and Chromium figures on the production build; writes
// bench-results.json and prints a table. The bench itself is TypeScript
// (scripts/bench/*.ts, type-checked with the rest): this launcher bundles it
// for Node with Vite into node_modules/.cache/vfio-kvm-bench/ when a source
// is newer than the bundle (as bin/vfio-kvm.mjs does for the CLI), then runs it.
//
//   npm run bench                      everything (about 5 minutes: the soak plays 10 000 steps)
//   npm run bench -- --soak-steps 2000 a shorter soak
//   npm run bench -- --no-soak         no soak
//   npm run bench -- --no-browser      sizes and exploration only
//   npm run bench -- --lighthouse      also Lighthouse 12.2.3 (npx -y; downloads it once, ~110 MB)
//   npm run bench -- --no-build        measure the dist/ that is there
//   npm run bench -- --mutation        only the mutation score of src/model and src/explore (StrykerJS,
//                                      stryker.config.mjs; docs/mutation.md), into bench-results.json's `mutation`
//   npm run bench -- --mutation --mutate src/model/diff.ts   the same, narrowed to some files (iterating)
//   npm run bench -- --mutation --partial  the counts so far of a run still going or stopped (no run)
import { pathToFileURL } from 'node:url';
import { bundleForNode, ROOT as root } from './node-bundle.mjs';

let bundle;
try {
  bundle = await bundleForNode({
    entry: 'scripts/bench/main.ts',
    cache: 'vfio-kvm-bench',
    file: 'bench.mjs',
    sources: ['src', 'scripts', 'e2e/support'],
  });
} catch (e) {
  process.stderr.write(`bench: could not build the bench: ${e?.stack ?? e}\n`);
  process.exit(1);
}
const { main } = await import(pathToFileURL(bundle).href);
process.exitCode = await main(process.argv.slice(2), root);
