/**
 * Memoized kernel transitions, in vector space: the search's hot path.
 *
 * `step(model, s, t)` is pure and deterministic, and a micro-step reads only
 * a few locations of the state: thread t's own snapshot, a handful of object
 * slots, and, when it blocks, other threads' snapshots (the deadlock check).
 * The same micro-step therefore recurs in thousands of states that differ
 * elsewhere: on the built-ins, over 99% of transitions are repeats.
 *
 * The first time, the step runs on the decoded state with its two arrays
 * wrapped in recording proxies, which log each location read before this
 * step wrote it, in order, with the value read (as a vector entry). That
 * sequence goes into a decision tree per (thread, thread snapshot): a node
 * names the next location the step reads, its children are keyed by the
 * value found there. Determinism makes the tree well-formed: the same
 * snapshot and the same values read so far mean the same next read. A leaf
 * holds the outcome: the vector positions written and their new values, and
 * the step record.
 *
 * Later, a lookup walks the tree reading the vector; a leaf gives the next
 * state by copying the vector and patching a few entries: no interpreter, no
 * XState, no allocation. Anything unexpected (a step that writes another
 * thread's snapshot, a tree that disagrees with a new run) leaves that
 * transition uncached: it then simply runs every time. Correctness never
 * depends on the cache, and a test compares cached and uncached searches on
 * every built-in in every era.
 */
import { step, type KState, type Model, type StepRecord } from '../model/index.ts';
import type { KernelCodec } from './codec.ts';

export interface Outcome {
  readonly record: StepRecord;
  /** The step wrote one of the `watch` positions. */
  readonly touches: boolean;
}

interface Leaf extends Outcome {
  readonly leaf: true;
  readonly locs: Int32Array;
  readonly vals: Int32Array;
}

interface Node {
  readonly leaf: false;
  /** The vector position read next. */
  readonly loc: number;
  readonly next: Map<number, Node | Leaf>;
}

type Tree = Node | Leaf;

interface Recorder {
  locs: number[];
  vals: number[];
  seen: Set<number>;
  written: Set<number>;
  targets: WeakMap<object, unknown[]>;
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
    const s = codec.decode(v);
    const rec: Recorder = {
      locs: [],
      vals: [],
      seen: new Set([n + t]),
      written: new Set(),
      targets: new WeakMap(),
    };
    const probe: KState = {
      o: recordingArray(s.o as unknown[], 0, rec, codec) as KState['o'],
      t: recordingArray(s.t as unknown[], n, rec, codec) as KState['t'],
    };
    const r = step(this.m, probe, t);
    const o = (rec.targets.get(r.state.o as object) ?? r.state.o) as KState['o'];
    const th = (rec.targets.get(r.state.t as object) ?? r.state.t) as KState['t'];
    codec.encode({ o, t: th }, out);
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
    const leaf: Leaf = {
      leaf: true,
      locs: Int32Array.from(locs),
      vals: Int32Array.from(vals),
      record: r.record,
      touches,
    };
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

/**
 * An array that logs, in `rec`, each index read before it was written, with
 * the vector value found there. The interpreter copies the state's arrays
 * (`slice`) before writing: the copy records into the same log.
 */
function recordingArray(target: unknown[], base: number, rec: Recorder, codec: KernelCodec): unknown[] {
  const p = new Proxy(target, {
    get(tg, prop, recv) {
      if (typeof prop === 'string') {
        const c = prop.charCodeAt(0);
        if (c >= 48 && c <= 57) {
          const i = Number(prop);
          const loc = base + i;
          const x = tg[i];
          if (!rec.seen.has(loc) && !rec.written.has(loc)) {
            rec.seen.add(loc);
            rec.locs.push(loc);
            rec.vals.push(base === 0 ? codec.snapId(x as never) : codec.threadId(x as never));
          }
          return x;
        }
        if (prop === 'slice')
          return (...args: number[]) => recordingArray(tg.slice(...args), base, rec, codec);
      }
      return Reflect.get(tg, prop, recv);
    },
    set(tg, prop, value) {
      if (typeof prop === 'string') {
        const c = prop.charCodeAt(0);
        if (c >= 48 && c <= 57) rec.written.add(base + Number(prop));
      }
      (tg as unknown as Record<string | symbol, unknown>)[prop] = value;
      return true;
    },
  });
  rec.targets.set(p, target);
  return p;
}
