/**
 * The kernel model as a TransitionSystem. A state is the vector of a KState
 * (codec.ts); a transition is `step(model, s, t)`, served by the
 * TransitionCache; enabledness is the model's `canRun`, memoized on the
 * thread's snapshot and the snapshot of the lock it sleeps on.
 * Findings: the trace violations the step reports, the patch's guarantees (docs/kernel-reference.md)
 * invariants (invariants.ts, checked on transitions that write a device,
 * driver or group slot: the only ones that can break them), and at terminal
 * states `terminalViolations` (deadlocks of threads left waiting, refcount
 * leaks).
 */
import {
  canRun,
  initialState,
  step,
  terminalViolations,
  type KState,
  type Model,
  type StepRecord,
  type ThreadSnap,
} from '../model/index.ts';
import { KernelCodec } from './codec.ts';
import { invariantChecks } from './invariants.ts';
import { TransitionCache, type Outcome } from './transitions.ts';
import type { Finding, TransitionSystem } from './system.ts';

export interface KernelSystemOptions {
  /** Check the patch's invariants (default true). */
  invariants?: boolean;
  /** Serve transitions from the TransitionCache (default true); false runs every step (tests compare both). */
  cache?: boolean;
}

export interface KernelSystem extends TransitionSystem {
  readonly model: Model;
  readonly codec: KernelCodec;
  readonly cache: TransitionCache | null;
  /** The KState of a vector (for tests and tools). */
  decode(v: Int32Array): KState;
}

const NONE: readonly Finding[] = Object.freeze([]);

export function kernelSystem(m: Model, opts: KernelSystemOptions = {}): KernelSystem {
  const codec = new KernelCodec(m);
  const n = codec.n;
  const check =
    opts.invariants === false
      ? null
      : invariantChecks<Int32Array>(m, {
          slotId: (v, i) => v[i]!,
          slot: (v, i) => codec.snap(v[i]!),
          thread: (v, j) => codec.thread(v[n + j]!),
        });
  const watch = new Set<number>();
  m.slotKinds.forEach((k, i) => {
    if (k === 'device' || k === 'driver' || k === 'group') watch.add(i);
  });
  const cache = opts.cache === false ? null : new TransitionCache(m, codec, watch);

  /** Uncached: decode, run the model's step, encode. */
  const uncached = (v: Int32Array, t: number, out: Int32Array): Outcome => {
    const r = step(m, codec.decode(v), t);
    codec.encode(r.state, out);
    let touches = false;
    for (const i of watch) if (out[i] !== v[i]) touches = true;
    return { record: r.record, touches };
  };
  const run = cache ? (v: Int32Array, t: number, out: Int32Array) => cache.step(v, t, out) : uncached;

  /** Trace findings of a step record, converted once per record. */
  const recordFindings = new WeakMap<StepRecord, readonly Finding[]>();
  const findingsOf = (r: StepRecord): readonly Finding[] => {
    if (r.violations.length === 0) return NONE;
    let f = recordFindings.get(r);
    if (!f) recordFindings.set(r, (f = r.violations.map(toFinding)));
    return f;
  };

  /** Per thread snapshot id: 0 ready, 1 blocked (see lockOf), 2 done or crashed. */
  const statusOf: number[] = [];
  const lockOf: number[] = [];
  const canRunMemo = new Map<number, boolean>();
  const T = codec.threads;
  const threadInfo = (id: number): number => {
    let st = statusOf[id];
    if (st === undefined) {
      const th: ThreadSnap = codec.thread(id);
      st = th.status === 'ready' ? 0 : th.status === 'blocked' ? 1 : 2;
      statusOf[id] = st;
      lockOf[id] = th.on === null ? -1 : m.slotIndex.get(th.on)!;
    }
    return st;
  };
  const blockedCanRun = (v: Int32Array, t: number, id: number): boolean => {
    const lock = lockOf[id]!;
    const key = v[lock]! * T + t;
    let ok = canRunMemo.get(key);
    if (ok === undefined) {
      const o: KState['o'][number][] = [];
      o[lock] = codec.snap(v[lock]!);
      const ts: ThreadSnap[] = [];
      ts[t] = codec.thread(id);
      ok = canRun(m, { o, t: ts }, t);
      canRunMemo.set(key, ok);
    }
    return ok;
  };

  /**
   * The enabled threads as a set (bit t for thread t): each distinct set is
   * one frozen array, so `enabled` allocates nothing (it runs on every state).
   */
  const enabledSets: (readonly number[])[] = [];
  const enabledSet = (mask: number): readonly number[] => {
    let a = T <= 16 ? enabledSets[mask] : undefined;
    if (a === undefined) {
      const out: number[] = [];
      for (let t = 0; t < T; t++) if (mask & (1 << t)) out.push(t);
      a = Object.freeze(out);
      if (T <= 16) enabledSets[mask] = a;
    }
    return a;
  };

  return {
    threads: m.threads.map((t) => t.id),
    width: codec.width,
    model: m,
    codec,
    cache,
    decode: (v) => codec.decode(v),
    initial: (out) => codec.encode(initialState(m), out),
    enabled(v) {
      if (T > 30) {
        const out: number[] = [];
        for (let t = 0; t < T; t++) {
          const id = v[n + t]!;
          const st = threadInfo(id);
          if (st === 0 || (st === 1 && blockedCanRun(v, t, id))) out.push(t);
        }
        return out;
      }
      let mask = 0;
      for (let t = 0; t < T; t++) {
        const id = v[n + t]!;
        const st = threadInfo(id);
        if (st === 0 || (st === 1 && blockedCanRun(v, t, id))) mask |= 1 << t;
      }
      return enabledSet(mask);
    },
    step(v, t, out) {
      const r = run(v, t, out);
      const spec = findingsOf(r.record);
      if (!check || !r.touches) return spec;
      const inv = check(v, out, t, m.fns[r.record.fn]!.name);
      return inv.length === 0 ? spec : [...spec, ...inv];
    },
    terminal: (v) => terminalViolations(m, codec.decode(v)).map(toFinding),
  };
}

function toFinding(v: { kind: string; thread: string; at: string; vm?: string; detail?: string }): Finding {
  return {
    kind: v.kind,
    thread: v.thread,
    at: v.at,
    ...(v.vm !== undefined ? { vm: v.vm } : {}),
    ...(v.detail !== undefined ? { detail: v.detail } : {}),
  };
}
