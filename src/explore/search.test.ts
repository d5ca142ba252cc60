import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { Search, replay, search } from './search.ts';
import {
  ABBA,
  bruteForce,
  flipper,
  independentThreads,
  toySystem,
  type ToyOp,
  type ToyProgram,
} from './toyModels.ts';

function binom(n: number, k: number): number {
  let r = 1;
  for (let i = 1; i <= k; i++) r = (r * (n - k + i)) / i;
  return Math.round(r);
}

function multinomial(ns: readonly number[]): number {
  let total = 0;
  let r = 1;
  for (const n of ns) {
    total += n;
    r *= binom(total, n);
  }
  return r;
}

describe('independent threads: the counts are known in closed form', () => {
  test.each([
    [1, 1],
    [2, 3],
    [5, 5],
    [7, 3],
    [12, 12],
  ])('%i and %i steps: C(n+m, n) interleavings, (n+1)(m+1) states', (n, m) => {
    const r = search(independentThreads([n, m]));
    expect(r.complete).toBe(true);
    expect(r.states).toBe((n + 1) * (m + 1));
    expect(r.transitions).toBe(n * (m + 1) + m * (n + 1));
    expect(r.interleavings).toBe(binom(n + m, n));
    expect(r.interleavingsExact).toBe(true);
    expect(r.terminals).toBe(1);
    expect(r.depth).toBe(n + m);
    expect(r.longest).toBe(n + m);
    expect(r.counterexamples).toEqual([]);
  });

  test('three threads: the multinomial coefficient', () => {
    const r = search(independentThreads([2, 3, 4]));
    expect(r.interleavings).toBe(multinomial([2, 3, 4]));
    expect(r.interleavings).toBe(1260);
    expect(r.states).toBe(3 * 4 * 5);
  });

  test('a count past 2^53 is flagged as rounded', () => {
    const r = search(independentThreads([40, 40]));
    expect(r.interleavings).toBeGreaterThan(Number.MAX_SAFE_INTEGER);
    expect(r.interleavingsExact).toBe(false);
  });

  test('one thread, and no thread at all', () => {
    expect(search(independentThreads([4])).interleavings).toBe(1);
    const none = search(independentThreads([]));
    expect(none).toMatchObject({ complete: true, states: 1, transitions: 0, interleavings: 1, terminals: 1 });
  });
});

describe('ABBA', () => {
  test('finds the deadlock with a shortest schedule, and it replays', () => {
    const sys = toySystem(ABBA);
    const r = search(sys);
    expect(r.complete).toBe(true);
    const d = r.counterexamples.find((c) => c.kind === 'deadlock');
    expect(d).toBeDefined();
    expect(d!.terminal).toBe(true);
    expect(d!.schedule).toHaveLength(2);
    expect([...d!.schedule].sort()).toEqual([0, 1]);
    const rp = replay(sys, d!.schedule);
    expect(rp.terminal?.map((f) => f.kind)).toContain('deadlock');
    const bf = bruteForce(sys);
    expect(r.interleavings).toBe(bf.schedules);
    expect(r.states).toBe(bf.states);
  });

  test('with the same lock order there is no deadlock', () => {
    const sameOrder: ToyProgram = { ...ABBA, threads: [ABBA.threads[0]!, ABBA.threads[0]!] };
    const r = search(toySystem(sameOrder));
    expect(r.counterexamples).toEqual([]);
    expect(r.interleavings).toBe(bruteForce(toySystem(sameOrder)).schedules);
  });
});

