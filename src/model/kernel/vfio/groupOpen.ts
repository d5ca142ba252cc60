/**
 * v6.2 on: group.c's vfio_device_group_open takes group_lock, then
 * vfio_device_open takes dev_set->lock; from 2b48f52f2bff group.c takes both,
 * and the core takes its own reference with kvm_get_kvm_safe before the
 * first open (vfio_df_* names at 9e0f4f2918c2).
 */
import { call, defineFn, label } from '../../program.ts';
import { slot } from '../../slots.ts';
import { acquire, lockGroup, lockKey, release, unlockGroup, putKvm, getKvmSafe } from '../lib.ts';
import { coreFile, groupFile } from './files.ts';
import { callDriver, clearKvm, firstOpenDone } from './driverCall.ts';
import { cap, core, countDown, countUp, dev, lockDevSet, shape, unlockDevSet } from './common.ts';

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
