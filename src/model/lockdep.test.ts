/**
 * The lock validator: hand-made lock sequences, the model's own runs, and
 * properties over random lock programs (run with real blocking) and random
 * scenarios: it never warns where the run has no lock-order cycle, warns
 * wherever it has one, and so warns in every run that deadlocks on a cycle.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { lockClass, lockInstance, lockStateAt, validateLocks, type LockdepInput } from './lockdep.ts';
import type { LockEvent } from './step.ts';
import type { LockMode } from './program.ts';
import type { LockKey } from './slots.ts';
import {
  ERA_IDS,
  runScenario,
  compileModel,
  runModel,
  runnable,
  deadlockChain,
  step,
  initialState,
} from './index.ts';
import { BUILTINS, builtin } from '../scenarios/index.ts';
import { exploreScenario } from '../explore/exploration.ts';
import { builtinScenarioArb, validScenarioArb } from '../testing/arbitraries.ts';
import { validateScenario } from '../scenarios/validate.ts';

const acq = (key: string, mode: LockMode = 'mutex'): LockEvent => ({
  op: 'acquire',
  key: key as LockKey,
  mode,
});
const wait = (key: string, mode: LockMode = 'mutex'): LockEvent => ({
  op: 'wait',
  key: key as LockKey,
  mode,
});
const rel = (key: string, mode: LockMode = 'mutex'): LockEvent => ({
  op: 'release',
  key: key as LockKey,
  mode,
});
const st = (thread: string, ...locks: LockEvent[]): LockdepInput => ({ thread, locks });

describe('lock classes', () => {
  it('one class per kind of lock, named as lockdep names it', () => {
    expect(lockClass('lock:group_rwsem:G')).toBe('&group->group_rwsem');
    expect(lockClass('lock:group_rwsem:G2')).toBe('&group->group_rwsem');
    expect(lockClass('lock:kvm:K')).toBe('&kvm->lock');
    expect(lockClass('lock:dev_set:D')).toBe('&new_dev_set->lock');
    expect(lockClass('lock:kvm_vfio:K')).toBe('&kv->lock');
    expect(lockClass('lock:matrix_dev')).toBe('&matrix_dev->lock');
    expect(lockClass('lock:notifier:G')).toBe('&(&group->notifier)->rwsem');
    expect(lockClass('lock:group_lock:G')).toBe('&group->group_lock');
    expect(lockClass('lock:kvm_ref_lock:G')).toBe('&group->kvm_ref_lock');
    expect(lockInstance('lock:group_rwsem:G2')).toBe('&G2->group_rwsem');
    expect(lockInstance('lock:kvm:K')).toBe('&K->lock');
  });
});

describe('hand-made sequences', () => {
  const G = 'lock:group_lock:G';
  const K = 'lock:kvm:K';

  it('ABBA in two threads that never overlap: circular, although nothing deadlocked', () => {
    // vfio-ap open takes group_lock then kvm->lock; later the VM's close takes kvm->lock then group_lock
    // (the order 51cdc8bc120e introduced, fixed by 2b48f52f2bff).
    const w = validateLocks([
      st('Q', acq(G)),
      st('Q', acq(K)),
      st('Q', rel(K)),
      st('Q', rel(G)),
      st('X', acq(K)),
      st('X', acq(G)),
    ]);
    expect(w).not.toBeNull();
    expect(w!.kind).toBe('circular');
    expect(w!.chain).toEqual(['&kvm->lock', '&group->group_lock']);
    expect(w!.steps).toEqual([2, 6]);
    expect(w!.thread).toBe('X');
    expect(w!.held.key).toBe(K);
    expect(w!.acquiring.key).toBe(G);
    expect(w!.path.map((d) => [d.from.step, d.to.step])).toEqual([[1, 2]]);
  });

  it('a longer cycle: the chain closes through every class on it', () => {
    const A = 'lock:kvm_vfio:K';
    const w = validateLocks([
      st('T1', acq(A), acq(G), rel(G), rel(A)),
      st('T2', acq(G), acq(K), rel(K), rel(G)),
      st('T3', acq(K), acq(A)),
    ]);
    expect(w?.kind).toBe('circular');
    expect(w!.chain).toEqual(['&kvm->lock', '&kv->lock', '&group->group_lock']);
    expect(w!.steps).toEqual([1, 2, 3]);
  });

  it('the same class twice in one task is recursive, rwsem readers included', () => {
    const R = 'lock:group_rwsem:G';
    const w = validateLocks([st('Q', acq(R, 'read')), st('Q', acq(R, 'read'))]);
    expect(w).toMatchObject({ kind: 'recursive', chain: ['&group->group_rwsem', '&group->group_rwsem'] });
    expect(w!.steps).toEqual([1, 2]);
    // read then write, the last-reference deadlock: the second acquisition sleeps, and still warns
    expect(validateLocks([st('Q', acq(R, 'read')), st('Q', wait(R, 'write'))])?.kind).toBe('recursive');
    // two instances of one class count as one class
    expect(validateLocks([st('Q', acq(R, 'read'), acq('lock:group_rwsem:G2', 'read'))])?.kind).toBe(
      'recursive',
    );
  });

  it('no warning without a cycle; a released lock is no longer held', () => {
    expect(validateLocks([st('Q', acq(G), acq(K), rel(K), rel(G)), st('X', acq(G), acq(K))])).toBeNull();
    expect(validateLocks([st('Q', acq(G), rel(G), acq(G))])).toBeNull();
    expect(validateLocks([st('Q', acq(K), rel(K)), st('Q', acq(G), acq(K))])).toBeNull();
  });

  it('a sleeping acquisition counts as held (lockdep takes it before the task sleeps)', () => {
    const w = validateLocks([st('Q', acq(G), acq(K), rel(K), rel(G)), st('X', wait(K)), st('X', acq(G))]);
    expect(w?.kind).toBe('circular');
    expect(
      lockStateAt([st('X', wait(K))])
        .held.get('X')!
        .map((h) => h.key),
    ).toEqual([K]);
  });

  it('the acquisition a woken waiter completes is the one it asked for, not a second one', () => {
    const w = validateLocks([
      st('T', acq(K)),
      st('Q', wait(K)),
      st('T', rel(K)),
      st('Q', acq(K)),
      st('Q', acq(G)),
      st('Q', rel(G), rel(K)),
    ]);
    expect(w).toBeNull();
    expect(
      lockStateAt([st('Q', wait(K)), st('Q', acq(K))])
        .held.get('Q')!
        .map((h) => h.step),
    ).toEqual([1]);
  });

  it('the first warning turns the validator off', () => {
    const R = 'lock:group_rwsem:G';
    const w = validateLocks([
      st('Q', acq(R, 'read'), acq(R, 'read')),
      st('T', acq(G), acq(K), rel(K), rel(G)),
      st('X', acq(K), acq(G)),
    ]);
    expect(w?.kind).toBe('recursive');
  });
});

describe('the model’s runs', () => {
  it('the last-reference deadlock in after: recursive on group_rwsem, at the acquisition that hangs', () => {
    const r = runScenario(builtin('last-ref-deadlock')!, { era: 'after' });
    expect(r.trace.lockdep).toMatchObject({
      kind: 'recursive',
      chain: ['&group->group_rwsem', '&group->group_rwsem'],
    });
    const dl = r.violations.find((v) => v.kind === 'deadlock')!;
    expect(r.trace.lockdep!.steps.at(-1)).toBe(dl.step);
  });

  it('warns in a run that did not deadlock: the nested read lock of recursive-rlock', () => {
    const r = runScenario(builtin('recursive-rlock')!, { era: 'after' });
    expect(r.violations.some((v) => v.kind === 'deadlock')).toBe(false);
    expect(r.trace.lockdep?.kind).toBe('recursive');
  });

  it('vfio-ap open then VM close, one after the other, warns of nothing in fixed', () => {
    const v = validateScenario({
      schema: 'vfio-kvm-scenario/1',
      id: 'ap-open-then-close-vm',
      title: 'vfio-ap open, then the VM closes',
      era: 'fixed',
      vms: ['K'],
      devices: [{ id: 'A', driver: 'vfio-ap', group: 'G' }],
      steps: [
        { thread: 'Q', op: 'kvm_add_group', vm: 'K', group: 'G' },
        { thread: 'Q', op: 'open_device', device: 'A' },
        { thread: 'X', op: 'close_vm', vm: 'K' },
        { thread: 'Q', op: 'close_device', device: 'A' },
      ],
    });
    if (!v.ok) throw new Error(v.errors.join('\n'));
    const r = runScenario(v.scenario, { era: 'fixed' });
    expect(r.violations).toEqual([]);
    expect(r.trace.lockdep).toBeNull();
  });

  it('no warning in any built-in scenario whose locks are never nested against each other', () => {
    for (const era of ERA_IDS) expect(runScenario(builtin('happy-path')!, { era }).trace.lockdep).toBeNull();
    for (const s of BUILTINS)
      for (const era of ERA_IDS) {
        const r = runScenario(s, { era });
        if (r.trace.lockdep) expect(hasClassCycle(r.records)).toBe(true);
      }
  });
});

/* ------------------------------------------------------------------ oracle */

