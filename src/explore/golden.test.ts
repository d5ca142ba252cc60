/**
 * Golden results: every built-in scenario explored in every era, exactly as
 * `explore --json` reports it (violations with their traces, sites,
 * interleavings, …), hashed per run. golden.json was recorded before the
 * exploration was optimised; speed-ups must leave every hash unchanged.
 *
 * A deliberate change of the model changes some of these results: then
 * re-record the file (GOLDEN_UPDATE=1 npx vitest run src/explore/golden.test.ts)
 * and say in the commit which runs changed and why.
 */
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { expect, test } from 'vitest';
import { ERA_IDS, type EraId } from '../model/index.ts';
import { BUILTINS, builtin } from '../scenarios/index.ts';
import { exploreScenario, type ExploreOptions } from './exploration.ts';

const FILE = new URL('./golden.json', import.meta.url);

/** The exploration without its timing, hashed. */
function digest(id: string, era: EraId, opts: Omit<ExploreOptions, 'era'> = {}): string {
  const { ms: _ms, ...x } = exploreScenario(builtin(id)!, { ...opts, era });
  return createHash('sha256').update(JSON.stringify(x)).digest('hex').slice(0, 16);
}

test('every built-in × era explores to the recorded results', { timeout: 300_000 }, () => {
  const got: Record<string, string> = {};
  for (const sc of BUILTINS) for (const era of ERA_IDS) got[`${sc.id}@${era}`] = digest(sc.id, era);
  if (process.env.GOLDEN_UPDATE === '1') writeFileSync(FILE, JSON.stringify(got, null, 2) + '\n');
  const want = JSON.parse(readFileSync(FILE, 'utf8')) as Record<string, string>;
  expect(got).toEqual(want);
});

test(
  'without the transition cache, explorations give the same recorded results',
  { timeout: 300_000 },
  () => {
    const want = JSON.parse(readFileSync(FILE, 'utf8')) as Record<string, string>;
    for (const [id, era] of [
      ['happy-path', 'v5.18'],
      ['del-while-open', 'before'],
      ['last-ref-deadlock', 'after'],
      ['open-vs-teardown-race', 'fixed'],
      ['open-before-add', 'gvt-rework'],
    ] as const) {
      expect(digest(id, era, { cache: false }), `${id}@${era}`).toBe(want[`${id}@${era}`]);
    }
  },
);
