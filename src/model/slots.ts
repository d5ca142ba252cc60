/**
 * The model's objects live in numbered slots, one per kernel object, named by
 * typed keys: a key says which machine is behind it, so `Exec.ctx`/`Exec.send`
 * know its context and its events, and a typo in a key or an event is a
 * compile error.
 */
import type { KvmCtx, KvmEvent, KvmOut } from './machines/kvm.ts';
import type { KvmVfioCtx, KvmVfioEvent } from './machines/kvmVfio.ts';
import type { GroupCtx, GroupEvent } from './machines/vfioGroup.ts';
import type { DeviceCtx, DeviceEvent, DeviceOut } from './machines/vfioDevice.ts';
import type { WorkqueueCtx, WorkqueueEvent } from './machines/workqueue.ts';
import type { MutexCtx } from './machines/mutex.ts';
import type { RwsemCtx } from './machines/rwsem.ts';

export type KvmKey = `kvm:${string}`;
export type KvmVfioKey = `kvm_vfio:${string}`;
export type GroupKey = `group:${string}`;
export type DeviceKey = `device:${string}`;
export type DriverKey = `driver:${string}`;
export type WorkqueueKey = 'workqueue';

/** The kinds of lock in the model, and how the kernel names each (the lockdep class). */
export const LOCK_KINDS = {
  group_rwsem: { kind: 'rwsem', cls: '&group->group_rwsem', field: 'group_rwsem' },
  group_lock: { kind: 'mutex', cls: '&group->group_lock', field: 'group_lock' },
  kvm_ref_lock: { kind: 'spin', cls: '&group->kvm_ref_lock', field: 'kvm_ref_lock' },
  notifier: { kind: 'rwsem', cls: '&(&group->notifier)->rwsem', field: 'notifier.rwsem' },
  dev_set: { kind: 'mutex', cls: '&new_dev_set->lock', field: 'dev_set->lock' },
  kvm_vfio: { kind: 'mutex', cls: '&kv->lock', field: 'kv->lock' },
  kvm: { kind: 'mutex', cls: '&kvm->lock', field: 'kvm->lock' },
  matrix_dev: { kind: 'mutex', cls: '&matrix_dev->lock', field: 'matrix_dev->lock' },
  guests_lock: { kind: 'mutex', cls: '&matrix_dev->guests_lock', field: 'matrix_dev->guests_lock' },
  mdevs_lock: { kind: 'mutex', cls: '&matrix_dev->mdevs_lock', field: 'matrix_dev->mdevs_lock' },
  kzdev_lock: { kind: 'mutex', cls: '&zdev->kzdev_lock', field: 'zdev->kzdev_lock' },
} as const;
export type LockKindId = keyof typeof LOCK_KINDS;

export interface LockKindDef {
  kind: 'rwsem' | 'mutex' | 'spin';
  /** Its lockdep class, as lockdep prints it ("&zdev->kzdev_lock"). */
  cls: string;
  /** The field, as the page names an instance ("zdev->kzdev_lock" → "D.zdev->kzdev_lock"). */
  field: string;
}

/**
 * Add a kind of lock at run time, for a driver registered at run time
 * (drivers/index.ts registerDriver): its keys are `lock:<id>:<instance>`.
 */
export function registerLockKind(id: string, def: LockKindDef): void {
  if (Object.hasOwn(LOCK_KINDS, id) || !/^[a-z][a-z0-9_]*$/.test(id))
    throw new Error(`cannot register lock kind ${JSON.stringify(id)}`);
  (LOCK_KINDS as unknown as Record<string, LockKindDef>)[id] = def;
}

/** The key of a lock of a kind registered at run time (registerLockKind). */
export function registeredLockKey(kind: string, instance: string): LockKey {
  if (!Object.hasOwn(LOCK_KINDS, kind)) throw new Error(`no lock kind ${JSON.stringify(kind)}`);
  return `lock:${kind}:${instance}` as LockKey;
}
/** `lock:<kind>:<instance>`; the singletons of matrix_dev have no instance. */
export type LockKey = `lock:${LockKindId}:${string}` | `lock:${LockKindId}`;

export type SlotKey = KvmKey | KvmVfioKey | GroupKey | DeviceKey | DriverKey | WorkqueueKey | LockKey;

export const slot = {
  kvm: (k: string): KvmKey => `kvm:${k}`,
  kvmVfio: (k: string): KvmVfioKey => `kvm_vfio:${k}`,
  group: (g: string): GroupKey => `group:${g}`,
  device: (d: string): DeviceKey => `device:${d}`,
  driver: (d: string): DriverKey => `driver:${d}`,
  workqueue: 'workqueue' as WorkqueueKey,
};

export const lockKey = {
  groupRwsem: (g: string): LockKey => `lock:group_rwsem:${g}`,
  groupLock: (g: string): LockKey => `lock:group_lock:${g}`,
  kvmRef: (g: string): LockKey => `lock:kvm_ref_lock:${g}`,
  notifier: (g: string): LockKey => `lock:notifier:${g}`,
  devSet: (d: string): LockKey => `lock:dev_set:${d}`,
  kvmVfio: (k: string): LockKey => `lock:kvm_vfio:${k}`,
  kvm: (k: string): LockKey => `lock:kvm:${k}`,
  matrixDev: (): LockKey => 'lock:matrix_dev',
  guests: (): LockKey => 'lock:guests_lock',
  mdevs: (): LockKey => 'lock:mdevs_lock',
  kzdev: (d: string): LockKey => `lock:kzdev_lock:${d}`,
};

/** The kind and instance of a lock key. */
export function parseLockKey(key: string): { kind: LockKindId; instance: string | null } {
  const [, kind, instance] = key.split(':');
  if (!kind || !Object.hasOwn(LOCK_KINDS, kind)) throw new Error(`not a lock key: ${key}`);
  return { kind: kind as LockKindId, instance: instance ?? null };
}

/** "G.group_rwsem", "D.dev_set->lock", "K->lock", "matrix_dev->guests_lock", ... */
export function lockName(key: string): string {
  const { kind, instance } = parseLockKey(key);
  switch (kind) {
    case 'kvm':
      return `${instance}->lock`;
    case 'kvm_vfio':
      return `${instance}'s kv->lock`;
    case 'matrix_dev':
    case 'guests_lock':
    case 'mdevs_lock':
      return LOCK_KINDS[kind].field;
    default:
      return `${instance}.${LOCK_KINDS[kind].field}`;
  }
}

/** The lockdep class of a lock (all locks of one kind are one class, as lockdep has it). */
export function lockClass(key: string): string {
  return LOCK_KINDS[parseLockKey(key).kind].cls;
}

/** What a slot holds, by key: its context and its events. */
export interface SlotContexts {
  kvm: KvmCtx;
  kvm_vfio: KvmVfioCtx;
  group: GroupCtx;
  device: DeviceCtx;
  workqueue: WorkqueueCtx;
}
export type { KvmEvent, KvmOut, KvmVfioEvent, GroupEvent, DeviceEvent, DeviceOut, WorkqueueEvent };
export type LockCtx = MutexCtx | RwsemCtx;