/**
 * The oracle, built differently from the validator: every lock held (sleeping
 * acquisitions included) → the lock asked for, as a class graph; a cycle
 * (a self-loop included) found by depth-first search.
 */
function hasClassCycle(records: readonly LockdepInput[]): boolean {
  const held = new Map<string, string[]>();
  const edges = new Map<string, Set<string>>();
  const slept = new Map<string, string>();
  for (const r of records)
    for (const e of r.locks) {
      const h = held.get(r.thread) ?? [];
      held.set(r.thread, h);
      // the woken waiter's acquisition of the lock it slept on is the one it asked for then
      const was = slept.get(r.thread);
      slept.delete(r.thread);
      if (e.op === 'acquire' && was === e.key) continue;
      if (e.op === 'wait') slept.set(r.thread, e.key);
      if (e.op === 'release') {
        const i = h.lastIndexOf(e.key);
        if (i >= 0) h.splice(i, 1);
        continue;
      }
      for (const k of h) {
        const a = lockClass(k);
        if (!edges.has(a)) edges.set(a, new Set());
        edges.get(a)!.add(lockClass(e.key));
      }
      h.push(e.key);
    }
  const state = new Map<string, 1 | 2>();
  const dfs = (n: string): boolean => {
    state.set(n, 1);
    for (const m of edges.get(n) ?? []) {
      if (state.get(m) === 1) return true;
      if (!state.has(m) && dfs(m)) return true;
    }
    state.set(n, 2);
    return false;
  };
  return [...edges.keys()].some((n) => !state.has(n) && dfs(n));
}

