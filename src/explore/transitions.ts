/**
 * Memoized kernel transitions, in vector space: the search's hot path.
 *
 * `step(model, s, t)` is pure and deterministic, and a micro-step reads only
 * a few locations of the state: thread t's own snapshot, a handful of object
 * slots, and, when it blocks, other threads' snapshots (the deadlock check).
 * The same micro-step therefore recurs in thousands of states that differ
 * elsewhere: on the built-ins, over 99% of transitions are repeats.
 *
 * The first time, the step runs on the decoded state with every snapshot
 * but thread t's own wrapped in a recording view (a plain object whose
 * getters read the snapshot's fields): the first time a step reads a field
 * of location k's snapshot, k and its vector value are logged, in order. A
 * snapshot the step writes (a new object in its copy of the arrays) is not a
 * view, so reading it back logs nothing. That sequence goes into a decision
 * tree per (thread, thread snapshot): a node names the next location the
 * step reads, its children are keyed by the value found there. Determinism
 * makes the tree well-formed: the same snapshot and the same values read so
 * far mean the same next read. A leaf holds the outcome: the vector
 * positions written and their new values, and the step record. (A location
 * whose snapshot the step only copies or compares by identity is not
 * logged: its outcome is that location unchanged, whatever it holds.)
 *
 * Later, a lookup walks the tree reading the vector; a leaf gives the next
 * state by copying the vector and patching a few entries: no interpreter, no
 * XState, no allocation. Anything unexpected (a step that writes another
 * thread's snapshot, a tree that disagrees with a new run) leaves that
 * transition uncached: it then simply runs every time. Correctness never
 * depends on the cache, and a test compares cached and uncached searches on
 * every built-in in every era.
 */
import { step, type KState, type Model, type StepRecord, type ThreadSnap } from '../model/index.ts';
import type { KernelCodec, Snap } from './codec.ts';

export interface Outcome {
  readonly record: StepRecord;
  /** The step wrote one of the `watch` positions. */
  readonly touches: boolean;
}

interface Leaf extends Outcome {
  readonly leaf: true;
  readonly locs: readonly number[];
  readonly vals: readonly number[];
}

interface Node {
  readonly leaf: false;
  /** The vector position read next. */
  readonly loc: number;
  readonly next: Map<number, Node | Leaf>;
}

type Tree = Node | Leaf;

/** The locations a step read, in order, with the vector values found there. */
interface Recorder {
  readonly locs: number[];
  readonly vals: number[];
}

/** A recording view of an object snapshot: logs its location on the first read of a field. */
class SnapView {
  private logged = false;
  constructor(
    readonly real: Snap,
    readonly loc: number,
    readonly val: number,
    private readonly rec: Recorder,
  ) {}
  private log(): void {
    if (this.logged) return;
    this.logged = true;
    this.rec.locs.push(this.loc);
    this.rec.vals.push(this.val);
  }
  get id(): number {
    this.log();
    return this.real.id;
  }
  get value(): string {
    this.log();
    return this.real.value;
  }
  get ctx(): unknown {
    this.log();
    return this.real.ctx;
  }
}

/** A recording view of another thread's snapshot. */
class ThreadView {
  private logged = false;
  constructor(
    readonly real: ThreadSnap,
    readonly loc: number,
    readonly val: number,
    private readonly rec: Recorder,
  ) {}
  private log(): void {
    if (this.logged) return;
    this.logged = true;
    this.rec.locs.push(this.loc);
    this.rec.vals.push(this.val);
  }
  get op(): ThreadSnap['op'] {
    this.log();
    return this.real.op;
  }
  get frames(): ThreadSnap['frames'] {
    this.log();
    return this.real.frames;
  }
  get status(): ThreadSnap['status'] {
    this.log();
    return this.real.status;
  }
  get on(): ThreadSnap['on'] {
    this.log();
    return this.real.on;
  }
  get key(): ThreadSnap['key'] {
    this.log();
    return this.real.key;
  }
  get lids(): ThreadSnap['lids'] {
    this.log();
    return this.real.lids;
  }
}

