/// <reference types="vitest/config" />
// Vitest for the mutation run only (stryker.config.mjs; `npm run bench -- --mutation`): the tests of the two
// folders that are mutated, src/model and src/explore, in Node. `npm test` uses vite.config.ts, which runs
// every test of the repository.
import { defineConfig } from 'vite';
import { fileURLToPath } from 'node:url';

export default defineConfig({
  test: {
    include: ['src/model/**/*.test.ts', 'src/explore/**/*.test.ts'],
    environment: 'node',
    // Instrumented code (every mutant behind a switch, per-test coverage counters) on a shared machine: the
    // exhaustive exploration tests take minutes, not seconds. A hang is Stryker's timeout, not this one.
    testTimeout: 600_000,
    env: {
      // explore/cli.test.ts runs the installed command (bin/vfio-kvm.mjs), which bundles src/ for Node. In a
      // Stryker sandbox src/ holds instrumented code: bundle it inside the sandbox (this file's folder), not
      // into the shared node_modules/.cache that node_modules' symlink leads to.
      VFIO_KVM_BUNDLE_CACHE: fileURLToPath(new URL('.bundle-cache', import.meta.url)),
    },
  },
});