/* ------------------------------------------------ random lock programs, run */

type Kind = 'mutex' | 'rwsem';
const LOCKS: { key: string; kind: Kind }[] = [
  { key: 'lock:kvm:K', kind: 'mutex' },
  { key: 'lock:kvm:K2', kind: 'mutex' },
  { key: 'lock:group_lock:G', kind: 'mutex' },
  { key: 'lock:kvm_vfio:K', kind: 'mutex' },
  { key: 'lock:group_rwsem:G', kind: 'rwsem' },
  { key: 'lock:group_rwsem:G2', kind: 'rwsem' },
];

type Op = { lock: number; mode: LockMode } | 'unlock';

/** A thread's program: lock operations, each unlock releasing the most recent lock it holds. */
const programArb = fc.array(
  fc.oneof(
    {
      weight: 3,
      arbitrary: fc.record({ lock: fc.integer({ min: 0, max: LOCKS.length - 1 }), read: fc.boolean() }),
    },
    { weight: 2, arbitrary: fc.constant('unlock' as const) },
  ),
  { minLength: 1, maxLength: 7 },
);

interface LockSim {
  owner: string | null;
  readers: string[];
  waiters: { t: string; mode: LockMode }[];
}

/**
 * Run the programs under a schedule (each entry picks among the threads that
 * can move), with sleeping locks: FIFO waiters, readers queue behind a
 * waiting writer. Returns the records and whether it ended in a deadlock on a
 * lock cycle (a cycle of "waits for a holder").
 */
