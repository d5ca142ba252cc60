/**
 * The transition function: `step(model, state, thread)` runs one micro-step
 * of one thread and returns the next state and what happened. Pure and
 * deterministic; the runner, the explorer and the page all drive it.
 */
import type { Model } from './model.ts';
import { opEntry } from './model.ts';
import type { Snap } from './machines/table.ts';
import type { LockOut, RwsemCtx } from './machines/rwsem.ts';
import type { MutexCtx } from './machines/mutex.ts';
import type { DriverEvent, Effect, Exec, Flow, Frame, Locals, LockMode, ModelInfo } from './program.ts';
import type { LockKey, SlotKey } from './slots.ts';
import { threadSnap, type KState, type ThreadSnap } from './state.ts';
import { CRASHING, type Value, type Violation, type ViolationKind } from './types.ts';
import type { Variant } from './era.ts';
import { lockName } from './slots.ts';

/** A lock operation of a micro-step, in order (what lockdep would see). */
export interface LockEvent {
  readonly op: 'acquire' | 'release' | 'wait';
  readonly key: LockKey;
  readonly mode: LockMode;
}

export type StepViolation = Omit<Violation, 'step'>;

export interface StepRecord {
  readonly ti: number;
  readonly thread: string;
  /** The visible instruction this step ran (or the last local, if none). */
  readonly fn: number;
  readonly pc: number;
  /** That frame's locals just after the instruction ran. */
  readonly l: Locals;
  /** The lock key the thread went to sleep on. */
  readonly blocked: string | null;
  readonly woke: boolean;
  /** Scenario step index of an op that started in this micro-step. */
  readonly opStart: number | null;
  readonly opDone: {
    readonly step: number;
    readonly result: Value;
    readonly status: 'done' | 'crashed';
  } | null;
  readonly violations: readonly StepViolation[];
  readonly effects: readonly Effect[];
  /** The lock operations of this step, in order. */
  readonly locks: readonly LockEvent[];
}

export interface StepResult {
  readonly state: KState;
  readonly record: StepRecord;
}

/** Lock wait queues hold thread ids (mutex) or {t, mode} (rwsem). */
function waiterIds(c: Readonly<RwsemCtx> | Readonly<MutexCtx>): string[] {
  return c.kind === 'mutex' ? c.waiters : c.waiters.map((w) => w.t);
}

function lockCtx(m: Model, s: KState, key: string): Readonly<RwsemCtx> | Readonly<MutexCtx> {
  return s.o[m.slotIndex.get(key)!]!.ctx as Readonly<RwsemCtx> | Readonly<MutexCtx>;
}

/** A thread can move: it is ready, or it slept on a lock that was since handed to it. */
export function canRun(m: Model, s: KState, ti: number): boolean {
  const th = s.t[ti]!;
  if (th.status === 'ready') return true;
  if (th.status === 'blocked') return !waiterIds(lockCtx(m, s, th.on!)).includes(m.threads[ti]!.id);
  return false;
}

export function runnable(m: Model, s: KState): number[] {
  const out: number[] = [];
  for (let i = 0; i < s.t.length; i++) if (canRun(m, s, i)) out.push(i);
  return out;
}

export function isTerminal(m: Model, s: KState): boolean {
  for (let i = 0; i < s.t.length; i++) if (canRun(m, s, i)) return false;
  return true;
}

/**
 * Threads that `t` waits for: the holders of its lock, and the waiters
 * queued ahead of it that will get the lock first.
 */
export function waitsFor(m: Model, s: KState, ti: number): string[] {
  const th = s.t[ti]!;
  if (th.status !== 'blocked') return [];
  const id = m.threads[ti]!.id;
  const c = lockCtx(m, s, th.on!);
  if (!waiterIds(c).includes(id)) return [];
  const out = new Set<string>();
  if (c.kind === 'mutex') {
    if (c.owner) out.add(c.owner);
    for (const w of c.waiters) {
      if (w === id) break;
      out.add(w);
    }
  } else {
    if (c.writer) out.add(c.writer);
    for (const r of c.readers) out.add(r);
    const mine = c.waiters.find((w) => w.t === id)!;
    for (const w of c.waiters) {
      if (w.t === id) break;
      if (w.mode === 'write' || mine.mode === 'write') out.add(w.t);
    }
  }
  return [...out];
}

/**
 * If `ti` can never move again, the chain of threads that proves it: a
 * cycle back to `ti` (a thread waiting on a lock it holds itself counts),
 * or a chain ending in a thread that will never release (crashed or done).
 */
