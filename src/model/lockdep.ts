/**
 * A lock validator in the manner of the kernel's lockdep
 * (kernel/locking/lockdep.c, Documentation/locking/lockdep-design.rst),
 * run over the lock operations a run records (StepRecord.locks).
 *
 * - Locks are grouped in classes, one per kind of lock, not per instance:
 *   every group's `group_rwsem` is the one class `&group->group_rwsem`, named
 *   as lockdep names it (the stringified argument of mutex_init / init_rwsem /
 *   spin_lock_init at the lock's init site).
 * - A lock is in the task's held stack from the moment it asks for it (lockdep
 *   calls lock_acquire before the task sleeps on the lock), so `wait` counts as
 *   the acquisition; the `acquire` the woken task records when it finds the
 *   lock handed to it completes that one.
 * - Taking a class the task already holds is "possible recursive locking"
 *   (rwsem readers included: down_read is not a recursive read lock).
 * - Otherwise the acquisition records the dependency "top held lock → new lock"
 *   (check_prevs_add stops at the first held lock that is not a trylock; the
 *   locks under it reach the new one through it). If the new lock already
 *   reaches the held one, that is "possible circular locking dependency". The
 *   first warning turns the validator off, as debug_locks_off() does: a run
 *   has at most one.
 *
 * With no recursive readers (read == 2) in these code paths, every cycle of
 * the class graph is a possible deadlock, whatever the read/write modes.
 */
import type { LockMode } from './program.ts';
import type { LockEvent } from './step.ts';
import { LOCK_KINDS, lockClass as classOf, parseLockKey } from './slots.ts';

export type LockType = 'mutex' | 'rwsem' | 'spinlock';

function kindOf(key: string) {
  try {
    return parseLockKey(key);
  } catch {
    return null;
  }
}

/** The lockdep class of a lock slot key: "lock:kvm:K" → "&kvm->lock" (the table is slots.ts LOCK_KINDS). */
export function lockClass(key: string): string {
  return kindOf(key) ? classOf(key) : key;
}

/** mutex, rwsem or spinlock. */
export function lockType(key: string): LockType {
  const k = kindOf(key);
  if (!k) return 'mutex';
  const t = LOCK_KINDS[k.kind].kind;
  return t === 'spin' ? 'spinlock' : t;
}

/** The lock of one object as code writes it: "lock:group_rwsem:G" → "&G->group_rwsem". */
export function lockInstance(key: string): string {
  const k = kindOf(key);
  if (!k) return key;
  const field = LOCK_KINDS[k.kind].field;
  if (k.instance === null) return `&${field}`;
  switch (k.kind) {
    case 'kvm':
      return `&${k.instance}->lock`;
    case 'kvm_vfio':
      return `&kv(${k.instance})->lock`;
    case 'kzdev_lock':
      return `&zdev(${k.instance})->kzdev_lock`;
    default:
      return `&${k.instance}->${field}`;
  }
}

/** A lock in a task's held stack (or being acquired). */
export interface HeldLock {
  readonly key: string;
  readonly cls: string;
  readonly mode: LockMode;
  /** Micro-step (1-based) of the acquisition. */
  readonly step: number;
  readonly thread: string;
}

/** `to` was acquired while `from` was the task's most recent held lock: from → to. */
export interface Dependency {
  readonly from: HeldLock;
  readonly to: HeldLock;
}

export interface LockdepWarning {
  kind: 'circular' | 'recursive';
  /**
   * Lock classes in acquisition order: the lock the task holds, the one it
   * asks for, then (circular) the rest of the recorded chain that leads back
   * to the first.
   */
  chain: string[];
  /** The micro-steps (ascending) that recorded the dependencies, the last one the acquisition that warned. */
  steps: number[];
  /** The task that tried the acquisition, and its micro-step. */
  thread: string;
  step: number;
  /** The lock it asks for (lockdep's "next", the source of the cycle). */
  acquiring: HeldLock;
  /** The held lock it conflicts with (the target): same class (recursive), or its most recent lock (circular). */
  held: HeldLock;
  /** circular: the recorded dependencies from `acquiring`'s class to `held`'s, in order. */
  path: Dependency[];
  /** The task's held locks before the acquisition, oldest first. */
  heldLocks: HeldLock[];
  /** Per class: has it been taken for write (or as a mutex), for read, up to this acquisition. */
  usage: Record<string, { write: boolean; read: boolean }>;
}

/** What a micro-step contributes: its thread and its lock operations. */
export interface LockdepInput {
  readonly thread: string;
  readonly locks: readonly LockEvent[];
}

