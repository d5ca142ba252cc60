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
import { call, defineFn, label, type Exec, type Instr } from '../../program.ts';
import type { Variant } from '../../era.ts';
import { slot } from '../../slots.ts';
import { acquire, lockGroup, lockKey, release, unlockGroup, getKvm, putKvm, getKvmSafe } from '../lib.ts';
import { coreFile, groupFile, groupOfDevice } from './files.ts';
import {
  callDriver,
  captureKvm,
  clearKvm,
  decOpenCount,
  firstOpenDone,
  incOpenCount,
  sayCapture,
  sayOpenCount,
} from './driverCall.ts';

const devSet = (x: Pick<Exec, 'str'>) => lockKey.devSet(x.str('d'));
const dev = (x: Pick<Exec, 'ctx' | 'str'>) => x.ctx(slot.device(x.str('d')));
const core = (x: Pick<Exec, 'str'>) => `core:${x.str('d')}`;
const shape = (s: Variant['core']) => (v: Variant) => v.core === s;
const cap =
  (...c: Variant['capture'][]) =>
  (v: Variant) =>
    c.includes(v.capture);
const hasGroupLock = (v: Variant) => v.groupLock !== 'none';

const lockDevSet = (o: { label?: string; src?: string; when?: (v: Variant) => boolean } = {}) =>
  acquire('mutex_lock(&device->dev_set->lock)', devSet, 'mutex', { ...o });
const unlockDevSet = (
  o: { label?: string; src?: string; when?: (v: Variant) => boolean; also?: (x: Exec) => void } = {},
) => release('mutex_unlock(&device->dev_set->lock)', devSet, 'mutex', { ...o });

const countUp: Instr = { line: 'device->open_count++', run: incOpenCount, say: sayOpenCount };
const countDown: Instr = { line: 'device->open_count--', run: decOpenCount, say: sayOpenCount };

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

/* ------------------------------------------------------ v6.2 on: group.c */

defineFn({
  name: 'vfio_device_open_file',
  key: 'device_open_file',
  file: groupFile,
  params: ['d', 'g', 'fail'],
  when: shape('group_open'),
  body: [
    call(
      (v) => (v.dfApi ? 'ret = vfio_df_group_open(df)' : 'ret = vfio_device_group_open(device)'),
      'vfio_device_group_open',
      (x) => ({ d: x.str('d'), g: x.str('g') }),
      {
        into: 'r',
      },
    ),
    { line: 'if (ret) goto err_out', step: false, run: (x) => (x.l.r ? { goto: 'err_out' } : undefined) },
    {
      line: 'filep = anon_inode_getfile("[vfio-device]", &vfio_device_fops, device, O_RDWR); if (IS_ERR(filep)) goto err_close_device',
      step: false,
      run: (x) =>
        x.l.fail === 'anon_inode_getfile' ? (x.set('r', '-ENOMEM'), { goto: 'err_close_device' }) : undefined,
    },
    { line: 'return filep', step: false, run: () => ({ ret: 0 }) },
    label('err_close_device'),
    call(
      (v) => (v.dfApi ? 'vfio_df_group_close(df)' : 'vfio_device_group_close(device)'),
      'vfio_device_group_close',
      (x) => ({ d: x.str('d'), g: x.str('g') }),
    ),
    label('err_out'),
    { line: 'return ERR_PTR(ret)', step: false, run: (x) => ({ ret: x.l.r ?? null }) },
  ],
});

