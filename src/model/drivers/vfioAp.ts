/**
 * s390 vfio-ap, drivers/s390/crypto/vfio_ap_ops.c. vfio_ap_mdev_set_kvm and
 * vfio_ap_mdev_unset_kvm take the VM's kvm->lock; what reaches them changed
 * (era.ts `ap`):
 *
 *   notifier     until the patch: the SET_KVM callback (the replay at
 *                registration, GROUP_ADD and GROUP_DEL at any time)
 *   v1           open_device: -EPERM without a VM, set_kvm; close: unset_kvm
 *   v2           the same with an extra get at set_kvm's top and an extra put
 *                at unset_kvm's end
 *   v3           -EINVAL without a VM (Tony Krowiak's review), no extra pair
 *   guests-lock  v6.0: matrix_dev->guests_lock → kvm->lock → matrix_dev->mdevs_lock
 *                (get_update_locks_for_kvm); the core registers dma_unmap
 *
 * In every era unset_kvm puts its reference before it unlocks kvm->lock: if
 * that put is the last, the unlock touches a freed VM (inferred; see
 * docs/kernel-reference.md).
 */
import { assign, assertEvent, setup } from 'xstate';
import type { Variant } from '../era.ts';
import { call, defineFn, mark, type Exec, type Instr } from '../program.ts';
import type { WithOut } from '../machines/table.ts';
import { lockKey, slot } from '../slots.ts';
import { acquire, deref, getKvm, putKvm, release, vmDesc } from '../kernel/lib.ts';
import type { DriverDescriptor } from './descriptor.ts';

/** struct ap_matrix_mdev, the fields that matter here. */
export interface MdevCtx extends WithOut<Record<string, never>> {
  /** matrix_mdev->kvm: a counted pointer while set. */
  kvm: string | null;
  /** Times the mdev's AP queues were reset (unset_kvm). */
  resets: number;
}

export type MdevEvent = { type: 'set'; k: string } | { type: 'unset' } | { type: 'reset_queues' };

export const mdevMachine = setup({
  types: {} as { context: MdevCtx; events: MdevEvent },
}).createMachine({
  id: 'ap_matrix_mdev',
  initial: 'unconfigured',
  context: { kvm: null, resets: 0, out: null },
  on: {
    reset_queues: { actions: assign(({ context }) => ({ resets: Math.min(context.resets + 1, 9) })) },
  },
  states: {
    unconfigured: {
      on: {
        set: {
          target: 'configured',
          actions: assign(({ event }) => {
            assertEvent(event, 'set');
            return { kvm: event.k };
          }),
        },
      },
    },
    configured: { on: { unset: { target: 'unconfigured', actions: assign({ kvm: null }) } } },
  },
});

const FILE = 'drivers/s390/crypto/vfio_ap_ops.c';
type Shape = Variant['ap'];
const is =
  (...s: Shape[]) =>
  (v: Variant) =>
    s.includes(v.ap);
const holder = (x: Pick<Exec, 'str'>) => `vfio-ap:${x.str('d')}`;
const drv = (x: Pick<Exec, 'str'>) => slot.driver(x.str('d'));
const mdev = (x: Pick<Exec, 'ctx' | 'str'>) => x.ctx<MdevCtx>(drv(x));
const kvmLock = (x: Pick<Exec, 'str'>) => lockKey.kvm(x.str('k'));
const K = (x: Pick<Exec, 'str'>) => x.str('k');
const oldLocks = (v: Variant) => !is('guests-lock')(v);
const newLocks = is('guests-lock');

/* ----------------------------------- the v6.0 lock helpers, in their order */

defineFn({
  name: 'get_update_locks_for_kvm',
  file: FILE,
  params: ['k'],
  when: newLocks,
  body: [
    acquire('mutex_lock(&matrix_dev->guests_lock)', () => lockKey.guests(), 'mutex'),
    acquire('if (kvm) mutex_lock(&kvm->lock)', kvmLock, 'mutex', { vm: K }),
    acquire('mutex_lock(&matrix_dev->mdevs_lock)', () => lockKey.mdevs(), 'mutex'),
    { line: 'return', step: false, run: () => ({ ret: 0 }) },
  ],
});