describe('shortest counterexamples', () => {
  test('a violation reachable in 3 or in 6 steps is reported at 3', () => {
    // T0 sets x = 1 after 4 no-ops, or T1 sets it at once; T2 checks twice.
    const p: ToyProgram = {
      locks: 0,
      vars: 1,
      threads: [
        [{ op: 'nop' }, { op: 'nop' }, { op: 'nop' }, { op: 'nop' }, { op: 'set', v: 0, value: 1 }],
        [{ op: 'nop' }, { op: 'set', v: 0, value: 1 }],
        [
          { op: 'check', v: 0, eq: 1, kind: 'boom' },
          { op: 'check', v: 0, eq: 1, kind: 'boom' },
        ],
      ],
    };
    const r = search(toySystem(p));
    const c = r.counterexamples.find((x) => x.kind === 'boom')!;
    expect(c.schedule).toEqual([1, 1, 2]);
    expect(c.terminal).toBe(false);
    expect(replay(toySystem(p), c.schedule).steps[2]!.map((f) => f.kind)).toEqual(['boom']);
  });

  test('a terminal finding shorter than a transition finding of the same kind replaces it', () => {
    // Depth 1 has two states: X (T0 took the lock; its next step reports "deadlock" at length 2),
    // discovered and expanded first, and Y (T1 took the lock for good: terminal, "deadlock" at length 1).
    const p: ToyProgram = {
      locks: 1,
      vars: 1,
      threads: [
        [
          { op: 'lock', l: 0 },
          { op: 'check', v: 0, eq: 0, kind: 'deadlock' },
          { op: 'unlock', l: 0 },
        ],
        [{ op: 'lock', l: 0 }],
      ],
    };
    const r = search(toySystem(p));
    const c = r.counterexamples.find((x) => x.kind === 'deadlock')!;
    expect(c.schedule).toEqual([1]);
    expect(c.terminal).toBe(true);
    expect(bruteForce(toySystem(p)).shortest.get('deadlock')).toBe(1);
  });

  const op: fc.Arbitrary<ToyOp> = fc.oneof(
    fc.record({ op: fc.constant('lock' as const), l: fc.integer({ min: 0, max: 1 }) }),
    fc.record({ op: fc.constant('unlock' as const), l: fc.integer({ min: 0, max: 1 }) }),
    fc.record({
      op: fc.constant('set' as const),
      v: fc.integer({ min: 0, max: 1 }),
      value: fc.integer({ min: 0, max: 3 }),
    }),
    fc.record({ op: fc.constant('inc' as const), v: fc.integer({ min: 0, max: 1 }) }),
    fc.record({
      op: fc.constant('check' as const),
      v: fc.integer({ min: 0, max: 1 }),
      eq: fc.integer({ min: 0, max: 3 }),
      kind: fc.constantFrom('k1', 'k2'),
    }),
    fc.constant({ op: 'nop' as const }),
  );
  const program: fc.Arbitrary<ToyProgram> = fc.record({
    locks: fc.constant(2),
    vars: fc.constant(2),
    threads: fc.array(fc.array(op, { minLength: 0, maxLength: 4 }), { minLength: 1, maxLength: 3 }),
  });

  test('on random programs: same states, transitions, schedules and shortest lengths as enumerating every schedule', () => {
    fc.assert(
      fc.property(program, (p) => {
        const sys = toySystem(p);
        const r = search(sys);
        const bf = bruteForce(sys);
        expect(r.complete).toBe(true);
        expect(r.states).toBe(bf.states);
        expect(r.transitions).toBe(bf.transitions);
        expect(r.terminals).toBe(bf.terminals);
        expect(r.interleavings).toBe(bf.schedules);
        const found = new Map(r.counterexamples.map((c) => [c.kind, c]));
        expect([...found.keys()].sort()).toEqual([...bf.shortest.keys()].sort());
        for (const [kind, c] of found) {
          expect(c.schedule.length).toBe(bf.shortest.get(kind));
          // and the schedule replays to that kind, exactly where it says
          const rp = replay(sys, c.schedule);
          const shown = c.terminal ? rp.terminal : rp.steps[rp.steps.length - 1];
          expect(shown?.map((f) => f.kind)).toContain(kind);
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('bounds, errors, cycles', () => {
  test('a state bound ends the search, incomplete, with the reason', () => {
    const r = search(independentThreads([10, 10]), { maxStates: 50 });
    expect(r.complete).toBe(false);
    expect(r.reason).toMatch(/state bound reached: more than 50 distinct states/);
    expect(r.states).toBeGreaterThan(50);
    expect(r.states).toBeLessThanOrEqual(52);
    // a lower bound of the true count
    expect(r.interleavings).toBeLessThanOrEqual(binom(20, 10));
    expect(r.interleavings).toBeGreaterThan(0);
  });

  test('exactly as many states as the bound: complete', () => {
    const r = search(independentThreads([4, 4]), { maxStates: 25 });
    expect(r.complete).toBe(true);
    expect(r.interleavings).toBe(binom(8, 4));
  });

  test('a time bound ends the search (clock injected)', () => {
    let t = 0;
    const r = search(independentThreads([30, 30]), { maxMs: 10, now: () => (t += 1) });
    expect(r.complete).toBe(false);
    expect(r.reason).toMatch(/time bound reached: 10 ms/);
  });

  test('a system that throws inside a transition: reported with its schedule, never thrown', () => {
    const p: ToyProgram = {
      locks: 0,
      vars: 0,
      threads: [[{ op: 'nop' }, { op: 'nop' }, { op: 'nop' }], [{ op: 'nop' }]],
    };
    const sys = toySystem(p, { throwAt: { thread: 0, pc: 2 } });
    const r = search(sys);
    expect(r.complete).toBe(false);
    expect(r.reason).toMatch(/model error: toy: T0 fails at pc 2/);
    expect(r.error?.message).toBe('toy: T0 fails at pc 2');
    expect(r.error!.schedule.slice(-1)).toEqual([0]);
    expect(() => replay(sys, r.error!.schedule)).toThrow(/fails at pc 2/);
  });

  test('a cyclic state graph: complete, infinitely many schedules (null)', () => {
    const r = search(flipper());
    expect(r.complete).toBe(true);
    expect(r.states).toBe(2);
    expect(r.transitions).toBe(2);
    expect(r.interleavings).toBeNull();
  });

  test('running in slices gives exactly the result of one run', () => {
    const sys = toySystem({
      locks: 2,
      vars: 1,
      threads: [
        [...ABBA.threads[0]!, { op: 'inc', v: 0 }, { op: 'check', v: 0, eq: 2, kind: 'two' }],
        [...ABBA.threads[1]!, { op: 'inc', v: 0 }, { op: 'nop' }],
        [
          { op: 'inc', v: 0 },
          { op: 'nop' },
          { op: 'check', v: 0, eq: 3, kind: 'three' },
          { op: 'nop' },
          { op: 'nop' },
        ],
      ],
    });
    const whole = search(sys);
    let t = 0;
    const s = new Search(sys, { now: () => (t += 1) });
    let slices = 0;
    while (!s.run(0)) slices++;
    expect(slices).toBeGreaterThan(0);
    const { ms: _a, ...a } = s.result();
    const { ms: _b, ...b } = whole;
    expect(a).toEqual(b);
  });

  test('stop() ends it with the given reason', () => {
    const s = new Search(independentThreads([30, 30]));
    s.run(0);
    s.stop('cancelled');
    expect(s.run()).toBe(true);
    expect(s.result()).toMatchObject({ complete: false, reason: 'cancelled' });
  });
});

test('a memory cap bounds the state count whatever maxStates says', () => {
  // width 2: 56 bytes a state; 2800 bytes → 50 states
  const r = search(independentThreads([10, 10]), { maxStates: 1_000_000, maxBytes: 2800 });
  expect(r.complete).toBe(false);
  expect(r.reason).toMatch(/more than 50 distinct states \(the memory cap/);
});