defineFn({
  name: (v) => (v.dfApi ? 'vfio_df_group_open' : 'vfio_device_group_open'),
  key: 'vfio_device_group_open',
  file: groupFile,
  params: ['d', 'g'],
  when: shape('group_open'),
  body: [
    lockGroup('write', { of: 'device' }),
    { line: 'if (!vfio_group_has_iommu(device->group)) { ret = -EINVAL; goto out_unlock; }', step: false },
    lockDevSet({ when: cap('safe') }),
    {
      line: 'if (device->open_count == 0)',
      step: false,
      when: cap('safe'),
      run: (x) => (dev(x).openCount === 0 ? undefined : { goto: 'open' }),
    },
    call(
      '\tvfio_device_group_get_kvm_safe(device)',
      'vfio_device_group_get_kvm_safe',
      (x) => ({ d: x.str('d'), g: x.str('g') }),
      {
        when: cap('safe'),
      },
    ),
    {
      line: (v) =>
        v.dfApi
          ? 'ret = vfio_df_open(df)'
          : v.capture === 'safe'
            ? 'ret = vfio_device_open(device, device->group->iommufd, device->kvm)'
            : 'ret = vfio_device_open(device, device->group->iommufd, device->group->kvm)   /* the pointer, read under group_lock */',
      label: 'open',
      step: false,
      run: (x) => ({
        call: 'vfio_device_open',
        args: {
          d: x.str('d'),
          g: x.str('g'),
          k: x.v.capture === 'safe' ? null : x.ctx(slot.group(x.str('g'))).kvm,
        },
        into: 'r',
      }),
    },
    {
      line: 'if (device->open_count == 0)',
      step: false,
      when: cap('safe'),
      run: (x) => (dev(x).openCount === 0 ? undefined : { goto: 'unlock_dev_set' }),
    },
    call(
      "\tvfio_device_put_kvm(device)   /* the first open failed: drop the core's reference */",
      'vfio_device_put_kvm',
      (x) => ({ d: x.str('d'), g: x.str('g') }),
      {
        when: cap('safe'),
      },
    ),
    unlockDevSet({ when: cap('safe'), label: 'unlock_dev_set' }),
    unlockGroup('write', { of: 'device', label: 'out_unlock' }),
    { line: 'return ret', step: false, run: (x) => ({ ret: x.l.r ?? 0 }) },
  ],
});

/** v6.3: take the core's own reference before the first open. */
defineFn({
  name: 'vfio_device_group_get_kvm_safe',
  file: groupFile,
  params: ['d', 'g'],
  when: cap('safe'),
  body: [
    acquire('spin_lock(&device->group->kvm_ref_lock)', (x) => lockKey.kvmRef(x.str('g')), 'spin'),
    {
      line: (v) =>
        v.dfApi
          ? 'kvm = device->group->kvm   /* vfio_device_get_kvm_safe returns at once if it is NULL */'
          : 'if (!device->group->kvm) goto unlock',
      step: false,
      run: (x) => {
        const k = x.ctx(slot.group(x.str('g'))).kvm;
        x.set('k', k);
        return k ? undefined : { goto: 'unlock' };
      },
    },
    call(
      (v) =>
        v.dfApi
          ? 'vfio_device_get_kvm_safe(device, device->group->kvm)'
          : '_vfio_device_get_kvm_safe(device, device->group->kvm)',
      '_vfio_device_get_kvm_safe',
      (x) => ({
        d: x.str('d'),
        g: x.str('g'),
        k: x.str('k'),
      }),
    ),
    release('spin_unlock(&device->group->kvm_ref_lock)', (x) => lockKey.kvmRef(x.str('g')), 'spin', {
      label: 'unlock',
    }),
    { line: 'return', step: false, run: () => ({ ret: 0 }) },
  ],
});

defineFn({
  name: (v) => (v.dfApi ? 'vfio_device_get_kvm_safe' : '_vfio_device_get_kvm_safe'),
  key: '_vfio_device_get_kvm_safe',
  file: coreFile,
  params: ['d', 'g', 'k'],
  when: cap('safe'),
  body: [
    { line: 'pfn = symbol_get(kvm_put_kvm); fn = symbol_get(kvm_get_kvm_safe)', step: false },
    getKvmSafe('ret = fn(kvm)', (x) => x.str('k'), core, { into: 'ok' }),
    {
      line: 'symbol_put(kvm_get_kvm_safe); if (!ret) { symbol_put(kvm_put_kvm); return; }',
      step: false,
      run: (x) => (x.l.ok ? undefined : { ret: 0 }),
    },
    {
      line: 'device->put_kvm = pfn; device->kvm = kvm',
      step: false,
      run: (x) => {
        const k = x.str('k');
        x.send(slot.device(x.str('d')), { type: 'capture_kvm', k });
        x.effect({ kind: 'ptr', from: `group:${x.str('g')}`, to: `device:${x.str('d')}`, vm: k });
      },
    },
    { line: 'return', step: false, run: () => ({ ret: 0 }) },
  ],
});