defineFn({
  name: 'release_update_locks_for_kvm',
  file: FILE,
  params: ['k'],
  when: newLocks,
  body: [
    release('mutex_unlock(&matrix_dev->mdevs_lock)', () => lockKey.mdevs(), 'mutex'),
    release('if (kvm) mutex_unlock(&kvm->lock)', kvmLock, 'mutex', { vm: K }),
    release('mutex_unlock(&matrix_dev->guests_lock)', () => lockKey.guests(), 'mutex'),
    { line: 'return', step: false, run: () => ({ ret: 0 }) },
  ],
});

const takeLocks: Instr[] = [
  acquire('mutex_lock(&kvm->lock)', kvmLock, 'mutex', { vm: K, when: oldLocks }),
  acquire('mutex_lock(&matrix_dev->lock)', () => lockKey.matrixDev(), 'mutex', { when: oldLocks }),
  call('get_update_locks_for_kvm(kvm)', 'get_update_locks_for_kvm', (x) => ({ k: K(x) }), {
    when: newLocks,
  }),
];
const dropLocks = (o: { label?: string; comment?: string } = {}): Instr[] => [
  {
    ...release(`mutex_unlock(&kvm->lock)${o.comment ? `   /* ${o.comment} */` : ''}`, kvmLock, 'mutex', {
      vm: K,
      when: oldLocks,
    }),
    label: o.label,
  },
  release('mutex_unlock(&matrix_dev->lock)', () => lockKey.matrixDev(), 'mutex', { when: oldLocks }),
  {
    ...call(
      `release_update_locks_for_kvm(kvm)${o.comment ? `   /* ${o.comment} */` : ''}`,
      'release_update_locks_for_kvm',
      (x) => ({ k: K(x) }),
      { when: newLocks },
    ),
    label: o.label,
  },
];

/* ------------------------------------------------------ set_kvm / unset_kvm */

defineFn({
  name: 'vfio_ap_mdev_set_kvm',
  file: FILE,
  params: ['d', 'k'],
  body: [
    getKvm('kvm_get_kvm(kvm)   /* the extra reference of v2 */', K, (x) => `vfio-ap-v2:${x.str('d')}`, {
      when: is('v2'),
      why: { after: 'v3-ap-extra-ref' },
    }),
    {
      line: 'if (kvm->arch.crypto.crycbd) { down_write(&kvm->arch.crypto.pqap_hook_rwsem); kvm->arch.crypto.pqap_hook = &matrix_mdev->pqap_hook; up_write(…)',
      src: 'if (kvm->arch.crypto.crycbd)',
      run: (x) => void deref(x, K(x), 'vfio_ap_mdev_set_kvm reads kvm->arch.crypto'),
      say: (n) => `${n.t}: vfio_ap_mdev_set_kvm points ${n.l.k}'s PQAP hook at ${n.l.d}`,
    },
    ...takeLocks,
    {
      line: 'list_for_each_entry(m, &matrix_dev->mdev_list, node) if (m != matrix_mdev && m->kvm == kvm) { unlock; return -EPERM; }',
      step: false,
      run: (x) => {
        for (const d of x.model.devices) {
          if (d.driver !== 'vfio-ap' || d.id === x.str('d')) continue;
          if (x.ctx<MdevCtx>(slot.driver(d.id)).kvm === K(x)) {
            x.set('other', d.id);
            return { goto: 'eperm' };
          }
        }
      },
    },
    getKvm('kvm_get_kvm(kvm)', K, holder),
    {
      line: 'matrix_mdev->kvm = kvm; kvm_arch_crypto_set_masks(kvm, …)',
      run: (x) => {
        x.send(drv(x), { type: 'set', k: K(x) });
        x.effect({
          kind: 'ptr',
          from: x.v.notifier ? `group:${x.model.groupOf(x.str('d'))}` : `device:${x.str('d')}`,
          to: `driver:${x.str('d')}`,
          vm: K(x),
        });
      },
      say: (n) =>
        `${n.t}: ${n.l.d}'s matrix_mdev->kvm = ${vmDesc(n, n.l.k as string)}; its AP adapters and domains appear in the guest`,
    },
    ...dropLocks(),
    { line: 'return 0', step: false, run: () => ({ ret: 0 }) },
    mark('eperm'),
    ...dropLocks({ comment: 'another mdev already uses this VM' }),
    { line: 'return -EPERM', step: false, run: () => ({ ret: '-EPERM' }) },
  ],
});

