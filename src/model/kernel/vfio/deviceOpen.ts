/**
 * May 2022 – v6.1: vfio_group_get_device_fd → vfio_device_open. The
 * container is assigned under the group lock, then dev_set->lock is taken;
 * what happens to device->kvm on the first open is the patch: the core's own
 * copy and reference under the write lock (v1), the read lock on every open
 * (v2), the read lock in the first-open branch (v3), the mutex group_lock
 * (v6.1).
 */
import { call, defineFn, label } from '../../program.ts';
import type { Variant } from '../../era.ts';
import { slot } from '../../slots.ts';
import { lockGroup, unlockGroup, getKvm, putKvm } from '../lib.ts';
import { coreFile } from './files.ts';
import { callDriver, captureKvm, clearKvm, firstOpenDone, sayCapture } from './driverCall.ts';
import { cap, core, countDown, countUp, dev, lockDevSet, shape, unlockDevSet } from './common.ts';

/** v6.1 moved the container code into container.c. */
const containerFile = (v: Variant) => (v.iommu === 'dma_unmap' ? 'drivers/vfio/container.c' : v.coreFile);

defineFn({
  name: 'vfio_device_assign_container',
  file: containerFile,
  params: ['d', 'g'],
  when: shape('device_open'),
  body: [
    {
      line: (v) =>
        v.groupLock === 'mutex'
          ? 'lockdep_assert_held(&group->group_lock)'
          : 'lockdep_assert_held_write(&group->group_rwsem)',
      step: false,
    },
    {
      line: 'ret = vfio_group_use_container(group): container_users++, get_file(group->opened_file)',
      step: false,
      run: (x) => void x.send(slot.group(x.str('g')), { type: 'assign_container' }),
    },
    { line: 'return ret', step: false, run: () => ({ ret: 0 }) },
  ],
});

defineFn({
  name: 'vfio_device_unassign_container',
  file: containerFile,
  params: ['d', 'g'],
  when: shape('device_open'),
  body: [
    lockGroup('write', { of: 'device' }),
    {
      line: 'WARN_ON(group->container_users <= 1); group->container_users--; fput(group->opened_file)',
      step: false,
      run: (x) => void x.send(slot.group(x.str('g')), { type: 'unassign_container' }),
    },
    unlockGroup('write', { of: 'device' }),
    { line: 'return', step: false, run: () => ({ ret: 0 }) },
  ],
});

const WHY_V2 = { v2: 'v2-read-lock-over-open', after: 'v3-merge-branches' } as const;

