/** The page's cache of runs: one run per scenario, era and schedule contents. */
import { describe, expect, it } from 'vitest';
import { builtin } from '../../scenarios/index.ts';
import { getRun } from './runs.ts';

describe('getRun', () => {
  it('serves the run of the schedule as it is now, even when the caller extended the same array', () => {
    const scenario = builtin('open-vs-teardown-race')!;
    const schedule: string[] = [];
    const before = getRun(scenario, 'after', schedule);
    const first = before.runnableAt(0).find((t) => t !== before.stepView(1).thread)!;
    expect(first).toBeDefined();
    schedule.push(first);
    const after = getRun(scenario, 'after', schedule);
    expect(after).not.toBe(before);
    expect(after.stepView(1).thread).toBe(first);
    expect(getRun(scenario, 'after', [first])).toBe(after);
  });
});