defineFn({
  name: 'vfio_ap_mdev_unset_kvm',
  file: FILE,
  params: ['d'],
  body: [
    {
      line: 'struct kvm *kvm = matrix_mdev->kvm; if (kvm && kvm->arch.crypto.crycbd) { down_write(&kvm->arch.crypto.pqap_hook_rwsem); kvm->arch.crypto.pqap_hook = NULL; up_write(…)',
      run: (x) => {
        const k = mdev(x).kvm;
        x.set('k', k);
        if (k === null) return { ret: 0 };
        deref(x, k, 'vfio_ap_mdev_unset_kvm reads kvm->arch.crypto');
      },
      say: (n) =>
        n.l.k
          ? `${n.t}: vfio_ap_mdev_unset_kvm clears ${n.l.k}'s PQAP hook`
          : `${n.t}: vfio_ap_mdev_unset_kvm: ${n.l.d} has no VM, nothing to do`,
    },
    ...takeLocks,
    {
      line: 'kvm_arch_crypto_clear_masks(kvm); vfio_ap_mdev_reset_queues(matrix_mdev)',
      run: (x) => void x.send(drv(x), { type: 'reset_queues' }),
      say: (n) => `${n.t}: vfio-ap clears ${n.l.k}'s crypto masks and resets ${n.l.d}'s AP queues`,
    },
    putKvm('kvm_put_kvm(kvm)   /* before the unlock below */', K, holder),
    {
      line: 'matrix_mdev->kvm = NULL',
      run: (x) => {
        x.send(drv(x), { type: 'unset' });
        x.effect({ kind: 'ptr', from: `device:${x.str('d')}`, to: `driver:${x.str('d')}`, vm: null });
      },
      say: (n) => `${n.t}: ${n.l.d}'s matrix_mdev->kvm = NULL`,
    },
    ...dropLocks({ comment: 'touches kvm after the put above' }),
    { line: '}', step: false },
    putKvm(
      'if (kvm) kvm_put_kvm(kvm)   /* the extra reference of v2 */',
      K,
      (x) => `vfio-ap-v2:${x.str('d')}`,
      {
        when: is('v2'),
        why: { after: 'v3-ap-extra-ref' },
      },
    ),
    { line: 'return', step: false, run: () => ({ ret: 0 }) },
  ],
});

/* ------------------------------------------------ until the patch: SET_KVM */

defineFn({
  name: 'vfio_ap_mdev_group_notifier',
  file: FILE,
  why: { v1: 'notifier-removed' },
  params: ['d', 'k'],
  when: is('notifier'),
  body: [
    { line: 'if (action != VFIO_GROUP_NOTIFY_SET_KVM) return NOTIFY_OK', step: false },
    { line: 'if (!data) {', step: false, run: (x) => (x.l.k === null ? undefined : { goto: 'set' }) },
    call('\tvfio_ap_mdev_unset_kvm(matrix_mdev)', 'vfio_ap_mdev_unset_kvm', (x) => ({ d: x.str('d') })),
    { line: '\treturn NOTIFY_OK; }', step: false, run: () => ({ ret: 0 }) },
    {
      line: 'if (vfio_ap_mdev_set_kvm(matrix_mdev, data)) notify_rc = NOTIFY_DONE   /* which the chain ignores */',
      label: 'set',
      step: false,
      run: (x) => ({ call: 'vfio_ap_mdev_set_kvm', args: { d: x.str('d'), k: x.str('k') }, into: 'r' }),
    },
    { line: 'return notify_rc', step: false, run: () => ({ ret: 0 }) },
  ],
});