export function deadlockChain(m: Model, s: KState, ti: number): string[] | null {
  const start = m.threads[ti]!.id;
  const seen = new Set<string>();
  const walk = (i: number, path: string[]): string[] | null => {
    for (const next of waitsFor(m, s, i)) {
      if (next === start) return [...path, next];
      if (seen.has(next)) continue;
      seen.add(next);
      const j = m.threadIndex.get(next);
      if (j === undefined) continue;
      const st = s.t[j]!.status;
      if (st === 'crashed' || st === 'done') return [...path, next];
      if (st === 'blocked' && !canRun(m, s, j)) {
        const r = walk(j, [...path, next]);
        if (r) return r;
      }
    }
    return null;
  };
  return walk(ti, [start]);
}

class Cpu implements Exec {
  // The typed overloads of Exec (ctx, send) are implemented once here, by slot key.
  private o: Snap<unknown>[] | null = null;
  readonly violations: StepViolation[] = [];
  readonly effects: Effect[] = [];
  readonly locks: LockEvent[] = [];
  crashed = false;
  waking: boolean;
  readonly v: Variant;
  readonly model: ModelInfo;

  constructor(
    private readonly m: Model,
    private readonly base: readonly Snap<unknown>[],
    readonly thread: string,
    readonly frames: Frame[],
    waking: boolean,
  ) {
    this.waking = waking;
    this.v = m.v;
    this.model = m;
  }

  get snaps(): readonly Snap<unknown>[] {
    return this.o ?? this.base;
  }

  private top(): Frame {
    return this.frames[this.frames.length - 1]!;
  }
  get l(): Locals {
    return this.top().l;
  }
  set(name: string, value: Value): void {
    const f = this.top();
    this.frames[this.frames.length - 1] = { ...f, l: { ...f.l, [name]: value } };
  }
  str(name: string): string {
    const v = this.l[name];
    if (typeof v !== 'string')
      throw new Error(`${this.fnName()}: local ${name} is ${JSON.stringify(v)}, not a name`);
    return v;
  }
  vmOrNull(name: string): string | null {
    const v = this.l[name];
    return typeof v === 'string' ? v : null;
  }
  fnName(): string {
    return this.m.fns[this.top().fn]!.name;
  }

  private slot(key: string): number {
    const i = this.m.slotIndex.get(key);
    if (i === undefined) throw new Error(`no object ${key}`);
    return i;
  }
  ctx<C>(key: string): Readonly<C> {
    return this.snaps[this.slot(key)]!.ctx as C;
  }
  state(key: SlotKey): string {
    return this.snaps[this.slot(key)]!.value;
  }
  send(key: SlotKey, event: DriverEvent): never {
    const i = this.slot(key);
    const cur = this.snaps[i]!;
    const [next, out] = this.m.tables[i]!.send(cur as never, event as never) as readonly [
      Snap<unknown>,
      unknown,
    ];
    if (next !== cur) {
      if (!this.o) this.o = this.base.slice();
      this.o[i] = next;
    }
    return out as never;
  }
  acquire(lock: LockKey, mode: LockMode): boolean {
    const type = mode === 'read' ? 'down_read' : mode === 'write' ? 'down_write' : 'lock';
    const out = this.send(lock, { type, t: this.thread }) as LockOut | null;
    if (out?.fault) throw new Error(`${this.thread}: ${type} on ${lock}: ${out.fault}`);
    const granted = out?.granted === true;
    this.locks.push({ op: granted ? 'acquire' : 'wait', key: lock, mode });
    return granted;
  }
  release(lock: LockKey, mode: LockMode): void {
    const type = mode === 'read' ? 'up_read' : mode === 'write' ? 'up_write' : 'unlock';
    const out = this.send(lock, { type, t: this.thread }) as LockOut | null;
    if (out?.fault) throw new Error(`${this.thread}: ${type} of ${lockName(lock)} it does not hold`);
    this.locks.push({ op: 'release', key: lock, mode });
  }
  handed(lock: LockKey, mode: LockMode): void {
    this.locks.push({ op: 'acquire', key: lock, mode });
  }
  holds(lock: LockKey, mode: LockMode): boolean {
    const c = this.ctx<RwsemCtx | MutexCtx>(lock);
    if (c.kind === 'mutex') return c.owner === this.thread;
    return mode === 'read' ? c.readers.includes(this.thread) : c.writer === this.thread;
  }
  fault(kind: ViolationKind, detail: string, vm?: string | null): void {
    this.violations.push({ kind, thread: this.thread, at: this.fnName(), detail, ...(vm ? { vm } : {}) });
    if (CRASHING.has(kind)) this.crashed = true;
  }
  effect(e: Effect): void {
    this.effects.push(e);
  }
}

