/**
 * What the page, the CLI's narrative and `render` read: a plain description
 * of one kernel state (and of one micro-step). Derived from the model, never
 * stored; the diagrams only select from it.
 */
import { ERA_IDS, variant, type EraId } from './era.ts';
import type { Model } from './model.ts';
import { opLabel, scenarioLocks } from './model.ts';
import { ctxOf, valueOf, type KState } from './state.ts';
import { canRun, type StepRecord } from './step.ts';
import { narrate } from './narrate.ts';
import { deviceFacts, waitDescription } from './trace.ts';
import { lockHolders } from './kernel/lib.ts';
import { LOCK_KINDS, lockKey, lockName, parseLockKey, type LockKey } from './slots.ts';
import type { KvmCtx } from './machines/kvm.ts';
import type { KvmVfioCtx } from './machines/kvmVfio.ts';
import type { GroupCtx } from './machines/vfioGroup.ts';
import type { DeviceCtx } from './machines/vfioDevice.ts';
import type { RwsemCtx } from './machines/rwsem.ts';
import type { MutexCtx } from './machines/mutex.ts';
import type { WorkqueueCtx } from './machines/workqueue.ts';
import type { Effect } from './program.ts';
import type { Violation } from './types.ts';

/** The state of a pointer to a VM: what the diagram must never let pass unnoticed. */
export type PointerHealth = 'null' | 'live' | 'dying' | 'dangling';

export interface PointerView {
  vm: string | null;
  health: PointerHealth;
}

export interface LockView {
  key: string;
  /** "G.group_rwsem", "D.dev_set->lock", ... */
  name: string;
  kind: 'rwsem' | 'mutex' | 'spin';
  /** False where the era has no such lock (group_rwsem in v5.18). */
  exists: boolean;
  owners: { thread: string; mode: 'read' | 'write' | 'mutex' | 'spin' }[];
  waiters: { thread: string; mode: 'read' | 'write' | 'mutex' | 'spin' }[];
  /** "Q holds it for read" */
  summary: string;
}

export interface VmView {
  id: string;
  users: number;
  saturated: boolean;
  state: 'alive' | 'destroying' | 'freed';
  /** Counted references, by holder ("fds", "gvt:D", "core:D", "ioctl:KV", ...). */
  holders: { holder: string; count: number; label: string }[];
  fdsOpen: boolean;
  kvmVfio: { groups: string[]; state: string; inflight: number };
  /** The KVM-VFIO device's file has been released (its release op ran). */
  fileReleased: boolean;
  lock: LockView;
  kvmVfioLock: LockView;
}

export interface GroupView {
  id: string;
  state: string;
  kvm: PointerView;
  notifier: string[];
  containerUsers: number;
  rwsem: LockView;
  chain: LockView;
}

export interface DriverView {
  name: string;
  title: string;
  /** The driver's private state machine value ("attached", "configured", ...). */
  state: string;
  /** The VM the driver's own pointer names. */
  kvm: PointerView;
  /** True while the driver holds a counted reference it took (on `refVm`). */
  ref: boolean;
  refVm: string | null;
  /** Driver-specific fields for the tooltip ("released: 1", "AP queue resets: 2"). */
  fields: { name: string; value: string }[];
  /** How the code names the driver's pointer in this era ("vgpu->kvm", "matrix_mdev->kvm"). */
  pointerName: string;
  /** Its name on a small card ("GVT-g"). */
  shortTitle: string;
  /** It learns the VM from the group's SET_KVM notifier in this era (not from open_device). */
  viaNotifier: boolean;
  /** A reference held before the pointer is set, in words ("not attached", "matrix_mdev->kvm not set"). */
  unsetWords: string;
}

export interface DeviceView {
  id: string;
  group: string;
  lifecycle: string;
  openCount: number;
  fds: number;
  /** device->kvm; `exists` is false before the patch, where the field does not exist. */
  kvm: PointerView & { exists: boolean };
  devSet: LockView;
  driver: DriverView;
}

export interface FrameView {
  fn: string;
  file: string;
  fnId: number;
  /** The line shown: the next (or blocking, or crashing) line of the innermost frame; the call line of a caller. */
  pc: number;
  line: string;
}

export interface ThreadView {
  id: string;
  status: 'idle' | 'running' | 'blocked' | 'done' | 'crashed';
  runnable: boolean;
  /** The op under way (or next), with its scenario step index. */
  op: { index: number; label: string } | null;
  opsDone: number;
  opsTotal: number;
  stack: FrameView[];
  /** "waits for G.group_rwsem (write): Q holds it for read" */
  reason: string | null;
  holds: string[];
}