defineFn({
  name: 'vfio_device_put_kvm',
  file: coreFile,
  params: ['d', 'g'],
  when: cap('safe'),
  body: [
    {
      line: 'if (!device->kvm) return',
      step: false,
      run: (x) => {
        const k = dev(x).kvm;
        if (k === null) return { ret: 0 };
        x.set('k', k);
      },
    },
    putKvm(
      "device->put_kvm(device->kvm)   /* kvm_put_kvm: the core's reference */",
      (x) => x.vmOrNull('k'),
      core,
      {},
    ),
    {
      line: 'device->put_kvm = NULL; symbol_put(kvm_put_kvm); device->kvm = NULL',
      step: false,
      run: (x) => (clearKvm(x), { ret: 0 }),
    },
  ],
});

defineFn({
  name: (v) => (v.dfApi ? 'vfio_df_open' : 'vfio_device_open'),
  key: 'vfio_device_open',
  file: coreFile,
  params: ['d', 'g', 'k'],
  when: shape('group_open'),
  body: [
    lockDevSet({ when: (v) => v.capture !== 'safe' }),
    { line: 'lockdep_assert_held(&device->dev_set->lock)', step: false, when: cap('safe') },
    countUp,
    {
      line: 'if (device->open_count == 1) {',
      step: false,
      run: (x) => (dev(x).openCount === 1 ? undefined : { goto: 'done' }),
    },
    call(
      (v) =>
        v.dfApi
          ? '\tret = vfio_df_device_first_open(df)'
          : '\tret = vfio_device_first_open(device, iommufd, kvm)',
      'vfio_device_first_open',
      (x) => ({ d: x.str('d'), g: x.str('g'), k: x.vmOrNull('k') }),
      { into: 'r' },
    ),
    {
      line: '\tif (ret) device->open_count--; }',
      step: false,
      run: (x) => (x.l.r ? { goto: 'undo' } : (firstOpenDone(x), { goto: 'done' })),
    },
    { ...countDown, label: 'undo' },
    unlockDevSet({ label: 'done', when: (v) => v.capture !== 'safe' }),
    { line: 'return ret', step: false, run: (x) => ({ ret: x.l.r ?? 0 }) },
  ],
});

defineFn({
  name: (v) => (v.dfApi ? 'vfio_df_device_first_open' : 'vfio_device_first_open'),
  key: 'vfio_device_first_open',
  file: coreFile,
  params: ['d', 'g', 'k'],
  when: shape('group_open'),
  body: [
    { line: 'lockdep_assert_held(&device->dev_set->lock)', step: false },
    { line: 'if (!try_module_get(device->dev->driver->owner)) return -ENODEV', step: false },
    {
      line: "ret = vfio_device_group_use_iommu(device)   /* registers the driver's dma_unmap */",
      step: false,
    },
    {
      line: 'device->kvm = kvm',
      when: cap('group-open'),
      run: (x) => {
        const k = x.vmOrNull('k');
        x.send(slot.device(x.str('d')), { type: 'capture_kvm', k });
        x.effect({ kind: 'ptr', from: `group:${x.str('g')}`, to: `device:${x.str('d')}`, vm: k });
      },
      say: (n) =>
        `${n.t}: vfio_device_first_open sets ${n.l.d}->kvm = ${n.l.k ?? 'NULL'} (the value group.c read under group_lock)`,
    },
    { line: 'if (device->ops->open_device) {', step: false },
    callDriver('\tret = device->ops->open_device(device)', 'open_device'),
    {
      line: '\tif (ret) goto err_unuse_iommu; }',
      step: false,
      run: (x) => (x.l.r ? { goto: 'err_unuse_iommu' } : undefined),
    },
    { line: 'return 0', step: false, run: () => ({ ret: 0 }) },
    label('err_unuse_iommu'),
    { line: 'device->kvm = NULL', step: false, when: cap('group-open'), run: clearKvm },
    {
      line: 'vfio_device_group_unuse_iommu(device); module_put(device->dev->driver->owner); return ret',
      step: false,
      run: (x) => ({ ret: x.l.r ?? null }),
    },
  ],
});

export { hasGroupLock };
