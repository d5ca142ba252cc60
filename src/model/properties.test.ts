/**
 * Property tests: thousands of random scenarios, run under random schedules
 * through the pure transition function. The model never throws, users_count
 * never goes negative, the step function is deterministic, and the eras
 * after the patch never dereference a NULL struct kvm *.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ERA_IDS } from './era.ts';
import { compileModel } from './model.ts';
import { initialState, stateKey, type KState } from './state.ts';
import { runnable, step } from './step.ts';
import { runModel } from './run.ts';
import { terminalViolations } from './checks.ts';
import type { Scenario, ScenarioStep } from './scenario.ts';
import type { Violation } from './types.ts';
import { validateScenario } from '../scenarios/validate.ts';
import { DRIVERS } from './types.ts';
import type { KvmCtx } from './machines/kvm.ts';

const THREADS = ['Q', 'KV', 'X'];
const VMS = ['K', 'K2'];
const GROUPS = ['G1', 'G2'];

const scenarioArb: fc.Arbitrary<Scenario> = fc
  .record({
    vmCount: fc.integer({ min: 1, max: 2 }),
    devices: fc.array(fc.record({ driver: fc.constantFrom(...DRIVERS), group: fc.constantFrom(...GROUPS) }), {
      minLength: 1,
      maxLength: 3,
    }),
    era: fc.constantFrom(...ERA_IDS),
    ops: fc.array(
      fc.record({
        thread: fc.constantFrom(...THREADS),
        op: fc.constantFrom(
          'kvm_add_group',
          'kvm_del_group',
          'open_device',
          'close_device',
          'close_vm',
          'run_work',
        ),
        vm: fc.nat(),
        group: fc.nat(),
        device: fc.nat(),
        fail: fc.boolean(),
      }),
      { minLength: 1, maxLength: 7 },
    ),
  })
  .map(({ vmCount, devices, era, ops }) => {
    const vms = VMS.slice(0, vmCount);
    const devs = devices.map((d, i) => ({ id: `D${i}`, driver: d.driver, group: d.group }));
    const groups = [...new Set(devs.map((d) => d.group))];
    const steps: ScenarioStep[] = ops.map((o) => {
      const vm = vms[o.vm % vms.length]!;
      const group = groups[o.group % groups.length]!;
      const device = devs[o.device % devs.length]!.id;
      switch (o.op) {
        case 'kvm_add_group':
          return { thread: o.thread, op: 'kvm_add_group', vm, group };
        case 'kvm_del_group':
          return { thread: o.thread, op: 'kvm_del_group', vm, group };
        case 'open_device':
          return o.fail && o.device % 3 === 0
            ? { thread: o.thread, op: 'open_device', device, fail: 'anon_inode_getfile' }
            : { thread: o.thread, op: 'open_device', device };
        case 'close_device':
          return { thread: o.thread, op: 'close_device', device };
        case 'close_vm':
          return { thread: o.thread, op: 'close_vm', vm };
        default:
          return { thread: o.thread, op: 'run_work' };
      }
    });
    return {
      schema: 'vfio-kvm-scenario/1' as const,
      id: 'random',
      title: 'random',
      era,
      vms,
      devices: devs,
      steps,
    };
  });

/** Run to the end, choosing among runnable threads with `picks`. */
function randomRun(s: Scenario, picks: number[]) {
  const m = compileModel(s);
  let st: KState = initialState(m);
  const schedule: string[] = [];
  const violations: Omit<Violation, 'step'>[] = [];
  const states: KState[] = [st];
  for (let i = 0; i < 5000; i++) {
    const r = runnable(m, st);
    if (r.length === 0) break;
    const ti = r[(picks[i % picks.length] ?? 0) % r.length]!;
    const { state, record } = step(m, st, ti);
    schedule.push(m.threads[ti]!.id);
    violations.push(...record.violations);
    st = state;
    states.push(st);
  }
  expect(runnable(m, st)).toEqual([]);
  // As runModel does: a thread already reported deadlocked is not reported again at the end.
  violations.push(
    ...terminalViolations(
      m,
      st,
      new Set(violations.filter((v) => v.kind === 'deadlock').map((v) => v.thread)),
    ),
  );
  return { m, st, schedule, violations, states };
}

describe('model properties over random scenarios and schedules', () => {
  it('every generated scenario is a valid scenario file', () => {
    fc.assert(
      fc.property(scenarioArb, (s) => validateScenario(s).ok),
      { numRuns: 500 },
    );
  });

  it('never throws, users_count never goes negative, no NULL dereference after the patch', () => {
    fc.assert(
      fc.property(scenarioArb, fc.array(fc.nat(), { minLength: 1, maxLength: 40 }), (s, picks) => {
        const { m, violations, states } = randomRun(s, picks);
        for (const st of states)
          for (const k of m.vms) {
            const c = st.o[m.slotIndex.get(`kvm:${k}`)!]!.ctx as KvmCtx;
            expect(c.users).toBeGreaterThanOrEqual(0);
          }
        if (s.era === 'after' || s.era === 'fixed')
          expect(violations.map((v) => v.kind)).not.toContain('null-deref');
      }),
      { numRuns: 3000 },
    );
  });

  it('is deterministic: replaying the schedule reaches the same state and the same violations', () => {
    fc.assert(
      fc.property(scenarioArb, fc.array(fc.nat(), { minLength: 1, maxLength: 20 }), (s, picks) => {
        const a = randomRun(s, picks);
        const b = runModel(a.m, a.schedule);
        expect(stateKey(b.states.at(-1)!)).toBe(stateKey(a.st));
        expect(b.violations.map((v) => v.kind).sort()).toEqual(a.violations.map((v) => v.kind).sort());
      }),
      { numRuns: 1000 },
    );
  });

  it('equal kernel states have equal keys whatever the path (interning is canonical)', () => {
    fc.assert(
      fc.property(scenarioArb, (s) => {
        const m = compileModel(s);
        const a = initialState(m);
        const b = initialState(compileModel(s));
        expect(stateKey(a)).toBe(stateKey(b));
        const r = runnable(m, a);
        if (r.length < 2) return;
        // Two threads' first steps in either order: when the results match
        // object for object, the keys match too.
        const ab = step(m, step(m, a, r[0]!).state, r[1]!).state;
        const ba0 = step(m, a, r[1]!).state;
        if (!runnable(m, ba0).includes(r[0]!)) return;
        const ba = step(m, ba0, r[0]!).state;
        const same = ab.o.every((o, i) => o === ba.o[i]) && ab.t.every((t, i) => t.key === ba.t[i]!.key);
        expect(stateKey(ab) === stateKey(ba)).toBe(same);
      }),
      { numRuns: 500 },
    );
  });
});
