// StrykerJS (mutation testing) over the model and the explorer: `npm run bench -- --mutation`
// (scripts/bench/mutation.ts runs it and reads its JSON report). Not part of `npm test`: it is slow.
// Options: https://stryker-mutator.io/docs/stryker-js/configuration/
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'vitest',
  vitest: { configFile: 'vitest.stryker.config.ts', related: false },
  mutate: [
    'src/model/**/*.ts',
    'src/explore/**/*.ts',
    '!src/**/*.test.ts',
    // Test fixtures, not product code: hand-made transition systems and a brute-force enumerator that the
    // search's tests compare the search with.
    '!src/explore/toyModels.ts',
  ],
  // Not logic: the prose of each era (title, summary, description, why, the list of changes) and the
  // links it cites. An era's switches (the same files' `switches`) are mutated. See scripts/mutation/ignore-prose.mjs.
  plugins: [
    '@stryker-mutator/vitest-runner',
    './scripts/mutation/ignore-prose.mjs',
    './scripts/mutation/progress-log.mjs',
  ],
  ignorers: ['era-prose'],
  // The machine is shared: two test runners at most.
  concurrency: 2,
  coverageAnalysis: 'perTest',
  // Reruns test only the mutants whose code or covering tests changed. The incremental file is a cache of
  // the last run (several MB, rewritten by every run): it lives next to the reports, out of git.
  incremental: true,
  incrementalFile: 'reports/mutation/stryker-incremental.json',
  // progress-log (scripts/mutation/progress-log.mjs): each mutant as it is decided, for a run cut short.
  reporters: ['json', 'html', 'clear-text', 'progress', 'progress-log'],
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  htmlReporter: { fileName: 'reports/mutation/mutation.html' },
  clearTextReporter: { allowColor: false, logTests: false, reportScoreTable: true, reportMutants: false },
  tempDirName: '.stryker-tmp',
  // Only what the two folders' tests need goes into each sandbox.
  ignorePatterns: [
    'dist',
    'test-results',
    'playwright-report',
    'reports',
    'examples',
    'integrations',
    'public',
    'e2e',
    '*.log',
  ],
  // A busy machine (load ~10 on 2 cores): a mutant is a timeout only well past its tests' normal time.
  timeoutMS: 15_000,
  timeoutFactor: 2,
  dryRunTimeoutMinutes: 30,
  thresholds: { high: 85, low: 80, break: null },
};