defineFn({
  name: 'vfio_device_open',
  key: 'device_open_file',
  file: coreFile,
  params: ['d', 'g', 'fail'],
  when: shape('device_open'),
  body: [
    lockGroup('write', { of: 'device' }),
    call('ret = vfio_device_assign_container(device)', 'vfio_device_assign_container', (x) => ({
      d: x.str('d'),
      g: x.str('g'),
    })),
    unlockGroup('write', { of: 'device' }),
    { line: 'if (ret) return ERR_PTR(ret)', step: false },
    {
      line: 'if (!try_module_get(device->dev->driver->owner)) { ret = -ENODEV; goto err_unassign_container; }',
      step: false,
    },
    lockDevSet(),
    countUp,
    // v1: the core copies the pointer and takes the reference, under the write lock.
    lockGroup('write', { of: 'device', when: cap('core-get'), why: { v2: 'v2-down-read' } }),
    {
      line: 'if (device->open_count == 1 && device->group->kvm) {',
      step: false,
      when: cap('core-get'),
      run: (x) =>
        dev(x).openCount === 1 && x.ctx(slot.group(x.str('g'))).kvm ? undefined : { goto: 'v1_unlock' },
    },
    { line: '\tdevice->kvm = device->group->kvm', when: cap('core-get'), run: captureKvm, say: sayCapture },
    getKvm('\tkvm_get_kvm(device->kvm); }', (x) => dev(x).kvm, core, { when: cap('core-get') }),
    unlockGroup('write', { of: 'device', when: cap('core-get'), label: 'v1_unlock' }),
    // v2: the read lock on every open, around the copy and open_device.
    lockGroup('read', { of: 'device', when: cap('every-open'), why: WHY_V2 }),
    {
      line: 'if (device->open_count == 1 && device->group->kvm)',
      step: false,
      when: cap('every-open'),
      run: (x) =>
        dev(x).openCount === 1 && x.ctx(slot.group(x.str('g'))).kvm ? undefined : { goto: 'v2_open' },
    },
    {
      line: '\tdevice->kvm = device->group->kvm   /* the driver must take its own reference */',
      when: cap('every-open'),
      run: captureKvm,
      say: sayCapture,
      why: { v2: 'v2-read-lock-over-open' },
    },
    // v3 and v6.1: one branch for the first open, the group lock inside it.
    {
      line: (v) =>
        v.capture === 'first-open'
          ? 'if (device->open_count == 1) {'
          : 'if (device->open_count == 1 && device->ops->open_device) {',
      label: 'v2_open',
      why: { after: 'v3-merge-branches' },
      step: false,
      // v2 holds the read lock on every open: a later open still drops it.
      run: (x) =>
        dev(x).openCount === 1 ? undefined : { goto: x.v.capture === 'every-open' ? 'first_done' : 'opened' },
    },
    lockGroup('read', { of: 'device', when: cap('first-open'), why: WHY_V2 }),
    {
      line: '\tdevice->kvm = device->group->kvm   /* may be NULL */',
      when: cap('first-open'),
      run: captureKvm,
      say: sayCapture,
      why: { after: 'v3-no-null-check' },
    },
    { line: '\tif (device->ops->open_device) {', step: false, when: cap('first-open') },
    callDriver('\tret = device->ops->open_device(device)', 'open_device'),
    {
      line: '\tif (ret) goto err_undo_count',
      step: false,
      run: (x) => (x.l.r ? { goto: 'err_undo_count' } : undefined),
    },
    {
      line: "\tvfio_device_container_register(device)   /* the core registers the driver's dma_unmap */",
      step: false,
      when: (v) => v.iommu === 'dma_unmap',
    },
    unlockGroup('read', { of: 'device', when: cap('every-open', 'first-open'), label: 'first_done' }),
    { line: '}', step: false },
    unlockDevSet({ label: 'opened', also: (x) => (x.set('r', 0), firstOpenDone(x)) }),
    {
      line: 'filep = anon_inode_getfile("[vfio-device]", &vfio_device_fops, device, O_RDWR); if (IS_ERR(filep)) goto err_close_device',
      step: false,
      run: (x) =>
        x.l.fail === 'anon_inode_getfile' ? (x.set('r', '-ENOMEM'), { goto: 'err_close_device' }) : undefined,
    },
    { line: 'return filep', step: false, run: () => ({ ret: 0 }) },
    label('err_close_device'),
    lockDevSet(),
    lockGroup('read', { of: 'device', when: cap('every-open', 'first-open') }),
    {
      line: 'if (device->open_count == 1 && device->ops->close_device) {',
      step: false,
      run: (x) => (dev(x).openCount === 1 ? undefined : { goto: 'err_undo_count' }),
    },
    callDriver('\tdevice->ops->close_device(device)', 'close_device'),
    {
      line: '\tvfio_device_container_unregister(device)',
      step: false,
      when: (v) => v.iommu === 'dma_unmap',
    },
    { line: '}', step: false },
    label('err_undo_count'),
    unlockGroup('read', { of: 'device', when: (v) => v.capture === 'first-open' && v.groupLock === 'mutex' }),
    countDown,
    {
      line: 'if (device->open_count == 0 && device->kvm) device->kvm = NULL',
      step: false,
      when: cap('every-open', 'first-open'),
      run: (x) => (dev(x).openCount === 0 ? clearKvm(x) : undefined),
    },
    unlockGroup('read', {
      of: 'device',
      when: (v) => v.capture === 'every-open' || (v.capture === 'first-open' && v.groupLock === 'rwsem'),
    }),
    // v1: the core's put, under the write lock.
    lockGroup('write', { of: 'device', when: cap('core-get') }),
    {
      line: 'if (device->open_count == 0 && device->kvm) {',
      step: false,
      when: cap('core-get'),
      run: (x) =>
        dev(x).openCount === 0 && dev(x).kvm ? x.set('k', dev(x).kvm) : { goto: 'v1_undo_unlock' },
    },
    putKvm('\tkvm_put_kvm(device->kvm)', (x) => x.vmOrNull('k'), core, { when: cap('core-get') }),
    { line: '\tdevice->kvm = NULL; }', step: false, when: cap('core-get'), run: clearKvm },
    unlockGroup('write', { of: 'device', when: cap('core-get'), label: 'v1_undo_unlock' }),
    unlockDevSet(),
    { line: 'module_put(device->dev->driver->owner)', step: false },
    label('err_unassign_container'),
    call('vfio_device_unassign_container(device)', 'vfio_device_unassign_container', (x) => ({
      d: x.str('d'),
      g: x.str('g'),
    })),
    { line: 'return ERR_PTR(ret)', step: false, run: (x) => ({ ret: x.l.r ?? null }) },
  ],
});