function simulate(programs: Op[][], picks: number[]) {
  const threads = programs.map((_, i) => `T${i}`);
  const locks = LOCKS.map((): LockSim => ({ owner: null, readers: [], waiters: [] }));
  const pc = programs.map(() => 0);
  const stack: { lock: number; mode: LockMode }[][] = programs.map(() => []);
  const asleep: (number | null)[] = programs.map(() => null);
  /** Woken, not yet run: its next step records the acquisition handed to it (as the model's does). */
  const woken: ({ lock: number; mode: LockMode } | null)[] = programs.map(() => null);
  const records: LockdepInput[] = [];
  const grant = (l: number) => {
    const L = locks[l]!;
    for (;;) {
      const head = L.waiters[0];
      if (!head || L.owner) return;
      if (head.mode === 'read') {
        L.readers.push(head.t);
      } else {
        if (L.readers.length) return;
        L.owner = head.t;
      }
      L.waiters.shift();
      const ti = threads.indexOf(head.t);
      asleep[ti] = null;
      woken[ti] = { lock: l, mode: head.mode };
    }
  };
  const canMove = (i: number) => (pc[i]! < programs[i]!.length || woken[i] !== null) && asleep[i] === null;
  let p = 0;
  for (let guard = 0; guard < 200; guard++) {
    const ready = threads.map((_, i) => i).filter(canMove);
    if (ready.length === 0) break;
    const i = ready[(picks[p++ % Math.max(1, picks.length)] ?? 0) % ready.length]!;
    const t = threads[i]!;
    const handed = woken[i];
    if (handed) {
      woken[i] = null;
      records.push({ thread: t, locks: [acq(LOCKS[handed.lock]!.key, handed.mode)] });
      continue;
    }
    const op = programs[i]![pc[i]!]!;
    pc[i]! += 1;
    if (op === 'unlock') {
      const top = stack[i]!.pop();
      if (!top) {
        records.push({ thread: t, locks: [] });
        continue;
      }
      const L = locks[top.lock]!;
      if (L.owner === t) L.owner = null;
      else L.readers.splice(L.readers.indexOf(t), 1);
      records.push({ thread: t, locks: [rel(LOCKS[top.lock]!.key, top.mode)] });
      grant(top.lock);
      continue;
    }
    const L = locks[op.lock]!;
    const mode: LockMode = LOCKS[op.lock]!.kind === 'mutex' ? 'mutex' : op.mode;
    const free =
      mode === 'read'
        ? !L.owner && L.waiters.length === 0
        : !L.owner && L.readers.length === 0 && L.waiters.length === 0;
    stack[i]!.push({ lock: op.lock, mode });
    if (free) {
      if (mode === 'read') L.readers.push(t);
      else L.owner = t;
      records.push({ thread: t, locks: [acq(LOCKS[op.lock]!.key, mode)] });
    } else {
      L.waiters.push({ t, mode });
      asleep[i] = op.lock;
      records.push({ thread: t, locks: [wait(LOCKS[op.lock]!.key, mode)] });
    }
  }
  // Deadlock on a lock cycle: a cycle in "T waits for a holder of, or a waiter ahead of it on, its lock".
  const waitsFor = (i: number): number[] => {
    const l = asleep[i];
    if (l === null) return [];
    const L = locks[l]!;
    const me = threads[i]!;
    const out = new Set<string>([...(L.owner ? [L.owner] : []), ...L.readers]);
    for (const w of L.waiters) {
      if (w.t === me) break;
      out.add(w.t);
    }
    return [...out].map((x) => threads.indexOf(x));
  };
  const onCycle = threads.some((_, start) => {
    const seen = new Set<number>();
    const walk = (i: number): boolean =>
      waitsFor(i).some((j) => j === start || (!seen.has(j) && (seen.add(j), walk(j))));
    return walk(start);
  });
  return { records, deadlockOnCycle: onCycle };
}

