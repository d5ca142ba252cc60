/**
 * vfio_register_notifier / vfio_unregister_notifier and their two helpers:
 * the IOMMU (DMA unmap) notifier and the group's SET_KVM notifier, as GVT and
 * vfio-ap used them from open_device/close_device until v6.0 replaced the
 * IOMMU notifier with a dma_unmap callback the core registers itself
 * (ce4b4657ff18, 8cfc5b60751b). The SET_KVM notifier is what the patch
 * removed.
 *
 * The replay: registering for SET_KVM calls the new callback at once with
 * the group's current kvm — read with no lock in v5.18, under group_rwsem
 * (read) from be8d3adae65c on.
 */
import { call, defineFn, type Exec } from '../../program.ts';
import type { Variant } from '../../era.ts';
import { slot } from '../../slots.ts';
import { lockGroup, unlockGroup } from '../lib.ts';
import { coreFile, groupOfDevice } from './files.ts';

const hasIommuNotifier = (v: Variant) => v.iommu !== 'dma_unmap';

for (const dir of ['register', 'unregister'] as const) {
  defineFn({
    name: `vfio_${dir}_notifier`,
    file: coreFile,
    params: ['d', 'type'],
    when: hasIommuNotifier,
    body: [
      {
        line: (v) =>
          v.fileApi
            ? 'struct vfio_group *group = device->group'
            : 'group = vfio_group_get_from_dev(dev)   /* takes a group reference */',
        step: false,
        run: (x) => x.set('g', groupOfDevice(x)),
      },
      {
        line: 'switch (type) { case VFIO_IOMMU_NOTIFY:',
        step: false,
        run: (x) => (x.str('type') === 'group' ? { goto: 'group' } : undefined),
      },
      call(
        `\tret = vfio_${dir}_iommu_notifier(group, ${dir === 'register' ? 'events, ' : ''}nb); break`,
        `vfio_${dir}_iommu_notifier`,
        (x) => ({ d: x.str('d'), g: x.str('g') }),
        { into: 'r' },
      ),
      {
        line: 'case VFIO_GROUP_NOTIFY:',
        label: 'group',
        step: false,
        when: (v) => v.notifier,
        run: (x) => (x.str('type') === 'group' ? undefined : { goto: 'out' }),
      },
      dir === 'register'
        ? call(
            '\tret = vfio_register_group_notifier(group, events, nb); break }',
            'vfio_register_group_notifier',
            (x) => ({ d: x.str('d'), g: x.str('g') }),
            { into: 'r', when: (v) => v.notifier },
          )
        : call(
            '\tret = blocking_notifier_chain_unregister(&group->notifier, nb); break }',
            'blocking_notifier_chain_unregister',
            (x) => ({ d: x.str('d'), g: x.str('g') }),
            { into: 'r', when: (v) => v.notifier },
          ),
      { line: '}', label: 'out', step: false },
      {
        line: (v) => (v.fileApi ? 'return ret' : 'vfio_group_put(group); return ret'),
        step: false,
        run: (x) => ({ ret: x.l.r ?? 0 }),
      },
    ],
  });

  defineFn({
    name: `vfio_${dir}_iommu_notifier`,
    file: coreFile,
    params: ['d', 'g'],
    when: hasIommuNotifier,
    body: [
      {
        line: 'ret = vfio_group_add_container_user(group)   /* no group lock exists yet */',
        step: false,
        when: (v) => v.iommu === 'unlocked',
      },
      lockGroup('read', { when: (v) => v.iommu === 'rlock' }),
      {
        line: 'lockdep_assert_held_read(&group->group_rwsem)   /* the caller holds it: open_device/close_device */',
        step: false,
        when: (v) => v.iommu === 'assert',
        why: { v2: 'v2-read-lock-over-open' },
      },
      {
        line: `ret = driver->ops->${dir}_notifier(container->iommu_data, ${dir === 'register' ? 'events, ' : ''}nb)`,
        step: false,
      },
      unlockGroup('read', { when: (v) => v.iommu === 'rlock' }),
      { line: 'vfio_group_try_dissolve_container(group)', step: false, when: (v) => v.iommu === 'unlocked' },
      { line: 'return ret', step: false, run: () => ({ ret: 0 }) },
    ],
  });
}

defineFn({
  name: 'vfio_register_group_notifier',
  file: coreFile,
  why: { v1: 'notifier-removed' },
  params: ['d', 'g'],
  when: (v) => v.notifier,
  body: [
    {
      line: '/* strip VFIO_GROUP_NOTIFY_SET_KVM from *events; any other bit: -EINVAL */',
      step: false,
    },
    {
      line: 'ret = vfio_group_add_container_user(group)',
      step: false,
      when: (v) => v.groupLock === 'none',
    },
    call(
      'ret = blocking_notifier_chain_register(&group->notifier, nb)',
      'blocking_notifier_chain_register',
      (x) => ({ g: x.str('g'), d: x.str('d') }),
    ),
    { line: "/* replay: tell the new listener the group's kvm now */", step: false },
    lockGroup('read'),
    {
      line: 'if (!ret && set_kvm && group->kvm)   /* read with no lock held */',
      when: (v) => v.groupLock === 'none',
      run: (x) => x.set('k', x.ctx(slot.group(x.str('g'))).kvm),
      say: (n) =>
        `${n.t}: vfio_register_group_notifier reads ${n.l.g}->kvm = ${n.l.k ?? 'NULL'} with no lock held`,
    },
    {
      line: 'if (!ret && set_kvm && group->kvm)',
      step: false,
      when: (v) => v.groupLock !== 'none',
      run: (x) => x.set('k', x.ctx(slot.group(x.str('g'))).kvm),
    },
    {
      line: '\tblocking_notifier_call_chain(&group->notifier, VFIO_GROUP_NOTIFY_SET_KVM, group->kvm)',
      step: false,
      run: (x: Exec) =>
        x.l.k ? { call: 'blocking_notifier_call_chain', args: { g: x.str('g'), k: x.str('k') } } : undefined,
    },
    unlockGroup('read'),
    {
      line: 'vfio_group_try_dissolve_container(group)',
      step: false,
      when: (v) => v.groupLock === 'none',
    },
    { line: 'return ret', step: false, run: () => ({ ret: 0 }) },
  ],
});