export interface KernelView {
  era: EraId;
  vms: VmView[];
  groups: GroupView[];
  devices: DeviceView[];
  threads: ThreadView[];
  locks: LockView[];
  matrixDev: LockView;
  workqueue: string[];
}

export interface StepView {
  /** 1-based micro-step number. */
  n: number;
  thread: string;
  fn: string;
  line: string;
  text: string;
  blocked: boolean;
  effects: readonly Effect[];
  violations: Violation[];
  opStart: number | null;
  opDone: StepRecord['opDone'];
}

function pointer(m: Model, s: KState, vm: string | null): PointerView {
  if (vm === null) return { vm, health: 'null' };
  const st = valueOf(m, s, `kvm:${vm}`);
  return { vm, health: st === 'freed' ? 'dangling' : st === 'destroying' ? 'dying' : 'live' };
}

function holderLabel(h: string): string {
  if (h === 'fds') return "the VM's fds";
  const [kind, who] = h.split(':');
  if (kind === 'ioctl') return `${who}'s KVM-VFIO ioctl`;
  if (kind === 'core') return `VFIO core (${who})`;
  return `${kind} (${who})`;
}

export function lockView(m: Model, s: KState, key: LockKey): LockView {
  const kind = LOCK_KINDS[parseLockKey(key).kind].kind;
  if (!m.slotIndex.has(key))
    return {
      key,
      name: lockName(key),
      kind,
      exists: false,
      owners: [],
      waiters: [],
      summary: 'not in this era',
    };
  const c = ctxOf<RwsemCtx | MutexCtx>(m, s, key);
  if (c.kind === 'mutex') {
    const mode = kind === 'spin' ? ('spin' as const) : ('mutex' as const);
    return {
      key,
      name: lockName(key),
      kind: kind === 'spin' ? 'spin' : 'mutex',
      exists: true,
      owners: c.owner ? [{ thread: c.owner, mode }] : [],
      waiters: c.waiters.map((t) => ({ thread: t, mode })),
      summary: lockHolders(c),
    };
  }
  return {
    key,
    name: lockName(key),
    kind: 'rwsem',
    exists: true,
    owners: [
      ...(c.writer ? [{ thread: c.writer, mode: 'write' as const }] : []),
      ...c.readers.map((t) => ({ thread: t, mode: 'read' as const })),
    ],
    waiters: c.waiters.map((w) => ({ thread: w.t, mode: w.mode })),
    summary: lockHolders(c),
  };
}

const absentByModel = new WeakMap<Model, readonly LockKey[]>();
/**
 * The locks this scenario's objects have in some other era of the history
 * but not in this one (group_rwsem in v5.18, the notifier's rwsem after the
 * patch, ...): the view lists them with `exists: false`.
 */
function absentLocks(m: Model): readonly LockKey[] {
  let out = absentByModel.get(m);
  if (!out) {
    const seen = new Set<LockKey>();
    for (const era of ERA_IDS)
      for (const k of scenarioLocks(m.scenario, variant(era))) if (!m.slotIndex.has(k)) seen.add(k);
    out = [...seen];
    absentByModel.set(m, out);
  }
  return out;
}

