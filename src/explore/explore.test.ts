import { describe, expect, test } from 'vitest';
import {
  compileModel,
  ERA_IDS,
  initialState,
  runModel,
  runnable,
  stateKey,
  step,
  type EraId,
  type KState,
  type Scenario,
} from '../model/index.ts';
import { traceWithMicro } from '../model/micro.ts';
import { BUILTINS, builtin } from '../scenarios/index.ts';
import { exploreScenario, EXPLORATION_SCHEMA, type Exploration } from './exploration.ts';
import { INVARIANT_KINDS, isInvariantKind } from './invariants.ts';
import { kernelSystem } from './kernel.ts';
import { replay, search } from './search.ts';
import { bruteForce } from './toyModels.ts';

const cache = new Map<string, Exploration>();
function explore(id: string, era: EraId): Exploration {
  const k = `${id}@${era}`;
  let x = cache.get(k);
  if (!x) cache.set(k, (x = exploreScenario(builtin(id)!, { era })));
  return x;
}

function kinds(x: Exploration, which: 'spec' | 'invariant' | 'all' = 'all'): string[] {
  return x.violations
    .map((v) => v.kind)
    .filter((k) => which === 'all' || (which === 'invariant') === isInvariantKind(k));
}

/** The violation shows on the schedule's last transition (or at its terminal state), by replaying it on the kernel system. */
function showsAtEnd(sc: Scenario, era: EraId, kind: string, schedule: readonly string[]): boolean {
  const sys = kernelSystem(compileModel(sc, era));
  const r = replay(
    sys,
    schedule.map((id) => sys.threads.indexOf(id)),
  );
  const last = r.steps[r.steps.length - 1] ?? [];
  return last.some((f) => f.kind === kind) || (r.terminal ?? []).some((f) => f.kind === kind);
}

describe('what it must show, unaided, from the scenario files', () => {
  test.each([
    ['open-vs-teardown-race', 'v5.18', 'use-after-free'],
    ['del-while-open', 'before', 'null-deref'],
    ['last-ref-deadlock', 'after', 'deadlock'],
    ['gvt-ref-leak', 'after', 'refcount-leak'],
    // docs/kernel-reference.md, the refcount-zero window: a first open gets a VM whose last reference was just dropped
    ['open-vs-teardown-race', 'after', 'get-from-zero'],
    ['last-ref-deadlock', 'after', 'get-from-zero'],
  ] as const)('%s in %s: %s, and its counterexample replays to it', (id, era, kind) => {
    const x = explore(id, era);
    expect(x.complete).toBe(true);
    const v = x.violations.find((w) => w.kind === kind);
    expect(v, `${kind} not found; found ${kinds(x).join(', ')}`).toBeDefined();
    expect(v!.step).toBe(v!.schedule.length);
    // the trace (schedule, then the default order) has it at or before the schedule's end
    expect(v!.trace.violations.some((w) => w.kind === kind && w.step <= v!.schedule.length)).toBe(true);
    // and `run --schedule` (runModel) gives the same trace
    expect(traceWithMicro(runModel(compileModel(builtin(id)!, era), v!.schedule))).toEqual(v!.trace);
    expect(showsAtEnd(builtin(id)!, era, kind, v!.schedule)).toBe(true);
  });

  test('the refcount-zero window: the get-from-zero happens while the VM is being destroyed by another thread', () => {
    const v = explore('open-vs-teardown-race', 'after').violations.find((w) => w.kind === 'get-from-zero')!;
    expect(v.thread).toBe('Q');
    expect(v.schedule).toContain('X');
    expect(v.detail).toMatch(/users_count is already 0/);
  });

  test.each([
    'del-while-open',
    'last-ref-deadlock',
    'gvt-ref-leak',
    'open-vs-teardown-race',
    'del-then-add-other-vm',
    'set-kvm-races-open',
  ])('fixed is clean of trace violations: %s', (id) => {
    const x = explore(id, 'fixed');
    expect(x.complete).toBe(true);
    expect(kinds(x, 'spec')).toEqual([]);
  });

  test("with Q's ADD racing KV's DEL, open-vs-teardown-race also contains the ADD/DEL race, which fixed does not address", () => {
    const e = builtin('open-vs-teardown-race')!;
    const withAddDelRace: Scenario = {
      ...e,
      id: 'open-vs-teardown-race-with-n',
      steps: [
        { thread: 'Q', op: 'kvm_add_group', vm: 'K', group: 'G' },
        { thread: 'Q', op: 'open_device', device: 'D' },
        { thread: 'KV', op: 'kvm_del_group', vm: 'K', group: 'G' },
        { thread: 'X', op: 'close_vm', vm: 'K' },
      ],
    };
    const x = exploreScenario(withAddDelRace, { era: 'fixed' });
    expect(kinds(x, 'spec')).toEqual(['use-after-free']);
    // KV's DEL clears G->kvm before Q's ADD sets it: the entry is gone but G->kvm names K (the ADD/DEL race)
    const m = compileModel(withAddDelRace, 'fixed');
    const run = runModel(m, x.violations[0]!.schedule);
    const setKvm = run.records.filter((r) => m.fns[r.fn]!.name === 'vfio_file_set_kvm').map((r) => r.thread);
    expect([...new Set(setKvm)]).toEqual(['KV', 'Q']);
    // the built-in (KV adds before it deletes) still shows the refcount-zero window in after
    expect(kinds(explore('open-vs-teardown-race', 'after'), 'spec')).toEqual(['get-from-zero']);
  });

  test('kvm-add-del-race is a use-after-free in every era until 9e0f4f2918c2 (v6.6) moves set_kvm under kv->lock', () => {
    for (const era of ERA_IDS)
      expect(kinds(explore('kvm-add-del-race', era), 'spec').includes('use-after-free'), era).toBe(
        era !== 'v6.6',
      );
  });
});