const opsArb: fc.Arbitrary<Op[]> = programArb.map((ops) =>
  ops.map((o) => (o === 'unlock' ? o : { lock: o.lock, mode: o.read ? 'read' : 'write' })),
);

describe('properties', () => {
  it('random lock programs: warns exactly when the run has a lock-order cycle, and whenever it deadlocks on one', () => {
    let deadlocks = 0;
    let warnings = 0;
    fc.assert(
      fc.property(
        fc.array(opsArb, { minLength: 2, maxLength: 3 }),
        fc.array(fc.nat({ max: 5 }), { minLength: 1, maxLength: 30 }),
        (programs, picks) => {
          const { records, deadlockOnCycle } = simulate(programs, picks);
          const w = validateLocks(records);
          const upToWarning = w ? records.slice(0, w.step) : records;
          // never warns where no cycle exists (up to the warning)…
          if (w) expect(hasClassCycle(upToWarning)).toBe(true);
          // …and misses none
          else expect(hasClassCycle(records)).toBe(false);
          if (deadlockOnCycle) {
            deadlocks++;
            expect(w).not.toBeNull();
          }
          if (w) warnings++;
        },
      ),
      { numRuns: 3000 },
    );
    // The generator does reach both cases.
    expect(deadlocks).toBeGreaterThan(20);
    expect(warnings).toBeGreaterThan(deadlocks);
  });

  it('random scenarios in every era: a warning only with a cycle, and on every deadlock of threads waiting in a cycle', () => {
    fc.assert(
      fc.property(
        fc.oneof(validScenarioArb(), builtinScenarioArb),
        fc.constantFrom(...ERA_IDS),
        fc.array(fc.nat(), { maxLength: 60 }),
        (s, era, picks) => {
          const m = compileModel(s, era);
          // a random schedule prefix, then the default order
          let state = initialState(m);
          const schedule: string[] = [];
          for (const pick of picks) {
            const can = runnable(m, state);
            if (can.length === 0) break;
            const ti = can[pick % can.length]!;
            schedule.push(m.threads[ti]!.id);
            state = step(m, state, ti).state;
          }
          const r = runModel(m, schedule);
          expect(r.trace.lockdep !== null).toBe(hasClassCycle(r.records));
          const last = r.states.at(-1)!;
          for (const v of r.violations)
            if (v.kind === 'deadlock') {
              const chain = deadlockChain(m, last, m.threadIndex.get(v.thread)!);
              if (chain && chain[chain.length - 1] === v.thread) {
                expect(r.trace.lockdep).not.toBeNull();
              }
            }
        },
      ),
      { numRuns: 400 },
    );
    // Random schedules may or may not reach a deadlock; the next test covers the deadlocks for sure.
  });

  it('every built-in in every era, in the default order and in each explored deadlock: a deadlock on a cycle always warns', () => {
    let cycles = 0;
    for (const s of BUILTINS)
      for (const era of ERA_IDS) {
        const m = compileModel(s, era);
        const schedules = [
          [] as string[],
          ...exploreScenario(s, { era })
            .violations.filter((v) => v.kind === 'deadlock')
            .map((v) => v.schedule),
        ];
        for (const schedule of schedules) {
          const r = runModel(m, schedule);
          expect(r.trace.lockdep !== null).toBe(hasClassCycle(r.records));
          const last = r.states.at(-1)!;
          for (const v of r.violations) {
            if (v.kind !== 'deadlock') continue;
            const chain = deadlockChain(m, last, m.threadIndex.get(v.thread)!);
            if (chain && chain[chain.length - 1] === v.thread) {
              cycles++;
              expect(r.trace.lockdep, `${s.id} ${era} ${schedule.join(',')}`).not.toBeNull();
            }
          }
        }
      }
    // last-ref-deadlock (after), recursive-rlock (after), set-kvm-races-open (after) at least.
    expect(cycles).toBeGreaterThanOrEqual(3);
  });
});
