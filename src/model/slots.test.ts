import { expect, test } from 'vitest';
import { LOCK_KINDS, lockClass, lockKey, lockName, parseLockKey, slot } from './slots.ts';

// Slot and lock keys: how each lock is named on the page and in lockdep terms (the class is the kernel's
// lock class name, one per kind, as lockdep reports it).

test('object slot keys', () => {
  expect([
    slot.kvm('K1'),
    slot.kvmVfio('K1'),
    slot.group('G'),
    slot.device('D'),
    slot.driver('D'),
    slot.workqueue,
  ]).toEqual(['kvm:K1', 'kvm_vfio:K1', 'group:G', 'device:D', 'driver:D', 'workqueue']);
});

test('every lock key: its kind and instance, its name and its lockdep class', () => {
  const rows = [
    [lockKey.groupRwsem('G'), 'group_rwsem', 'G', 'G.group_rwsem', '&group->group_rwsem'],
    [lockKey.groupLock('G'), 'group_lock', 'G', 'G.group_lock', '&group->group_lock'],
    [lockKey.kvmRef('G'), 'kvm_ref_lock', 'G', 'G.kvm_ref_lock', '&group->kvm_ref_lock'],
    [lockKey.notifier('G'), 'notifier', 'G', 'G.notifier.rwsem', '&(&group->notifier)->rwsem'],
    [lockKey.devSet('D'), 'dev_set', 'D', 'D.dev_set->lock', '&new_dev_set->lock'],
    [lockKey.kvmVfio('K1'), 'kvm_vfio', 'K1', "K1's kv->lock", '&kv->lock'],
    [lockKey.kvm('K1'), 'kvm', 'K1', 'K1->lock', '&kvm->lock'],
    [lockKey.matrixDev(), 'matrix_dev', null, 'matrix_dev->lock', '&matrix_dev->lock'],
    [lockKey.guests(), 'guests_lock', null, 'matrix_dev->guests_lock', '&matrix_dev->guests_lock'],
    [lockKey.mdevs(), 'mdevs_lock', null, 'matrix_dev->mdevs_lock', '&matrix_dev->mdevs_lock'],
    [lockKey.kzdev('D'), 'kzdev_lock', 'D', 'D.zdev->kzdev_lock', '&zdev->kzdev_lock'],
  ] as const;
  expect(rows.map((r) => r[0])).toEqual([
    'lock:group_rwsem:G',
    'lock:group_lock:G',
    'lock:kvm_ref_lock:G',
    'lock:notifier:G',
    'lock:dev_set:D',
    'lock:kvm_vfio:K1',
    'lock:kvm:K1',
    'lock:matrix_dev',
    'lock:guests_lock',
    'lock:mdevs_lock',
    'lock:kzdev_lock:D',
  ]);
  for (const [key, kind, instance, name, cls] of rows) {
    expect(parseLockKey(key), key).toEqual({ kind, instance });
    expect(lockName(key), key).toBe(name);
    expect(lockClass(key), key).toBe(cls);
  }
  // one row per kind of lock
  expect(new Set(rows.map((r) => r[1]))).toEqual(new Set(Object.keys(LOCK_KINDS)));
  expect(Object.fromEntries(Object.entries(LOCK_KINDS).map(([k, v]) => [k, v.kind]))).toEqual({
    group_rwsem: 'rwsem',
    group_lock: 'mutex',
    kvm_ref_lock: 'spin',
    notifier: 'rwsem',
    dev_set: 'mutex',
    kvm_vfio: 'mutex',
    kvm: 'mutex',
    matrix_dev: 'mutex',
    guests_lock: 'mutex',
    mdevs_lock: 'mutex',
    kzdev_lock: 'mutex',
  });
});

test('a key that is not a lock key is refused, by name', () => {
  for (const bad of ['group:G', 'lock:', 'lock:nope:G', 'lock', ''])
    expect(() => parseLockKey(bad), bad).toThrow(`not a lock key: ${bad}`);
  expect(() => lockName('device:D')).toThrow('not a lock key: device:D');
  expect(() => lockClass('kvm:K1')).toThrow('not a lock key: kvm:K1');
});