/** Breadth-first, as lockdep's check_noncircular: the shortest recorded path from class `from` to `to`. */
function findPath(
  graph: ReadonlyMap<string, ReadonlyMap<string, Dependency>>,
  from: string,
  to: string,
): Dependency[] | null {
  const prev = new Map<string, Dependency | null>([[from, null]]);
  const queue = [from];
  for (let i = 0; i < queue.length; i++) {
    const c = queue[i]!;
    if (c === to) {
      const path: Dependency[] = [];
      for (let d = prev.get(c); d; d = prev.get(d.from.cls)) path.unshift(d);
      return path;
    }
    for (const [next, dep] of graph.get(c) ?? []) {
      if (prev.has(next)) continue;
      prev.set(next, dep);
      queue.push(next);
    }
  }
  return null;
}

/** Validate a run's lock operations; `records[i]` is micro-step i+1. Returns the first warning, or null. */
export function validateLocks(records: readonly LockdepInput[]): LockdepWarning | null {
  const held = new Map<string, HeldLock[]>();
  const sleeping = new Map<string, string>();
  const graph = new Map<string, Map<string, Dependency>>();
  const usage: Record<string, { write: boolean; read: boolean }> = {};
  for (let i = 0; i < records.length; i++) {
    const r = records[i]!;
    for (const e of r.locks) {
      const stack = held.get(r.thread) ?? [];
      held.set(r.thread, stack);
      // A woken waiter's first operation, the acquisition of the lock it slept on, completes the one
      // it asked for (and that was checked) when it went to sleep.
      const slept = sleeping.get(r.thread);
      sleeping.delete(r.thread);
      if (e.op === 'release') {
        for (let j = stack.length - 1; j >= 0; j--)
          if (stack[j]!.key === e.key) {
            stack.splice(j, 1);
            break;
          }
        continue;
      }
      if (e.op === 'acquire' && slept === e.key) continue;
      if (e.op === 'wait') sleeping.set(r.thread, e.key);
      const next: HeldLock = {
        key: e.key,
        cls: lockClass(e.key),
        mode: e.mode,
        step: i + 1,
        thread: r.thread,
      };
      const u = (usage[next.cls] ??= { write: false, read: false });
      if (e.mode === 'read') u.read = true;
      else u.write = true;
      const warn = (kind: LockdepWarning['kind'], prev: HeldLock, path: Dependency[]): LockdepWarning => ({
        kind,
        chain: [prev.cls, next.cls, ...path.slice(1).map((d) => d.from.cls)],
        steps: [
          ...new Set([...(kind === 'recursive' ? [prev.step] : path.map((d) => d.to.step)), next.step]),
        ].sort((a, b) => a - b),
        thread: r.thread,
        step: next.step,
        acquiring: next,
        held: prev,
        path,
        heldLocks: stack.slice(),
        usage: structuredClone(usage),
      });
      const same = stack.find((h) => h.cls === next.cls);
      if (same) return warn('recursive', same, []);
      const top = stack[stack.length - 1];
      if (top) {
        const path = findPath(graph, next.cls, top.cls);
        if (path) return warn('circular', top, path);
        let out = graph.get(top.cls);
        if (!out) graph.set(top.cls, (out = new Map()));
        if (!out.has(next.cls)) out.set(next.cls, { from: top, to: next });
      }
      stack.push(next);
    }
  }
  return null;
}

/** The trace's `lockdep` field (what `run --json` prints): kind, chain, steps. */
export function lockdepSummary(
  w: LockdepWarning | null,
): { kind: 'circular' | 'recursive'; chain: string[]; steps: number[] } | null {
  return w ? { kind: w.kind, chain: w.chain, steps: w.steps } : null;
}

/**
 * The locks each task holds after the first `upTo` micro-steps (a lock a task
 * sleeps on counts, as in lockdep's held_locks), and each class's usage so far.
 */
export function lockStateAt(
  records: readonly LockdepInput[],
  upTo = records.length,
): { held: Map<string, HeldLock[]>; usage: Record<string, { write: boolean; read: boolean }> } {
  const held = new Map<string, HeldLock[]>();
  const sleeping = new Map<string, string>();
  const usage: Record<string, { write: boolean; read: boolean }> = {};
  for (let i = 0; i < Math.min(upTo, records.length); i++) {
    const r = records[i]!;
    for (const e of r.locks) {
      const stack = held.get(r.thread) ?? [];
      held.set(r.thread, stack);
      // A woken waiter's first operation, the acquisition of the lock it slept on, completes the one
      // it asked for (and that was checked) when it went to sleep.
      const slept = sleeping.get(r.thread);
      sleeping.delete(r.thread);
      if (e.op === 'release') {
        for (let j = stack.length - 1; j >= 0; j--)
          if (stack[j]!.key === e.key) {
            stack.splice(j, 1);
            break;
          }
        continue;
      }
      if (e.op === 'acquire' && slept === e.key) continue;
      if (e.op === 'wait') sleeping.set(r.thread, e.key);
      const cls = lockClass(e.key);
      const u = (usage[cls] ??= { write: false, read: false });
      if (e.mode === 'read') u.read = true;
      else u.write = true;
      stack.push({ key: e.key, cls, mode: e.mode, step: i + 1, thread: r.thread });
    }
  }
  return { held, usage };
}
