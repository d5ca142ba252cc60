/**
 * Small hand-made transition systems whose state spaces are known exactly,
 * for testing the search (search.ts) through the same interface as the
 * kernel model; and a brute-force enumerator of every schedule to compare
 * against.
 */
import type { Finding, TransitionSystem } from './system.ts';

/** Threads of n₀, n₁, … steps that touch nothing shared: multinomial(Σn; n₀, n₁, …) interleavings. */
export function independentThreads(steps: readonly number[]): TransitionSystem {
  return {
    threads: steps.map((_, i) => `T${i}`),
    width: steps.length,
    initial: (out) => out.fill(0),
    enabled: (s) => steps.flatMap((n, i) => (s[i]! < n ? [i] : [])),
    step: (s, t, out) => {
      out.set(s);
      out[t]! += 1;
      return [];
    },
    terminal: () => [],
  };
}

/**
 * A tiny language of threads over mutexes and shared variables. A thread
 * whose next op is `lock` of a held mutex cannot move (no wait queue: it just
 * is not enabled). At a terminal state, threads that have not finished are a
 * `deadlock`; `check` reports its kind when the variable has the value.
 */
export type ToyOp =
  | { op: 'lock'; l: number }
  | { op: 'unlock'; l: number }
  | { op: 'set'; v: number; value: number }
  | { op: 'inc'; v: number }
  | { op: 'check'; v: number; eq: number; kind: string }
  | { op: 'nop' };

export interface ToyProgram {
  threads: ToyOp[][];
  locks: number;
  vars: number;
}

export function toySystem(
  p: ToyProgram,
  opts: { throwAt?: { thread: number; pc: number } } = {},
): TransitionSystem {
  const T = p.threads.length;
  const lockBase = T;
  const varBase = T + p.locks;
  return {
    threads: p.threads.map((_, i) => `T${i}`),
    width: T + p.locks + p.vars,
    initial: (out) => out.fill(0),
    enabled(s) {
      const out: number[] = [];
      for (let t = 0; t < T; t++) {
        const op = p.threads[t]![s[t]!];
        if (!op) continue;
        if (op.op === 'lock' && s[lockBase + op.l] !== 0) continue;
        out.push(t);
      }
      return out;
    },
    step(s, t, out) {
      out.set(s);
      const pc = s[t]!;
      if (opts.throwAt && opts.throwAt.thread === t && opts.throwAt.pc === pc)
        throw new Error(`toy: T${t} fails at pc ${pc}`);
      const op = p.threads[t]![pc]!;
      out[t] = pc + 1;
      const f: Finding[] = [];
      switch (op.op) {
        case 'lock':
          out[lockBase + op.l] = t + 1;
          break;
        case 'unlock':
          if (s[lockBase + op.l] === t + 1) out[lockBase + op.l] = 0;
          else f.push({ kind: 'bad-unlock', thread: `T${t}` });
          break;
        case 'set':
          out[varBase + op.v] = op.value;
          break;
        case 'inc':
          out[varBase + op.v] = (s[varBase + op.v]! + 1) % 4;
          break;
        case 'check':
          if (s[varBase + op.v] === op.eq) f.push({ kind: op.kind, thread: `T${t}` });
          break;
        case 'nop':
          break;
      }
      return f;
    },
    terminal(s) {
      const stuck: string[] = [];
      for (let t = 0; t < T; t++) if (s[t]! < p.threads[t]!.length) stuck.push(`T${t}`);
      return stuck.length ? [{ kind: 'deadlock', detail: `${stuck.join(', ')} can never move` }] : [];
    },
  };
}

/** The classic ABBA: T0 takes A then B, T1 takes B then A. */
export const ABBA: ToyProgram = {
  locks: 2,
  vars: 0,
  threads: [
    [
      { op: 'lock', l: 0 },
      { op: 'lock', l: 1 },
      { op: 'unlock', l: 1 },
      { op: 'unlock', l: 0 },
    ],
    [
      { op: 'lock', l: 1 },
      { op: 'lock', l: 0 },
      { op: 'unlock', l: 0 },
      { op: 'unlock', l: 1 },
    ],
  ],
};

/** A thread that flips a bit forever: a cycle, so infinitely many schedules. */
export function flipper(): TransitionSystem {
  return {
    threads: ['F'],
    width: 1,
    initial: (out) => out.fill(0),
    enabled: () => [0],
    step: (s, _t, out) => {
      out[0] = s[0]! ^ 1;
      return [];
    },
    terminal: () => [],
  };
}

export interface BruteForce {
  /** Maximal schedules. */
  schedules: number;
  states: number;
  transitions: number;
  terminals: number;
  /** Per kind, the length of the shortest schedule that shows it. */
  shortest: Map<string, number>;
}

/** Enumerate every schedule (no merging): exponential, for small systems only. */
export function bruteForce(sys: TransitionSystem, limit = 2_000_000): BruteForce {
  const states = new Set<string>();
  const transitions = new Set<string>();
  const terminals = new Set<string>();
  const shortest = new Map<string, number>();
  let schedules = 0;
  let visits = 0;
  const note = (k: string, len: number) => {
    const b = shortest.get(k);
    if (b === undefined || len < b) shortest.set(k, len);
  };
  const walk = (s: Int32Array, depth: number) => {
    if (++visits > limit) throw new Error('bruteForce: too many schedules');
    const key = s.join(',');
    states.add(key);
    const en = [...sys.enabled(s)];
    if (en.length === 0) {
      schedules++;
      terminals.add(key);
      for (const f of sys.terminal(s)) note(f.kind, depth);
      return;
    }
    for (const t of en) {
      const out = new Int32Array(sys.width);
      const f = sys.step(s, t, out);
      transitions.add(`${key}>${t}`);
      for (const x of f) note(x.kind, depth + 1);
      walk(out, depth + 1);
    }
  };
  const s0 = new Int32Array(sys.width);
  sys.initial(s0);
  walk(s0, 0);
  return {
    schedules,
    states: states.size,
    transitions: transitions.size,
    terminals: terminals.size,
    shortest,
  };
}
