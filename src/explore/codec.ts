/**
 * Kernel states as integer vectors, and back. A KState is one interned XState
 * snapshot per object slot plus one snapshot per thread; its vector is each
 * slot's snapshot id (MachineTable ids: equal value and context, equal id)
 * followed by each thread snapshot's id, interned here by its canonical key.
 * So two vectors are equal exactly when the model's `stateKey`s are: equal
 * kernel states merge, and nothing else does.
 */
import type { KState, Model, ThreadSnap } from '../model/index.ts';

export type Snap = KState['o'][number];

export class KernelCodec {
  /** Object slots: vector positions 0..n-1. */
  readonly n: number;
  /** Threads: vector positions n..n+threads-1. */
  readonly threads: number;
  readonly width: number;
  private readonly snaps = new Map<number, Snap>();
  private readonly threadSnaps: ThreadSnap[] = [];
  private readonly threadIds = new Map<string, number>();

  constructor(m: Model) {
    this.n = m.slotKeys.length;
    this.threads = m.threads.length;
    this.width = this.n + this.threads;
  }

  /** The id of an object snapshot (and remember it for decoding). */
  snapId(s: Snap): number {
    if (!this.snaps.has(s.id)) this.snaps.set(s.id, s);
    return s.id;
  }

  /** The id of a thread snapshot: equal keys, equal ids; the first object seen stands for its key. */
  threadId(ts: ThreadSnap): number {
    let id = this.threadIds.get(ts.key);
    if (id === undefined) {
      id = this.threadSnaps.length;
      this.threadIds.set(ts.key, id);
      this.threadSnaps.push(ts);
    }
    return id;
  }

  snap(id: number): Snap {
    const s = this.snaps.get(id);
    if (!s) throw new Error(`codec: unknown snapshot id ${id}`);
    return s;
  }

  thread(id: number): ThreadSnap {
    const t = this.threadSnaps[id];
    if (!t) throw new Error(`codec: unknown thread snapshot id ${id}`);
    return t;
  }

  encode(s: KState, out: Int32Array): void {
    for (let i = 0; i < this.n; i++) out[i] = this.snapId(s.o[i]!);
    for (let j = 0; j < this.threads; j++) out[this.n + j] = this.threadId(s.t[j]!);
  }

  decode(v: Int32Array): KState {
    const o: Snap[] = new Array(this.n);
    for (let i = 0; i < this.n; i++) o[i] = this.snap(v[i]!);
    const t: ThreadSnap[] = new Array(this.threads);
    for (let j = 0; j < this.threads; j++) t[j] = this.thread(v[this.n + j]!);
    return { o, t };
  }
}
