/** The trace, `vfio-kvm-trace/1` (the trace format (README)): what `run --json` prints. */
import type { EraId } from './era.ts';
import type { Model } from './model.ts';
import { ctxOf, valueOf, type KState } from './state.ts';
import type { StepRecord } from './step.ts';
import type { Errno, OpName, Violation } from './types.ts';
import type { KvmCtx } from './machines/kvm.ts';
import type { GroupCtx } from './machines/vfioGroup.ts';
import type { DeviceCtx } from './machines/vfioDevice.ts';
import type { RwsemCtx } from './machines/rwsem.ts';
import type { MutexCtx } from './machines/mutex.ts';
import { lockName } from './kernel/lib.ts';
import { lockdepSummary, validateLocks } from './lockdep.ts';

export const TRACE_SCHEMA = 'vfio-kvm-trace/1';

export interface TraceStep {
  index: number;
  thread: string;
  op: OpName;
  status: 'done' | 'blocked' | 'crashed';
  result?: Errno;
  /** Present (false) only for an op that never started: its thread crashed or blocked for good earlier. */
  started?: false;
}

export interface Trace {
  schema: typeof TRACE_SCHEMA;
  era: EraId;
  steps: TraceStep[];
  final: {
    vms: Record<string, { users: number; state: 'alive' | 'destroying' | 'freed' }>;
    groups: Record<string, { kvm: string | null }>;
    devices: Record<
      string,
      { openCount: number; kvm: string | null; driverKvm: string | null; driverRef: boolean }
    >;
    threads: Record<string, { state: 'done' | 'blocked' | 'crashed'; on?: string }>;
  };
  /** What the lock validator would have printed for this run (lockdep.ts), even where nothing deadlocked. */
  lockdep: { kind: 'circular' | 'recursive'; chain: string[]; steps: number[] } | null;
  violations: Violation[];
}

export function driverHolder(m: Model, d: string): string {
  return `${m.drivers.get(d)!.name}:${d}`;
}

/** The device's row of `final.devices` (also used by the page). */
export function deviceFacts(m: Model, s: KState, d: string) {
  const dev = ctxOf<DeviceCtx>(m, s, `device:${d}`);
  const drv = m.drivers.get(d)!;
  const holder = driverHolder(m, d);
  const driverRef = m.vms.some((k) =>
    ctxOf<KvmCtx>(m, s, `kvm:${k}`).holders.some(([h, n]) => h === holder && n > 0),
  );
  return {
    openCount: dev.openCount,
    kvm: m.v.capture === 'none' ? null : dev.kvm,
    driverKvm: drv.driverKvm(ctxOf(m, s, `driver:${d}`) as never, dev, m.v),
    driverRef,
  };
}

/** "G.group_rwsem (write)" for a thread waiting on a lock. */
export function waitDescription(m: Model, s: KState, lock: string, thread: string): string {
  const c = ctxOf<RwsemCtx | MutexCtx>(m, s, lock);
  if (c.kind === 'mutex') return lockName(lock);
  const w = c.waiters.find((x) => x.t === thread);
  return `${lockName(lock)} (${w?.mode ?? 'read'})`;
}

export function buildTrace(
  m: Model,
  records: readonly StepRecord[],
  final: KState,
  violations: Violation[],
): Trace {
  const results = new Map<number, StepRecord['opDone']>();
  const started = new Set<number>();
  for (const r of records) {
    if (r.opStart !== null) started.add(r.opStart);
    if (r.opDone) results.set(r.opDone.step, r.opDone);
  }
  const steps: TraceStep[] = m.scenario.steps.map((st, index) => {
    const done = results.get(index);
    const base = { index, thread: st.thread, op: st.op };
    if (done?.status === 'done') return { ...base, status: 'done', result: (done.result ?? 0) as Errno };
    if (done?.status === 'crashed') return { ...base, status: 'crashed' };
    const ti = m.threadIndex.get(st.thread)!;
    const th = final.t[ti]!;
    const status = th.status === 'crashed' ? 'crashed' : 'blocked';
    return started.has(index) ? { ...base, status } : { ...base, status, started: false };
  });
  const vms: Trace['final']['vms'] = {};
  for (const k of m.vms) {
    const value = valueOf(m, final, `kvm:${k}`) as 'alive' | 'destroying' | 'freed';
    vms[k] = { users: ctxOf<KvmCtx>(m, final, `kvm:${k}`).users, state: value };
  }
  const groups: Trace['final']['groups'] = {};
  for (const g of m.groups) groups[g] = { kvm: ctxOf<GroupCtx>(m, final, `group:${g}`).kvm };
  const devices: Trace['final']['devices'] = {};
  for (const d of m.devices) devices[d.id] = deviceFacts(m, final, d.id);
  const threads: Trace['final']['threads'] = {};
  m.threads.forEach((decl, i) => {
    const th = final.t[i]!;
    if (th.status === 'blocked')
      threads[decl.id] = { state: 'blocked', on: waitDescription(m, final, th.on!, decl.id) };
    else threads[decl.id] = { state: th.status === 'crashed' ? 'crashed' : 'done' };
  });
  return {
    schema: TRACE_SCHEMA,
    era: m.v.id,
    steps,
    final: { vms, groups, devices, threads },
    lockdep: lockdepSummary(validateLocks(records)),
    violations,
  };
}
