/**
 * The kernel state: one interned snapshot per object slot, and the threads.
 * Immutable; `key` is canonical, so equal kernel states have equal keys.
 */
import type { Snap } from './machines/table.ts';
import type { Frame } from './program.ts';
import type { Model } from './model.ts';

export type ThreadStatus = 'ready' | 'blocked' | 'done' | 'crashed';

export interface ThreadSnap {
  /** Index (into the thread's op list) of the op under way, or of the next one. */
  readonly op: number;
  readonly frames: readonly Frame[];
  readonly status: ThreadStatus;
  /** The lock key the thread waits for, while blocked. */
  readonly on: string | null;
  readonly key: string;
}

export interface KState {
  readonly o: readonly Snap<unknown>[];
  readonly t: readonly ThreadSnap[];
}

export function threadSnap(
  op: number,
  frames: readonly Frame[],
  status: ThreadStatus,
  on: string | null,
): ThreadSnap {
  let key = `${op}${status[0]}${on ?? ''}`;
  for (const f of frames) key += `/${f.fn}.${f.pc}${JSON.stringify(f.l)}${f.into ?? ''}`;
  return { op, frames, status, on, key };
}

export function initialState(m: Model): KState {
  return {
    o: m.tables.map((t) => t.initial() as Snap<unknown>),
    t: m.threads.map((th) => threadSnap(0, [], th.steps.length ? 'ready' : 'done', null)),
  };
}

const keys = new WeakMap<KState, string>();

/** Canonical key: equal kernel states (objects and threads) have equal keys. */
export function stateKey(s: KState): string {
  let k = keys.get(s);
  if (k === undefined) {
    k = '';
    for (const o of s.o) k += o.id + ',';
    for (const t of s.t) k += '|' + t.key;
    keys.set(s, k);
  }
  return k;
}

/** An object's context by slot key. */
export function ctxOf<C>(m: Model, s: KState, key: string): Readonly<C> {
  const i = m.slotIndex.get(key);
  if (i === undefined) throw new Error(`no object ${key}`);
  return s.o[i]!.ctx as C;
}

export function valueOf(m: Model, s: KState, key: string): string {
  const i = m.slotIndex.get(key);
  if (i === undefined) throw new Error(`no object ${key}`);
  return s.o[i]!.value;
}
