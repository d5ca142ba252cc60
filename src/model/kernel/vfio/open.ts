/**
 * VFIO_GROUP_GET_DEVICE_FD: opening a device fd, in the three shapes the
 * core had (era.ts `core`):
 *
 *   v5.18        vfio_group_get_device_fd does it all under dev_set->lock
 *   May 2022 –   vfio_group_get_device_fd → vfio_device_open: the container is
 *   v6.1         assigned under the group lock, then dev_set->lock; what
 *                happens to device->kvm on the first open is the patch (v1,
 *                v2, v3) and its later forms
 *   v6.2 on      group.c's vfio_device_group_open takes group_lock, then
 *                vfio_device_open takes dev_set->lock (v6.3: group.c takes
 *                both, and the core's own kvm reference)
 */
import { call, defineFn, label } from '../../program.ts';
import { slot } from '../../slots.ts';
import { coreFile, groupFile, groupOfDevice } from './files.ts';
import { callDriver, firstOpenDone } from './driverCall.ts';
import { countDown, countUp, dev, lockDevSet, shape, unlockDevSet } from './common.ts';

/** The ioctl on the group fd. */
defineFn({
  name: 'vfio_group_fops_unl_ioctl',
  key: 'open_device_op',
  file: groupFile,
  params: ['d', 'fail'],
  body: [
    call(
      (v) =>
        v.iommu === 'dma_unmap'
          ? 'case VFIO_GROUP_GET_DEVICE_FD: return vfio_group_ioctl_get_device_fd(group, uarg)'
          : 'case VFIO_GROUP_GET_DEVICE_FD: ret = vfio_group_get_device_fd(group, buf)',
      'get_device_fd',
      (x) => ({ d: x.str('d'), g: groupOfDevice(x), fail: x.l.fail ?? null }),
      { into: 'r' },
    ),
    { line: 'return ret', step: false, run: (x) => ({ ret: x.l.r ?? 0 }) },
  ],
});

/* ------------------------------------------------- v5.18: all in one place */

defineFn({
  name: 'vfio_group_get_device_fd',
  key: 'get_device_fd',
  file: coreFile,
  params: ['d', 'g', 'fail'],
  when: shape('get_device_fd'),
  body: [
    { line: 'device = vfio_device_get_from_name(group, buf)   /* a device reference */', step: false },
    {
      line: 'if (!try_module_get(device->dev->driver->owner)) { ret = -ENODEV; goto err_device_put; }',
      step: false,
    },
    lockDevSet(),
    countUp,
    {
      line: 'if (device->open_count == 1 && device->ops->open_device) {',
      step: false,
      run: (x) => (dev(x).openCount === 1 ? undefined : { goto: 'opened' }),
    },
    callDriver('\tret = device->ops->open_device(device)', 'open_device'),
    {
      line: '\tif (ret) goto err_undo_count; }',
      step: false,
      run: (x) => (x.l.r ? { goto: 'err_undo_count' } : undefined),
    },
    unlockDevSet({ label: 'opened', also: (x) => (x.set('r', 0), firstOpenDone(x)) }),
    {
      line: 'filep = anon_inode_getfile("[vfio-device]", &vfio_device_fops, device, O_RDWR); if (IS_ERR(filep)) goto err_close_device',
      step: false,
      run: (x) =>
        x.l.fail === 'anon_inode_getfile' ? (x.set('r', '-ENOMEM'), { goto: 'err_close_device' }) : undefined,
    },
    {
      line: 'atomic_inc(&group->container_users); fd_install(fdno, filep); return fdno',
      step: false,
      run: (x) => (x.send(slot.device(x.str('d')), { type: 'fd_install' }), { ret: 0 }),
    },
    label('err_close_device'),
    lockDevSet(),
    {
      line: 'if (device->open_count == 1 && device->ops->close_device)',
      step: false,
      run: (x) => (dev(x).openCount === 1 ? undefined : { goto: 'err_undo_count' }),
    },
    callDriver('\tdevice->ops->close_device(device)', 'close_device'),
    label('err_undo_count'),
    countDown,
    unlockDevSet(),
    { line: 'module_put(device->dev->driver->owner)', step: false },
    label('err_device_put'),
    { line: 'vfio_device_put(device); return ret', step: false, run: (x) => ({ ret: x.l.r ?? null }) },
  ],
});

/* -------------------------------- May 2022 – v6.1: vfio_device_open (vfio.c) */

defineFn({
  name: (v) => (v.iommu === 'dma_unmap' ? 'vfio_group_ioctl_get_device_fd' : 'vfio_group_get_device_fd'),
  key: 'get_device_fd',
  file: groupFile,
  params: ['d', 'g', 'fail'],
  when: (v) => v.core !== 'get_device_fd',
  body: [
    {
      line: 'device = vfio_device_get_from_name(group, buf); fdno = get_unused_fd_flags(O_CLOEXEC)',
      step: false,
    },
    call(
      (v) =>
        v.core === 'group_open'
          ? 'filep = vfio_device_open_file(device)'
          : 'filep = vfio_device_open(device)',
      'device_open_file',
      (x) => ({ d: x.str('d'), g: x.str('g'), fail: x.l.fail ?? null }),
      { into: 'r' },
    ),
    {
      line: 'if (IS_ERR(filep)) { put_unused_fd(fdno); ret = PTR_ERR(filep); goto err_put_device; }',
      step: false,
      run: (x) => (x.l.r !== 0 ? { ret: x.l.r ?? null } : undefined),
    },
    {
      line: 'fd_install(fdno, filep); return fdno',
      step: false,
      run: (x) => (x.send(slot.device(x.str('d')), { type: 'fd_install' }), { ret: 0 }),
    },
  ],
});