export function describeState(m: Model, s: KState): KernelView {
  const vms: VmView[] = m.vms.map((k) => {
    const c = ctxOf<KvmCtx>(m, s, `kvm:${k}`);
    const v = ctxOf<KvmVfioCtx>(m, s, `kvm_vfio:${k}`);
    return {
      id: k,
      users: c.users,
      saturated: c.saturated,
      state: valueOf(m, s, `kvm:${k}`) as VmView['state'],
      holders: c.holders.map(([holder, count]) => ({ holder, count, label: holderLabel(holder) })),
      fdsOpen: v.fdOpen,
      kvmVfio: { groups: [...v.groups], state: valueOf(m, s, `kvm_vfio:${k}`), inflight: v.inflight },
      fileReleased: v.fileReleased,
      lock: lockView(m, s, lockKey.kvm(k)),
      kvmVfioLock: lockView(m, s, lockKey.kvmVfio(k)),
    };
  });
  const groups: GroupView[] = m.groups.map((g) => {
    const c = ctxOf<GroupCtx>(m, s, `group:${g}`);
    return {
      id: g,
      state: valueOf(m, s, `group:${g}`),
      kvm: pointer(m, s, c.kvm),
      notifier: [...c.notifier],
      containerUsers: c.containerUsers,
      rwsem: lockView(m, s, m.v.groupLock === 'mutex' ? lockKey.groupLock(g) : lockKey.groupRwsem(g)),
      chain: lockView(m, s, lockKey.notifier(g)),
    };
  });
  const devices: DeviceView[] = m.devices.map((d) => {
    const dev = ctxOf<DeviceCtx>(m, s, `device:${d.id}`);
    const facts = deviceFacts(m, s, d.id);
    const drv = m.drivers.get(d.id)!;
    const holder = `${drv.name}:${d.id}`;
    const refVm =
      m.vms.find((k) => ctxOf<KvmCtx>(m, s, `kvm:${k}`).holders.some(([h]) => h === holder)) ?? null;
    return {
      id: d.id,
      group: d.group,
      lifecycle: valueOf(m, s, `device:${d.id}`),
      openCount: dev.openCount,
      fds: dev.fds,
      kvm: { ...pointer(m, s, facts.kvm), exists: m.v.capture !== 'none' },
      devSet: lockView(m, s, lockKey.devSet(d.id)),
      driver: {
        name: drv.name,
        title: drv.title,
        state: valueOf(m, s, `driver:${d.id}`),
        kvm: pointer(m, s, facts.driverKvm),
        ref: facts.driverRef,
        refVm,
        fields: drv.fields(ctxOf<never>(m, s, `driver:${d.id}`)),
        pointerName: drv.pointerName(m.v),
        shortTitle: drv.shortTitle,
        viaNotifier: drv.hooks(m.v).group_notifier !== null,
        unsetWords: drv.unsetWords?.(m.v) ?? `${drv.pointerName(m.v)} not set`,
      },
    };
  });
  const locks = [...m.slotKeys.filter((k): k is LockKey => k.startsWith('lock:')), ...absentLocks(m)].map(
    (k) => lockView(m, s, k),
  );
  const threads: ThreadView[] = m.threads.map((decl, i) => {
    const th = s.t[i]!;
    const stack: FrameView[] = th.frames.map((f, depth) => {
      const fn = m.fns[f.fn]!;
      // The innermost frame is at the line it runs next (or blocks on, or crashed at);
      // a caller's pc is already past its call, so show the call line.
      const pc = depth === th.frames.length - 1 ? f.pc : Math.max(0, f.pc - 1);
      return { fn: fn.name, file: fn.file, fnId: f.fn, pc, line: fn.instrs[pc]?.line ?? '' };
    });
    const stepIdx = decl.steps[th.op];
    const op = stepIdx === undefined ? null : { index: stepIdx, label: opLabel(m.scenario.steps[stepIdx]!) };
    let reason: string | null = null;
    if (th.status === 'blocked' && th.on) {
      const c = ctxOf<RwsemCtx | MutexCtx>(m, s, th.on);
      reason = canRun(m, s, i)
        ? `was handed ${lockName(th.on)}; wakes up when scheduled`
        : `waits for ${waitDescription(m, s, th.on, decl.id)}: ${lockHolders(c)}`;
    }
    const holds = locks
      .filter((l) => l.owners.some((o) => o.thread === decl.id))
      .map((l) => {
        const modes = l.owners.filter((o) => o.thread === decl.id).map((o) => o.mode);
        return l.kind === 'mutex' ? l.name : `${l.name} (${modes.join(', ')})`;
      });
    const status: ThreadView['status'] =
      th.status === 'ready' ? (th.frames.length > 0 ? 'running' : 'idle') : th.status;
    return {
      id: decl.id,
      status,
      runnable: canRun(m, s, i),
      op,
      opsDone: th.op,
      opsTotal: decl.steps.length,
      stack,
      reason,
      holds,
    };
  });
  return {
    era: m.v.id,
    vms,
    groups,
    devices,
    threads,
    locks,
    matrixDev: lockView(m, s, lockKey.matrixDev()),
    workqueue: [...ctxOf<WorkqueueCtx>(m, s, 'workqueue').pending],
  };
}

export function describeStep(m: Model, rec: StepRecord, after: KState, n: number): StepView {
  const fn = m.fns[rec.fn]!;
  return {
    n,
    thread: rec.thread,
    fn: fn.name,
    line: fn.instrs[rec.pc]?.line ?? '',
    text: narrate(m, rec, after),
    blocked: rec.blocked !== null,
    effects: rec.effects,
    violations: rec.violations.map((v) => ({ ...v, step: n })),
    opStart: rec.opStart,
    opDone: rec.opDone,
  };
}

/** The listing of a kernel function as compiled for this era (for the call-stack panel). */
export function fnListing(
  m: Model,
  fnId: number,
): { name: string; file: string; lines: { text: string; label: string | null; step: boolean }[] } {
  const fn = m.fns[fnId]!;
  return {
    name: fn.name,
    file: fn.file,
    lines: fn.instrs.map((i) => ({ text: i.line, label: i.label, step: i.step })),
  };
}
