/**
 * The release of a device fd (the `close_device` op): vfio_device_fops_release
 * in every era; from v6.2 through group.c's vfio_device_group_close.
 *
 * The group's lock around close_device is what made a driver's last
 * kvm_put_kvm deadlock (v2 – v6.2-rc): kvm_destroy_vm → kvm_vfio_destroy →
 * vfio_file_set_kvm wants the same lock.
 */
import { call, defineFn, mark } from '../../program.ts';
import { slot } from '../../slots.ts';
import { lockGroup, putKvm, unlockGroup } from '../lib.ts';
import { coreFile, groupFile, groupOfDevice } from './files.ts';
import { callDriver, clearKvm } from './driverCall.ts';

import { cap, core, countDown, dev, lockDevSet, shape, unlockDevSet } from './common.ts';

/** The `close_device` op: userspace closes one fd of the device; its last fput runs the release. */
defineFn({
  name: '__fput',
  key: 'close_device_op',
  file: 'fs/file_table.c',
  params: ['d'],
  body: [
    {
      line: '/* close(device_fd): -EBADF if no fd of the device is open */',
      step: false,
      run: (x) => {
        x.set('g', groupOfDevice(x));
        if (dev(x).fds === 0) return { ret: '-EBADF' };
        x.send(slot.device(x.str('d')), { type: 'fd_release' });
      },
    },
    call(
      'file->f_op->release(inode, file)',
      'vfio_device_fops_release',
      (x) => ({ d: x.str('d'), g: x.str('g') }),
      {},
    ),
    { line: 'return', step: false, run: () => ({ ret: 0 }) },
  ],
});

defineFn({
  name: 'vfio_device_fops_release',
  file: coreFile,
  params: ['d', 'g'],
  when: (v) => v.core !== 'group_open',
  body: [
    lockDevSet(),
    { line: 'vfio_assert_device_open(device)', step: false, when: shape('device_open') },
    lockGroup('read', {
      of: 'device',
      when: cap('every-open', 'first-open'),
      why: { v2: 'v2-read-lock-over-open' },
    }),
    {
      line: 'if (device->open_count == 1 && device->ops->close_device)',
      step: false,
      run: (x) => (dev(x).openCount === 1 ? undefined : { goto: 'skip' }),
    },
    callDriver('\tdevice->ops->close_device(device)', 'close_device'),
    mark('skip'),
    {
      line: 'vfio_device_container_unregister(device)',
      step: false,
      when: (v) => v.iommu === 'dma_unmap',
    },
    unlockGroup('read', { of: 'device', when: cap('first-open'), why: { after: 'v3-count-out' } }),
    countDown,
    {
      line: 'if (device->open_count == 0) device->kvm = NULL',
      step: false,
      when: cap('every-open', 'first-open'),
      run: (x) => (dev(x).openCount === 0 ? clearKvm(x) : undefined),
    },
    unlockGroup('read', { of: 'device', when: cap('every-open') }),
    // v1: the core drops its reference after the last close, under the write lock.
    lockGroup('write', {
      of: 'device',
      when: cap('core-get'),
      why: { v1: 'device-kvm', v2: 'v2-read-lock-over-open' },
    }),
    {
      line: 'if (device->open_count == 0 && device->kvm) {',
      step: false,
      when: cap('core-get'),
      run: (x) => (dev(x).openCount === 0 && dev(x).kvm ? x.set('k', dev(x).kvm) : { goto: 'v1_unlock' }),
    },
    putKvm('\tkvm_put_kvm(device->kvm)', (x) => x.vmOrNull('k'), core, { when: cap('core-get') }),
    { line: '\tdevice->kvm = NULL; }', step: false, when: cap('core-get'), run: clearKvm },
    unlockGroup('write', { of: 'device', when: cap('core-get'), label: 'v1_unlock' }),
    unlockDevSet(),
    { line: 'module_put(device->dev->driver->owner)', step: false },
    call(
      'vfio_device_unassign_container(device)',
      'vfio_device_unassign_container',
      (x) => ({ d: x.str('d'), g: x.str('g') }),
      {
        when: shape('device_open'),
      },
    ),
    { line: 'vfio_group_try_dissolve_container(device->group)', step: false, when: shape('get_device_fd') },
    { line: 'vfio_device_put(device); return 0', step: false, run: () => ({ ret: 0 }) },
  ],
});