export class TransitionCache {
  /** Per thread, indexed by the thread snapshot's id (dense, small). */
  private readonly roots: (Tree | undefined)[][];
  private readonly n: number;
  /** Transitions served from the cache, and transitions run. */
  hits = 0;
  misses = 0;

  constructor(
    private readonly m: Model,
    private readonly codec: KernelCodec,
    /** Vector positions whose writes the caller wants to know about (`touches`). */
    private readonly watch: ReadonlySet<number>,
  ) {
    this.roots = m.threads.map(() => []);
    this.n = codec.n;
  }

  /** Thread t's step from v: the next state into `out`. */
  step(v: Int32Array, t: number, out: Int32Array): Outcome {
    let node = this.roots[t]![v[this.n + t]!];
    while (node !== undefined && !node.leaf) node = node.next.get(v[node.loc]!);
    if (node !== undefined) {
      this.hits++;
      out.set(v);
      const { locs, vals } = node;
      for (let k = 0; k < locs.length; k++) out[locs[k]!] = vals[k]!;
      return node;
    }
    this.misses++;
    return this.run(v, t, out);
  }

  private run(v: Int32Array, t: number, out: Int32Array): Outcome {
    const n = this.n;
    const codec = this.codec;
    const rec: Recorder = { locs: [], vals: [] };
    const o: unknown[] = new Array(n);
    for (let i = 0; i < n; i++) o[i] = new SnapView(codec.snap(v[i]!), i, v[i]!, rec);
    const ts: unknown[] = new Array(codec.threads);
    for (let j = 0; j < codec.threads; j++) {
      const id = v[n + j]!;
      ts[j] = j === t ? codec.thread(id) : new ThreadView(codec.thread(id), n + j, id, rec);
    }
    const r = step(this.m, { o, t: ts } as unknown as KState, t);
    // Views left in the next state stand for their location's snapshot, unchanged.
    const no = r.state.o as unknown[];
    for (let i = 0; i < n; i++) {
      const x = no[i];
      out[i] = x instanceof SnapView ? x.val : codec.snapId(x as Snap);
    }
    const nt = r.state.t as unknown[];
    for (let j = 0; j < codec.threads; j++) {
      const x = nt[j];
      out[n + j] = x instanceof ThreadView ? x.val : codec.threadId(x as ThreadSnap);
    }
    const locs: number[] = [];
    const vals: number[] = [];
    let touches = false;
    let cacheable = true;
    for (let k = 0; k < codec.width; k++) {
      if (out[k] === v[k]) continue;
      if (k >= n && k !== n + t) cacheable = false;
      locs.push(k);
      vals.push(out[k]!);
      if (this.watch.has(k)) touches = true;
    }
    const leaf: Leaf = { leaf: true, locs, vals, record: r.record, touches };
    if (cacheable) this.insert(t, v[n + t]!, rec, leaf);
    return leaf;
  }

  private insert(t: number, root: number, rec: Recorder, leaf: Leaf): void {
    const roots = this.roots[t]!;
    if (rec.locs.length === 0) {
      if (roots[root] === undefined) roots[root] = leaf;
      return;
    }
    let cur = roots[root];
    if (cur === undefined) roots[root] = cur = { leaf: false, loc: rec.locs[0]!, next: new Map() };
    for (let i = 0; i < rec.locs.length; i++) {
      if (cur.leaf || cur.loc !== rec.locs[i]) return; // disagrees with an earlier run: leave it uncached
      const last = i === rec.locs.length - 1;
      let child: Tree | undefined = cur.next.get(rec.vals[i]!);
      if (child === undefined) {
        child = last ? leaf : { leaf: false, loc: rec.locs[i + 1]!, next: new Map() };
        cur.next.set(rec.vals[i]!, child);
      }
      cur = child;
    }
  }
}
