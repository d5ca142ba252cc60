/**
 * The bug table (src/model/bugs.ts, docs/kernel-reference.md "Bugs per era"):
 * for every row and every era, exploring the row's scenario finds the row's
 * violation kind exactly where the row says it is reachable, and does not
 * where it says it is not (unless another row's bug explains it, as the row
 * notes). Each counterexample replays with `run --schedule`.
 */
import { describe, expect, it } from 'vitest';
import { BUGS } from '../model/bugs.ts';
import { ERA_IDS, type EraId } from '../model/era.ts';
import { runScenario } from '../model/run.ts';
import { builtin } from '../scenarios/index.ts';
import { exploreScenario, type Exploration } from './exploration.ts';

const cache = new Map<string, Exploration>();
function explore(id: string, era: EraId): Exploration {
  const key = `${id}|${era}`;
  let x = cache.get(key);
  if (!x) {
    x = exploreScenario(builtin(id)!, { era, invariants: false });
    cache.set(key, x);
  }
  return x;
}

describe('the bug table, era by era', () => {
  for (const bug of BUGS) {
    it(`${bug.id}: ${bug.title}`, () => {
      const found: Record<string, boolean> = {};
      for (const era of ERA_IDS) {
        const hits = bug.scenarios
          .map((id) => ({ id, x: explore(id, era) }))
          .filter(({ x }) => x.violations.some((v) => v.kind === bug.kind));
        for (const { x } of bug.scenarios.map((id) => ({ x: explore(id, era) })))
          expect(x.complete).toBe(true);
        found[era] = hits.length > 0;
        for (const { id, x } of hits) {
          // The shortest counterexample replays: `run --schedule` reaches the same kind.
          const v = x.violations.find((w) => w.kind === bug.kind)!;
          const r = runScenario(builtin(id)!, { era, schedule: v.schedule });
          expect(r.violations.map((w) => w.kind)).toContain(bug.kind);
        }
      }
      const expected = Object.fromEntries(
        ERA_IDS.map((e) => [e, bug.reachable[e] !== undefined || bug.alsoBy?.[e] !== undefined]),
      );
      expect(found).toEqual(expected);
    });
  }
});