/* ------------------------------------------------------ v6.2 on: group.c */

defineFn({
  name: 'vfio_device_fops_release',
  file: coreFile,
  params: ['d', 'g'],
  when: shape('group_open'),
  body: [
    call(
      (v) => (v.dfApi ? 'vfio_df_group_close(df)' : 'vfio_device_group_close(device)'),
      'vfio_device_group_close',
      (x) => ({ d: x.str('d'), g: x.str('g') }),
      {},
    ),
    { line: 'vfio_device_put_registration(device); return 0', step: false, run: () => ({ ret: 0 }) },
  ],
});

defineFn({
  name: (v) => (v.dfApi ? 'vfio_df_group_close' : 'vfio_device_group_close'),
  key: 'vfio_device_group_close',
  file: groupFile,
  params: ['d', 'g'],
  when: shape('group_open'),
  body: [
    lockGroup('write', { of: 'device' }),
    lockDevSet({ when: cap('safe') }),
    call(
      'vfio_device_close(device, device->group->iommufd)',
      'vfio_device_close',
      (x) => ({ d: x.str('d'), g: x.str('g') }),
      {},
    ),
    {
      line: 'if (device->open_count == 0)',
      step: false,
      when: cap('safe'),
      run: (x) => (dev(x).openCount === 0 ? undefined : { goto: 'unlock' }),
    },
    call(
      "\tvfio_device_put_kvm(device)   /* the core's reference: after close_device */",
      'vfio_device_put_kvm',
      (x) => ({ d: x.str('d'), g: x.str('g') }),
      {
        when: cap('safe'),
      },
    ),
    unlockDevSet({ when: cap('safe'), label: 'unlock' }),
    unlockGroup('write', { of: 'device' }),
    { line: 'return', step: false, run: () => ({ ret: 0 }) },
  ],
});

defineFn({
  name: (v) => (v.dfApi ? 'vfio_df_close' : 'vfio_device_close'),
  key: 'vfio_device_close',
  file: coreFile,
  params: ['d', 'g'],
  when: shape('group_open'),
  body: [
    lockDevSet({ when: (v) => v.capture !== 'safe' }),
    { line: 'lockdep_assert_held(&device->dev_set->lock)', step: false, when: cap('safe') },
    { line: 'vfio_assert_device_open(device)', step: false },
    {
      line: 'if (device->open_count == 1)',
      step: false,
      run: (x) => (dev(x).openCount === 1 ? undefined : { goto: 'dec' }),
    },
    call(
      '\tvfio_device_last_close(device, iommufd)',
      'vfio_device_last_close',
      (x) => ({ d: x.str('d'), g: x.str('g') }),
      {},
    ),
    { ...countDown, label: 'dec' },
    unlockDevSet({ when: (v) => v.capture !== 'safe' }),
    { line: 'return', step: false, run: () => ({ ret: 0 }) },
  ],
});

defineFn({
  name: (v) => (v.dfApi ? 'vfio_df_device_last_close' : 'vfio_device_last_close'),
  key: 'vfio_device_last_close',
  file: coreFile,
  params: ['d', 'g'],
  when: shape('group_open'),
  body: [
    { line: 'lockdep_assert_held(&device->dev_set->lock)', step: false },
    { line: 'if (device->ops->close_device)', step: false },
    callDriver('\tdevice->ops->close_device(device)', 'close_device'),
    { line: 'device->kvm = NULL', step: false, when: cap('group-open'), run: clearKvm },
    {
      line: 'vfio_device_group_unuse_iommu(device); module_put(device->dev->driver->owner)',
      step: false,
      run: () => ({ ret: 0 }),
    },
  ],
});