describe('every built-in in every era', () => {
  test('complete, well-formed, and every counterexample replays to its violation', () => {
    for (const sc of BUILTINS) {
      for (const era of ERA_IDS) {
        const x = explore(sc.id, era);
        const where = `${sc.id}@${era}`;
        expect(x.schema, where).toBe(EXPLORATION_SCHEMA);
        expect(x.era, where).toBe(era);
        expect(x.complete, where).toBe(true);
        expect(x.states, where).toBeGreaterThan(0);
        expect(x.transitions, where).toBeGreaterThanOrEqual(x.states - 1);
        expect(x.interleavings, where).toBeGreaterThanOrEqual(1);
        expect(x.longest, where).toBeGreaterThanOrEqual(x.depth);
        expect(new Set(kinds(x)).size, `${where}: one entry per kind`).toBe(x.violations.length);
        for (const v of x.violations) {
          expect(v.step, where).toBe(v.schedule.length);
          expect(v.trace.schema).toBe('vfio-kvm-trace/1');
          if (isInvariantKind(v.kind)) expect(v.invariant, where).toBe(true);
          else {
            expect(v.invariant, where).toBeUndefined();
            expect(
              v.trace.violations.some((w) => w.kind === v.kind && w.step <= v.schedule.length),
              `${where} ${v.kind}`,
            ).toBe(true);
          }
          expect(showsAtEnd(sc, era, v.kind, v.schedule), `${where} ${v.kind}`).toBe(true);
        }
      }
    }
  });

  test("which eras break which guarantee of the patch: the notifier eras all three, the patch's own eras none (fixed and v1 give up the second by design)", () => {
    const broken: Record<string, EraId[]> = {};
    for (const k of INVARIANT_KINDS)
      broken[k] = ERA_IDS.filter((era) => BUILTINS.some((sc) => kinds(explore(sc.id, era)).includes(k)));
    expect(broken).toEqual({
      'driver-kvm-changed-while-open': ['v5.18', 'gvt-rework', 'before'],
      'group-kvm-changed-during-driver-call': ['v5.18', 'gvt-rework', 'before'],
      'required-driver-open-without-vm': ['v5.18', 'gvt-rework', 'before'],
    });
    // Relaxed by design where the core holds its own reference, and said so with the exploration.
    for (const era of ['v1', 'fixed', 'v6.6'] as const)
      expect(explore('happy-path', era).relaxed.map((r) => r.kind)).toEqual([
        'group-kvm-changed-during-driver-call',
      ]);
    expect(explore('happy-path', 'after').relaxed).toEqual([]);
  });

  test('the notifier-era breakages are the ones the history describes', () => {
    // del-while-open: GROUP_DEL changes GVT's pointer under an open vGPU
    const c = explore('del-while-open', 'before').violations.find(
      (v) => v.kind === 'driver-kvm-changed-while-open',
    )!;
    expect(c.thread).toBe('KV');
    expect(c.detail).toMatch(/from K to NULL while D is open/);
    // late notification: vfio-ap opened with no KVM
    const b = explore('open-before-add', 'before').violations.find(
      (v) => v.kind === 'required-driver-open-without-vm',
    )!;
    expect(b.detail).toMatch(/^A is open/);
  });
});

