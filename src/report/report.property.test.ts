/**
 * Random scenarios (up to eight threads) in every era under random
 * schedules: every report and every diagram builds without an exception and
 * keeps to 75 columns and plain characters; every violation and the lockdep
 * warning get a report, in step order; a diagram's rows follow the run.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { compileModel, ERA_IDS, initialState, runModel, runnable, step } from '../model/index.ts';
import { builtinScenarioArb, validScenarioArb } from '../testing/arbitraries.ts';
import { interleavingSoFar, runReports } from './index.ts';
import { expectPasteable } from './testing.ts';

describe('reports of random runs', () => {
  it('pasteable, one per finding, rows in time order', () => {
    fc.assert(
      fc.property(
        fc.oneof(validScenarioArb(), builtinScenarioArb),
        fc.constantFrom(...ERA_IDS),
        fc.array(fc.nat(), { maxLength: 50 }),
        fc.nat(),
        (s, era, picks, at) => {
          const m = compileModel(s, era);
          let state = initialState(m);
          const schedule: string[] = [];
          for (const p of picks) {
            const can = runnable(m, state);
            if (can.length === 0) break;
            const ti = can[p % can.length]!;
            schedule.push(m.threads[ti]!.id);
            state = step(m, state, ti).state;
          }
          const run = runModel(m, schedule);
          const items = runReports(run);
          expect(items.length).toBe(run.violations.length + (run.trace.lockdep ? 1 : 0));
          for (let i = 1; i < items.length; i++)
            expect(items[i]!.step).toBeGreaterThanOrEqual(items[i - 1]!.step);
          for (const it of items) {
            expectPasteable(it.text);
            expectPasteable(it.diagram.text);
            expect(it.diagram.to).toBe(it.step);
            const steps = it.diagram.rows.map((r) => r.step);
            expect(steps).toEqual(steps.slice().sort((a, b) => a - b));
            for (const r of it.diagram.rows) expect(run.records[r.step - 1]!.thread).toBe(r.thread);
          }
          const n = run.records.length ? at % (run.records.length + 1) : 0;
          const d = interleavingSoFar(run, n);
          expectPasteable(d.text);
          expect(new Set(d.rows.map((r) => r.step)).size).toBe(n);
        },
      ),
      { numRuns: 250 },
    );
  });
});
