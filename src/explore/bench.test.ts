import { expect, test } from 'vitest';
import { ERA_IDS } from '../model/index.ts';
import { builtin } from '../scenarios/index.ts';
import { exploreAll, formatExploreAll } from './bench.ts';

test('exploreAll: one row per scenario × era, and the totals of npm run bench', () => {
  const x = exploreAll([builtin('happy-path')!, builtin('last-ref-deadlock')!]);
  expect(x.rows.map((r) => `${r.scenario}@${r.era}`)).toEqual(
    ['happy-path', 'last-ref-deadlock'].flatMap((id) => ERA_IDS.map((e) => `${id}@${e}`)),
  );
  for (const r of x.rows) {
    expect(r.complete).toBe(true);
    expect(r.states).toBeGreaterThan(0);
    expect(r.ms).toBeGreaterThanOrEqual(0);
  }
  expect(x.rows.find((r) => r.scenario === 'last-ref-deadlock' && r.era === 'after')!.kinds).toContain(
    'deadlock',
  );
  expect(x.total.runs).toBe(2 * ERA_IDS.length);
  expect(x.total.states).toBe(x.rows.reduce((a, r) => a + r.states, 0));
  expect(x.total.statesPerSec).toBeGreaterThan(0);
  const table = formatExploreAll(x);
  expect(table.split('\n')[0]).toMatch(
    /^scenario\s+era\s+states\s+transitions\s+interleavings\s+ms\s+kinds$/,
  );
  expect(table).toMatch(new RegExp(`\\ntotal\\s+${2 * ERA_IDS.length} runs`));
});