describe('the engine is exact', () => {
  test('memoized transitions give exactly the same results as running every step (bounded, every built-in × era)', () => {
    for (const sc of BUILTINS) {
      for (const era of ERA_IDS) {
        const m = compileModel(sc, era);
        const a = search(kernelSystem(m), { maxStates: 1500 });
        const b = search(kernelSystem(m, { cache: false }), { maxStates: 1500 });
        const { ms: _a, ...ra } = a;
        const { ms: _b, ...rb } = b;
        expect(ra, `${sc.id}@${era}`).toEqual(rb);
      }
    }
  });

  test('memoized and unmemoized agree on complete explorations too', () => {
    for (const [id, era] of [
      ['del-while-open', 'before'],
      ['last-ref-deadlock', 'after'],
      ['open-vs-teardown-race', 'fixed'],
    ] as const) {
      const m = compileModel(builtin(id)!, era);
      const { ms: _a, ...a } = search(kernelSystem(m));
      const { ms: _b, ...b } = search(kernelSystem(m, { cache: false }));
      expect(a.complete).toBe(true);
      expect(a).toEqual(b);
    }
  });

  test("states merge exactly as the model's stateKey says", () => {
    const m = compileModel(builtin('del-while-open')!, 'before');
    const seen = new Set<string>();
    const queue: KState[] = [initialState(m)];
    seen.add(stateKey(queue[0]!));
    let transitions = 0;
    for (let i = 0; i < queue.length; i++) {
      for (const t of runnable(m, queue[i]!)) {
        transitions++;
        const next = step(m, queue[i]!, t).state;
        const k = stateKey(next);
        if (!seen.has(k)) {
          seen.add(k);
          queue.push(next);
        }
      }
    }
    const x = explore('del-while-open', 'before');
    expect(x.states).toBe(seen.size);
    expect(x.transitions).toBe(transitions);
  });

  const small = (steps: Scenario['steps']): Scenario => ({
    schema: 'vfio-kvm-scenario/1',
    id: 'small',
    title: 'small',
    era: 'after',
    vms: ['K'],
    devices: [{ id: 'D', driver: 'gvt', group: 'G' }],
    steps,
  });

  test.each([...ERA_IDS.map((era) => [era, 2] as const), ['fixed', 3] as const])(
    'on a small kernel scenario (%s, %i threads): the same counts and shortest lengths as enumerating every schedule',
    (era, threads) => {
      const steps: Scenario['steps'] = [
        { thread: 'Q', op: 'kvm_add_group', vm: 'K', group: 'G' },
        ...(threads === 3 ? [{ thread: 'KV', op: 'kvm_del_group', vm: 'K', group: 'G' } as const] : []),
        { thread: 'X', op: 'close_vm', vm: 'K' },
      ];
      const sys = kernelSystem(compileModel(small(steps), era));
      const r = search(sys);
      const bf = bruteForce(sys);
      expect(r.interleavings).toBe(bf.schedules);
      expect(r.states).toBe(bf.states);
      expect(r.transitions).toBe(bf.transitions);
      expect(new Map(r.counterexamples.map((c) => [c.kind, c.schedule.length]))).toEqual(bf.shortest);
    },
  );
});

describe('bounds and errors on the kernel model', () => {
  test('--max-states: incomplete, with the reason, never a hang', () => {
    const x = exploreScenario(builtin('second-opener')!, { era: 'before', maxStates: 100 });
    expect(x.complete).toBe(false);
    expect(x.reason).toMatch(/state bound/);
    expect(x.states).toBeLessThan(110);
  });

  test('a time bound', () => {
    let t = 0;
    const x = exploreScenario(builtin('second-opener')!, { era: 'before', maxMs: 5, now: () => (t += 1) });
    expect(x.complete).toBe(false);
    expect(x.reason).toMatch(/time bound/);
  });
});