const iommuNotifier = (v: Variant) => v.iommu !== 'dma_unmap';

defineFn({
  name: 'vfio_ap_mdev_open_device',
  file: FILE,
  params: ['d'],
  body: [
    call(
      'ret = vfio_register_notifier(dev, VFIO_GROUP_NOTIFY, &events, &matrix_mdev->group_notifier)   /* the replay calls set_kvm now */',
      'vfio_register_notifier',
      (x) => ({ d: x.str('d'), type: 'group' }),
      { into: 'r', when: is('notifier') },
    ),
    {
      line: (v) => `if (!vdev->kvm) return ${v.ap === 'v1' || v.ap === 'v2' ? '-EPERM' : '-EINVAL'}`,
      step: false,
      when: (v) => !is('notifier')(v),
      why: { after: 'v3-einval' },
      run: (x) => {
        const k = x.ctx(slot.device(x.str('d'))).kvm;
        if (k === null) return { ret: x.v.ap === 'v1' || x.v.ap === 'v2' ? '-EPERM' : '-EINVAL' };
        x.set('k', k);
      },
    },
    call(
      'ret = vfio_ap_mdev_set_kvm(matrix_mdev, vdev->kvm)',
      'vfio_ap_mdev_set_kvm',
      (x) => ({ d: x.str('d'), k: x.str('k') }),
      {
        into: 'r',
        when: (v) => !is('notifier')(v),
      },
    ),
    {
      line: 'if (ret) return ret   /* -EPERM: another mdev already uses this VM */',
      step: false,
      when: (v) => !is('notifier')(v),
      run: (x) => (x.l.r ? { ret: x.l.r } : undefined),
    },
    call(
      'ret = vfio_register_notifier(dev, VFIO_IOMMU_NOTIFY, &events, &matrix_mdev->iommu_notifier)',
      'vfio_register_notifier',
      (x) => ({ d: x.str('d'), type: 'iommu' }),
      { into: 'r', when: iommuNotifier },
    ),
    { line: 'return ret', step: false, run: (x) => ({ ret: x.l.r ?? 0 }) },
  ],
});

defineFn({
  name: 'vfio_ap_mdev_close_device',
  file: FILE,
  params: ['d'],
  body: [
    call(
      'vfio_unregister_notifier(dev, VFIO_IOMMU_NOTIFY, &matrix_mdev->iommu_notifier)',
      'vfio_unregister_notifier',
      (x) => ({ d: x.str('d'), type: 'iommu' }),
      { when: iommuNotifier },
    ),
    call(
      'vfio_unregister_notifier(dev, VFIO_GROUP_NOTIFY, &matrix_mdev->group_notifier)',
      'vfio_unregister_notifier',
      (x) => ({ d: x.str('d'), type: 'group' }),
      { when: is('notifier') },
    ),
    call('vfio_ap_mdev_unset_kvm(matrix_mdev)', 'vfio_ap_mdev_unset_kvm', (x) => ({ d: x.str('d') })),
    { line: 'return', step: false, run: () => ({ ret: 0 }) },
  ],
});

export const vfioAp: DriverDescriptor<MdevCtx> = {
  name: 'vfio-ap',
  title: 's390 vfio-ap (crypto)',
  shortTitle: 'vfio-ap',
  holderWords: (d) => `vfio-ap, for mdev ${d}`,
  objectName: (d) => `mdev(${d})`,
  machine: mdevMachine,
  hooks: (v) => ({
    open_device: 'vfio_ap_mdev_open_device',
    close_device: 'vfio_ap_mdev_close_device',
    group_notifier: v.notifier ? 'vfio_ap_mdev_group_notifier' : null,
    release_work: null,
  }),
  driverKvm: (c: MdevCtx): string | null => c.kvm,
  requiresKvm: true,
  pointerName: () => 'matrix_mdev->kvm',
  fields: (c) => [{ name: 'AP queue resets', value: String(c.resets) }],
  locks: (v) => (v.ap === 'guests-lock' ? [lockKey.guests(), lockKey.mdevs()] : [lockKey.matrixDev()]),
};
