/** The diagrams' geometry, remembered per kernel state: found again for the same options, redone for others. */
import { describe, expect, it } from 'vitest';
import { memoPer } from './memo.ts';
import { flowGeometry, lockGeometry } from './geometry.ts';
import { buildFlow } from './flowModel.ts';
import { layoutFlow } from './flowLayout.ts';
import { layoutLocks } from './lockLayout.ts';
import { buildLocks } from './locks.ts';
import { builtin } from '../scenarios/index.ts';
import { describeState, describeStep } from '../model/view.ts';
import { runScenario } from '../model/run.ts';

describe('memoPer', () => {
  it('keeps the last arguments per object, compared by identity', () => {
    let calls = 0;
    const f = memoPer((o: { v: number }, k: number, x?: object) => (calls++, { sum: o.v + k, x }));
    const a = { v: 1 };
    const b = { v: 1 };
    const x = {};
    const r1 = f(a, 2, x);
    expect(f(a, 2, x)).toBe(r1);
    expect(calls).toBe(1);
    expect(f(b, 2, x)).not.toBe(r1); // another object
    expect(f(a, 2, {})).not.toBe(r1); // an equal but other argument
    expect(calls).toBe(3);
    expect(f(a, 2, x)).not.toBe(r1); // only the last arguments are kept
    expect(f(a, 2, x).sum).toBe(3);
  });
});

describe('flowGeometry and lockGeometry', () => {
  const scenario = builtin('del-while-open')!;
  const run = runScenario(scenario, { era: 'before' });
  const n = 5;
  const view = describeState(run.model, run.states[n]!);
  const step = describeStep(run.model, run.records[n - 1]!, run.states[n]!, n);

  it('draw what the diagrams compute, and find it again for the same state and options', () => {
    const o = { step, totalSteps: run.records.length, width: 700, caption: false };
    const g = flowGeometry(view, o);
    expect(g.layout).toEqual(layoutFlow(buildFlow(view, o), { width: 700, caption: false }));
    expect(flowGeometry(view, { ...o })).toEqual(g);
    expect(flowGeometry(view, { ...o }).layout).toBe(g.layout);
    const wider = flowGeometry(view, { ...o, width: 900 });
    expect(wider.layout).not.toBe(g.layout);
    expect(wider.layout.width).toBe(900);
  });

  it('the lock diagram the same way, with its threads shown by default', () => {
    const g = lockGeometry(view, { step, width: 500 });
    expect(g.spec).toEqual(buildLocks(view, { step }));
    expect(g.layout).toEqual(layoutLocks(buildLocks(view, { step }), step, 500, true, {}));
    expect(lockGeometry(view, { step, width: 500 }).layout).toBe(g.layout);
    expect(lockGeometry(view, { step, width: 500, threads: false }).layout).not.toBe(g.layout);
  });
});