const MAX_INSTRS = 10_000;

export function step(m: Model, s: KState, ti: number): StepResult {
  const th = s.t[ti];
  const decl = m.threads[ti];
  if (!th || !decl) throw new Error(`no thread #${ti}`);
  if (!canRun(m, s, ti)) throw new Error(`thread ${decl.id} cannot move (${th.status})`);

  const frames = th.frames.slice();
  let op = th.op;
  let opStart: number | null = null;
  if (frames.length === 0) {
    const stepIdx = decl.steps[op]!;
    const entry = opEntry(m.scenario.steps[stepIdx]!);
    frames.push({ fn: fnIdOf(m, entry.fn), pc: 0, l: entry.args, into: null });
    opStart = stepIdx;
  }
  const cpu = new Cpu(m, s.o, decl.id, frames, th.status === 'blocked');
  const woke = cpu.waking;
  let shown: { fn: number; pc: number; l: Locals } | null = null;
  let lastRan: { fn: number; pc: number; l: Locals } | null = null;
  let blocked: string | null = null;
  let opDone: StepRecord['opDone'] = null;
  const curStep = decl.steps[op]!;

  for (let n = 0; frames.length > 0; n++) {
    if (n > MAX_INSTRS)
      throw new Error(`${decl.id}: runaway micro-step in ${m.fns[frames[frames.length - 1]!.fn]!.name}`);
    const top = frames[frames.length - 1]!;
    const fn = m.fns[top.fn]!;
    const ins = fn.instrs[top.pc];
    if (!ins) {
      finish(null);
      continue;
    }
    if (ins.step && shown) break;
    const flow: Flow = ins.run ? ins.run(cpu) : undefined;
    cpu.waking = false;
    const after = frames[frames.length - 1]!;
    lastRan = after;
    if (ins.step) shown = lastRan;
    if (cpu.crashed) break;
    if (flow && 'block' in flow) {
      blocked = flow.block;
      shown = lastRan;
      break;
    }
    if (!flow) frames[frames.length - 1] = { ...after, pc: after.pc + 1 };
    else if ('goto' in flow) {
      const to = fn.labels.get(flow.goto);
      if (to === undefined) throw new Error(`${fn.name}: no label ${flow.goto}`);
      frames[frames.length - 1] = { ...after, pc: to };
    } else if ('call' in flow) {
      frames[frames.length - 1] = { ...after, pc: after.pc + 1 };
      frames.push({ fn: fnIdOf(m, flow.call), pc: 0, l: flow.args, into: flow.into ?? null });
    } else if ('ret' in flow) finish(flow.ret);
  }

  function finish(value: Value) {
    const done = frames.pop()!;
    if (frames.length > 0) {
      if (done.into) {
        const caller = frames[frames.length - 1]!;
        frames[frames.length - 1] = { ...caller, l: { ...caller.l, [done.into]: value } };
      }
    } else {
      opDone = { step: curStep, result: value, status: 'done' };
      op += 1;
    }
  }

  let next: ThreadSnap;
  const violations = cpu.violations;
  if (cpu.crashed) {
    next = threadSnap(op, frames, 'crashed', null, th);
    opDone = { step: curStep, result: null, status: 'crashed' };
  } else if (blocked) {
    next = threadSnap(op, frames, 'blocked', blocked, th);
  } else {
    next = threadSnap(op, frames, frames.length > 0 || op < decl.steps.length ? 'ready' : 'done', null, th);
  }
  const t = s.t.slice();
  t[ti] = next;
  const state: KState = { o: cpu.snaps, t };

  if (blocked) {
    const chain = deadlockChain(m, state, ti);
    if (chain) {
      const fnName = m.fns[frames[frames.length - 1]!.fn]!.name;
      violations.push({
        kind: 'deadlock',
        thread: decl.id,
        at: fnName,
        detail:
          chain.length === 2 && chain[1] === decl.id
            ? `${decl.id} waits for ${lockName(blocked)}, which it holds itself`
            : `${chain.join(' waits for ')}: none of them can move again`,
      });
    }
  }

  const ran = shown ?? lastRan!;
  return {
    state,
    record: {
      ti,
      thread: decl.id,
      fn: ran.fn,
      pc: ran.pc,
      l: ran.l,
      blocked,
      woke,
      opStart,
      opDone,
      violations,
      effects: cpu.effects,
      locks: cpu.locks,
    },
  };
}

function fnIdOf(m: Model, name: string): number {
  const id = m.fnId.get(name);
  if (id === undefined) throw new Error(`era ${m.v.id} has no kernel function ${name}`);
  return id;
}
