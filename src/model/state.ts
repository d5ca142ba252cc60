/**
 * The kernel state: one interned snapshot per object slot, and the threads.
 * Immutable; `key` is canonical, so equal kernel states have equal keys.
 */
import type { Snap } from './machines/table.ts';
import type { Frame, Locals } from './program.ts';
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
  /** Each frame's locals, interned (see `threadSnap`). */
  readonly lids: readonly number[];
}

export interface KState {
  readonly o: readonly Snap<unknown>[];
  readonly t: readonly ThreadSnap[];
}

/**
 * Locals, interned: equal JSON texts (same names in the same order, same
 * values), equal number. A thread snapshot's key names each frame's locals
 * by that number.
 */
const localsIds = new Map<string, number>();

function localsId(l: Locals): number {
  const text = JSON.stringify(l);
  let id = localsIds.get(text);
  if (id === undefined) localsIds.set(text, (id = localsIds.size));
  return id;
}

/**
 * A thread snapshot. `prev`, the snapshot the thread's step started from,
 * only saves work: a frame that still holds the same locals object has the
 * same locals number (a step mostly moves a pc), so only new locals are
 * serialised.
 */
export function threadSnap(
  op: number,
  frames: readonly Frame[],
  status: ThreadStatus,
  on: string | null,
  prev?: ThreadSnap,
): ThreadSnap {
  let key = `${op}${status[0]}${on ?? ''}`;
  const lids: number[] = [];
  for (let i = 0; i < frames.length; i++) {
    const f = frames[i]!;
    const lid = prev && prev.frames[i]?.l === f.l ? prev.lids[i]! : localsId(f.l);
    lids.push(lid);
    key += `/${f.fn}.${f.pc}.${lid}:${f.into ?? ''}`;
  }
  return { op, frames, status, on, key, lids };
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
