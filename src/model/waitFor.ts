/**
 * Who waits for whom: the one wait-for analysis that the model's deadlock
 * check and the lock diagram share. Pure; it knows locks only as their
 * owners and FIFO wait queues, each entry with a thread and a mode.
 *
 * A waiter waits for every owner of its lock, and for each waiter queued
 * ahead of it that will get the lock first: on a mutex every one of them; on
 * an rw-semaphore those ahead where either side wants it for write; a spinlock
 * is exclusive like a mutex (readers
 * queued behind readers are woken together, as `rwsem_mark_wake` does). A
 * waiter that owns its lock already waits for itself: a self-wait, the
 * deadlock of "WARNING: possible recursive locking detected" when both sides
 * are the same lock class.
 */

export type WaitMode = 'read' | 'write' | 'mutex' | 'spin';

export interface WaitEntry {
  thread: string;
  mode: WaitMode;
}

/** A lock as the analysis sees it. */
export interface WaitLock {
  /** Stable key ("lock:group_rwsem:G"). */
  key: string;
  owners: readonly WaitEntry[];
  /** FIFO: the first waiter gets the lock first. */
  waiters: readonly WaitEntry[];
}

export interface WaitEdge {
  /** The waiting thread. */
  from: string;
  /** The thread it waits for. */
  to: string;
  /** The lock `from` sleeps on. */
  lock: string;
  /** `to` holds the lock, or is queued ahead of `from` and gets it first. */
  why: 'holds' | 'ahead';
}

export interface SelfWait {
  thread: string;
  lock: string;
  /** How the thread holds the lock, and how it asks for it again. */
  held: WaitMode;
  wants: WaitMode;
}

export interface WaitGraph {
  edges: WaitEdge[];
  /** Thread → the threads it waits for, without repeats, in edge order. */
  waitsFor: ReadonlyMap<string, readonly string[]>;
  /** Elementary cycles (a self-wait is a cycle of one), each once, rotated to start at its smallest id. */
  cycles: string[][];
  selfWaits: SelfWait[];
  /** Threads on a cycle. */
  deadlocked: ReadonlySet<string>;
}

/** Longest cycle looked for (a bound on the search, far above any scenario's thread count). */
const MAX_CYCLE = 8;

/** The edges of one lock's wait queue, in queue order. */
export function lockWaits(l: WaitLock): WaitEdge[] {
  const out: WaitEdge[] = [];
  l.waiters.forEach((w, i) => {
    for (const o of l.owners) out.push({ from: w.thread, to: o.thread, lock: l.key, why: 'holds' });
    for (const ahead of l.waiters.slice(0, i)) {
      if (ahead.thread === w.thread) continue;
      if (w.mode !== 'read' || ahead.mode !== 'read')
        out.push({ from: w.thread, to: ahead.thread, lock: l.key, why: 'ahead' });
    }
  });
  return out;
}

function successors(edges: readonly WaitEdge[]): Map<string, string[]> {
  const g = new Map<string, string[]>();
  for (const e of edges) {
    let s = g.get(e.from);
    if (!s) g.set(e.from, (s = []));
    if (!s.includes(e.to)) s.push(e.to);
  }
  return g;
}

/** Elementary cycles of a successor map, each reported once, rotated to start at its smallest id. */
export function cyclesOf(g: ReadonlyMap<string, readonly string[]>): string[][] {
  const seen = new Set<string>();
  const out: string[][] = [];
  const dfs = (start: string, at: string, path: string[]) => {
    for (const next of [...(g.get(at) ?? [])].sort()) {
      if (next === start) {
        const min = path.reduce((m, t, i) => (t < path[m]! ? i : m), 0);
        const rot = [...path.slice(min), ...path.slice(0, min)];
        const key = rot.join('>');
        if (!seen.has(key)) {
          seen.add(key);
          out.push(rot);
        }
      } else if (!path.includes(next) && next > start && path.length < MAX_CYCLE) {
        dfs(start, next, [...path, next]);
      }
    }
  };
  for (const n of [...g.keys()].sort()) dfs(n, n, [n]);
  return out;
}

/** The whole analysis of a set of locks. */
export function waitGraph(locks: readonly WaitLock[]): WaitGraph {
  const edges = locks.flatMap(lockWaits);
  const waitsFor = successors(edges);
  const cycles = cyclesOf(waitsFor);
  const selfWaits: SelfWait[] = [];
  for (const l of locks)
    for (const w of l.waiters) {
      const held = l.owners.find((o) => o.thread === w.thread);
      if (held && !selfWaits.some((s) => s.thread === w.thread && s.lock === l.key))
        selfWaits.push({ thread: w.thread, lock: l.key, held: held.mode, wants: w.mode });
    }
  return { edges, waitsFor, cycles, selfWaits, deadlocked: new Set(cycles.flat()) };
}

/** What a thread can still do, for `blockedChain`. */
export type Fate =
  /** Blocked on a lock, and not handed it: moves only when the threads it waits for let go. */
  | 'stuck'
  /** Crashed or finished: never releases what it holds. */
  | 'never'
  /** Anything else (ready, running, or woken and about to run). */
  | 'free';

/**
 * If `start` can never move again, the chain of threads that proves it:
 * `start` waits for the next, which waits for the next, … back to `start`
 * (a cycle; `[T, T]` for a self-wait), or ending in a thread that will never
 * release (crashed or done). Null when some thread on every path can still
 * move. Threads already visited on another path are not walked twice.
 */
export function blockedChain(
  waitsFor: ReadonlyMap<string, readonly string[]>,
  start: string,
  fate: (thread: string) => Fate,
): string[] | null {
  const seen = new Set<string>();
  const walk = (at: string, path: string[]): string[] | null => {
    for (const next of waitsFor.get(at) ?? []) {
      if (next === start) return [...path, next];
      if (seen.has(next)) continue;
      seen.add(next);
      const f = fate(next);
      if (f === 'never') return [...path, next];
      if (f === 'stuck') {
        const r = walk(next, [...path, next]);
        if (r) return r;
      }
    }
    return null;
  };
  return walk(start, [start]);
}
