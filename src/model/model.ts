/**
 * A scenario compiled for one era: its objects (each an XState machine in a
 * numbered slot), the code paths of that era, and the threads' op lists.
 * Built once; `step` (step.ts) is a pure function of (Model, KState, thread).
 */
import type { AnyStateMachine } from 'xstate';
import { variant, type AssumptionId, type EraId, type Variant } from './era.ts';
import { compileFns, type CompiledFn, type DriverHook, type ModelInfo } from './program.ts';
import { scenarioGroups, scenarioThreads, type Scenario, type ScenarioStep } from './scenario.ts';
import { MachineTable } from './machines/table.ts';
import { rwsemMachine } from './machines/rwsem.ts';
import { mutexMachine } from './machines/mutex.ts';
import { kvmMachine } from './machines/kvm.ts';
import { vfioGroupMachine } from './machines/vfioGroup.ts';
import { vfioDeviceMachine } from './machines/vfioDevice.ts';
import { kvmVfioMachine } from './machines/kvmVfio.ts';
import { workqueueMachine } from './machines/workqueue.ts';
import { DRIVER_IMPLS, type Driver } from './drivers/index.ts';
import { lockKey, parseLockKey, LOCK_KINDS, type LockKey } from './slots.ts';
// The code paths register themselves.
import './kernel/kvm.ts';
import './kernel/kvmVfio.ts';
import './kernel/notifier.ts';
import './kernel/workqueue.ts';
import './kernel/vfio/setKvm.ts';
import './kernel/vfio/notifiers.ts';
import './kernel/vfio/open.ts';
import './kernel/vfio/deviceOpen.ts';
import './kernel/vfio/groupOpen.ts';
import './kernel/vfio/close.ts';
import './kernel/structs.ts';

export type SlotKind = 'kvm' | 'kvm_vfio' | 'group' | 'device' | 'driver' | 'workqueue' | 'rwsem' | 'mutex';

// One table per machine, shared by every model: interned snapshots are canonical across runs.
const tables = new Map<AnyStateMachine, MachineTable<never, never, never>>();
function tableFor(m: AnyStateMachine): MachineTable<never, never, never> {
  let t = tables.get(m);
  if (!t) tables.set(m, (t = new MachineTable(m)));
  return t;
}

/** The table statistics (bench). */
export function machineTableSizes(): { machine: string; snaps: number; transitions: number }[] {
  return [...tables].map(([m, t]) => ({ machine: m.id, ...t.size }));
}

export interface ThreadDecl {
  id: string;
  /** Indices into scenario.steps, in per-thread order. */
  steps: number[];
}

export interface Model extends ModelInfo {
  readonly scenario: Scenario;
  readonly v: Variant;
  readonly fns: readonly CompiledFn[];
  readonly fnId: ReadonlyMap<string, number>;
  readonly slotKeys: readonly string[];
  readonly slotKinds: readonly SlotKind[];
  readonly slotIndex: ReadonlyMap<string, number>;
  readonly tables: readonly MachineTable<never, never, never>[];
  readonly threads: readonly ThreadDecl[];
  readonly threadIndex: ReadonlyMap<string, number>;
  /** Devices whose group some step adds to the VM: "its devices" for refcount-leak. */
  readonly vmDevices: ReadonlyMap<string, readonly string[]>;
  readonly drivers: ReadonlyMap<string, Driver>;
}

const compiledByEra = new Map<string, { fns: CompiledFn[]; fnId: Map<string, number> }>();

function lockMachine(key: LockKey): AnyStateMachine {
  return LOCK_KINDS[parseLockKey(key).kind].kind === 'rwsem' ? rwsemMachine : mutexMachine;
}

function compiled(v: Variant) {
  const key = `${v.id}|${v.assume.join(',')}`;
  let c = compiledByEra.get(key);
  if (!c) {
    const fns = compileFns(v);
    c = { fns, fnId: new Map(fns.map((f) => [f.key, f.id])) };
    compiledByEra.set(key, c);
  }
  return c;
}

/** The locks of a VM: its KVM-VFIO device's kv->lock and kvm->lock. */
function vmLocks(k: string): LockKey[] {
  return [lockKey.kvmVfio(k), lockKey.kvm(k)];
}
/** The locks of a VFIO group, as the era has them. */
function groupLocks(v: Variant, g: string): LockKey[] {
  return [
    ...(v.groupLock === 'rwsem' ? [lockKey.groupRwsem(g)] : []),
    ...(v.groupLock === 'mutex' ? [lockKey.groupLock(g)] : []),
    ...(v.setKvmLock === 'kvm_ref_lock' ? [lockKey.kvmRef(g)] : []),
    ...(v.notifier ? [lockKey.notifier(g)] : []),
  ];
}
function deviceLocks(d: string): LockKey[] {
  return [lockKey.devSet(d)];
}
function driverLocks(v: Variant, d: Scenario['devices'][number]): LockKey[] {
  return DRIVER_IMPLS[d.driver].locks?.(v, d.id) ?? [];
}

/**
 * The locks a scenario's objects have in an era, in the order the model
 * allocates their slots (each once).
 */
export function scenarioLocks(scenario: Scenario, v: Variant): LockKey[] {
  const keys = [
    ...scenario.vms.flatMap(vmLocks),
    ...scenarioGroups(scenario).flatMap((g) => groupLocks(v, g)),
    ...scenario.devices.flatMap((d) => deviceLocks(d.id)),
    ...scenario.devices.flatMap((d) => driverLocks(v, d)),
  ];
  return [...new Set(keys)];
}

/** Compile a (validated) scenario for an era. */
export function compileModel(scenario: Scenario, era?: EraId, assume?: readonly AssumptionId[]): Model {
  const v = variant(era ?? scenario.era, assume ?? scenario.assume ?? []);
  const { fns, fnId } = compiled(v);
  const groups = scenarioGroups(scenario);
  const slotKeys: string[] = [];
  const slotKinds: SlotKind[] = [];
  const slotTables: MachineTable<never, never, never>[] = [];
  const add = (key: string, kind: SlotKind, m: AnyStateMachine) => {
    slotKeys.push(key);
    slotKinds.push(kind);
    slotTables.push(tableFor(m));
  };
  const drivers = new Map<string, Driver>();
  const addLock = (key: LockKey) => {
    if (slotKeys.includes(key)) return;
    add(key, LOCK_KINDS[parseLockKey(key).kind].kind === 'rwsem' ? 'rwsem' : 'mutex', lockMachine(key));
  };
  for (const k of scenario.vms) {
    add(`kvm:${k}`, 'kvm', kvmMachine);
    add(`kvm_vfio:${k}`, 'kvm_vfio', kvmVfioMachine);
    vmLocks(k).forEach(addLock);
  }
  for (const g of groups) {
    add(`group:${g}`, 'group', vfioGroupMachine);
    groupLocks(v, g).forEach(addLock);
  }
  for (const d of scenario.devices) {
    const drv = DRIVER_IMPLS[d.driver];
    drivers.set(d.id, drv);
    add(`device:${d.id}`, 'device', vfioDeviceMachine);
    add(`driver:${d.id}`, 'driver', drv.machine);
    deviceLocks(d.id).forEach(addLock);
  }
  for (const d of scenario.devices) driverLocks(v, d).forEach(addLock);
  add('workqueue', 'workqueue', workqueueMachine);

  const threads = scenarioThreads(scenario).map((id) => ({
    id,
    steps: scenario.steps.flatMap((s, i) => (s.thread === id ? [i] : [])),
  }));

  const vmDevices = new Map<string, string[]>();
  for (const k of scenario.vms) {
    const gs = new Set(
      scenario.steps.flatMap((s) => (s.op === 'kvm_add_group' && s.vm === k ? [s.group] : [])),
    );
    vmDevices.set(
      k,
      scenario.devices.filter((d) => gs.has(d.group)).map((d) => d.id),
    );
  }

  const groupByDevice = new Map(scenario.devices.map((d) => [d.id, d.group]));
  const hooks = new Map<string, Record<DriverHook, string | null>>();
  for (const d of scenario.devices) hooks.set(d.id, drivers.get(d.id)!.hooks(v));

  return {
    scenario,
    v,
    fns,
    fnId,
    slotKeys,
    slotKinds,
    slotIndex: new Map(slotKeys.map((k, i) => [k, i])),
    tables: slotTables,
    threads,
    threadIndex: new Map(threads.map((t, i) => [t.id, i])),
    vmDevices,
    drivers,
    vms: scenario.vms,
    groups,
    devices: scenario.devices,
    driverFn(device: string, hook: DriverHook): string | null {
      const h = hooks.get(device);
      if (!h) throw new Error(`unknown device ${device}`);
      const name = h[hook];
      return name !== null && fnId.has(name) ? name : null;
    },
    groupOf(device: string): string {
      const g = groupByDevice.get(device);
      if (g === undefined) throw new Error(`unknown device ${device}`);
      return g;
    },
  };
}

/** The kernel function each op enters, with its arguments (the scenario format (README) table). */
export function opEntry(st: ScenarioStep): { fn: string; args: Record<string, string | null> } {
  switch (st.op) {
    case 'kvm_add_group':
      return { fn: 'kvm_device_attr_ioctl', args: { k: st.vm, g: st.group, cmd: 'add' } };
    case 'kvm_del_group':
      return { fn: 'kvm_device_attr_ioctl', args: { k: st.vm, g: st.group, cmd: 'del' } };
    case 'open_device':
      return { fn: 'open_device_op', args: { d: st.device, fail: st.fail ?? null } };
    case 'close_device':
      return { fn: 'close_device_op', args: { d: st.device } };
    case 'close_vm':
      return { fn: 'close_vm', args: { k: st.vm } };
    case 'run_work':
      return { fn: 'run_work_op', args: {} };
  }
}

/** "open_device(D)" */
export function opLabel(st: ScenarioStep): string {
  switch (st.op) {
    case 'kvm_add_group':
    case 'kvm_del_group':
      return `${st.op}(${st.vm}, ${st.group})`;
    case 'open_device':
      return `open_device(${st.device}${st.fail ? `, fail ${st.fail}` : ''})`;
    case 'close_device':
      return `close_device(${st.device})`;
    case 'close_vm':
      return `close_vm(${st.vm})`;
    case 'run_work':
      return 'run_work()';
  }
}
