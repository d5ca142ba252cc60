/**
 * s390 vfio-ap, drivers/s390/crypto/vfio_ap_ops.c (domain.md §2.5, §3.6).
 * `vfio_ap_mdev_set_kvm` / `unset_kvm` are the same in every era; only the
 * way they are reached changes (SET_KVM callback before, open/close after).
 */
import { assign, setup } from 'xstate';
import type { Variant } from '../era.ts';
import { defineFn, label, type Exec } from '../program.ts';
import type { WithOut } from '../machines/table.ts';
import type { DeviceCtx } from '../machines/vfioDevice.ts';
import { acquire, deref, kget, kput, lockKey, release, vmDesc } from '../kernel/lib.ts';

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
        set: { target: 'configured', actions: assign(({ event }) => ({ kvm: (event as { k: string }).k })) },
      },
    },
    configured: { on: { unset: { target: 'unconfigured', actions: assign({ kvm: null }) } } },
  },
});

const notifierEra = (v: Variant) => v.notifier;
const holder = (x: Pick<Exec, 'str'>) => `vfio-ap:${x.str('d')}`;
const mdev = (x: Pick<Exec, 'ctx' | 'str'>) => x.ctx<MdevCtx>(`driver:${x.str('d')}`);
const kvmLock = (x: Pick<Exec, 'str'>) => lockKey.kvm(x.str('k'));
const K = (x: Pick<Exec, 'str'>) => x.str('k');

defineFn({
  name: 'vfio_ap_mdev_set_kvm',
  file: 'drivers/s390/crypto/vfio_ap_ops.c',
  params: ['d', 'k'],
  body: [
    {
      line: 'if K has a crypto control block: wlock(K.pqap_hook_rwsem); K.pqap_hook := &m.pqap_hook; wunlock',
      run: (x) => void deref(x, x.str('k'), 'vfio_ap_mdev_set_kvm reads K->arch.crypto'),
      say: (n) => `${n.t}: vfio_ap_mdev_set_kvm points ${n.l.k}'s PQAP hook at ${n.l.d}`,
    },
    acquire('lock(K.lock)', kvmLock, 'mutex', { vm: K }),
    acquire('lock(matrix_dev.lock)', () => lockKey.matrixDev(), 'mutex'),
    {
      line: 'if some OTHER mdev already has kvm == K: goto EPERM',
      step: false,
      run: (x) => {
        for (const d of x.model.devices) {
          if (d.driver !== 'vfio-ap' || d.id === x.str('d')) continue;
          if (x.ctx<MdevCtx>(`driver:${d.id}`).kvm === x.str('k'))
            return (x.set('other', d.id), { goto: 'EPERM' });
        }
      },
    },
    {
      line: 'kvm_get_kvm(K); m.kvm := K',
      run: (x) => {
        if (!kget(x, x.str('k'), holder(x))) return;
        x.send(`driver:${x.str('d')}`, { type: 'set', k: x.str('k') });
        x.effect({
          kind: 'ptr',
          from: x.v.notifier ? `group:${groupOf(x)}` : `device:${x.str('d')}`,
          to: `driver:${x.str('d')}`,
          vm: x.str('k'),
        });
      },
      say: (n) =>
        `${n.t}: vfio-ap takes its reference and sets ${n.l.d}'s matrix_mdev->kvm := ${vmDesc(n, n.l.k as string)}`,
    },
    {
      line: 'kvm_arch_crypto_set_masks(K, m.apm, m.aqm, m.adm)   # AP adapters/domains appear in the guest',
      step: false,
    },
    release('unlock(matrix_dev.lock)', () => lockKey.matrixDev(), 'mutex'),
    release('unlock(K.lock)', kvmLock, 'mutex', { vm: K }),
    { line: 'return 0', step: false, run: () => ({ ret: 0 }) },
    label('EPERM'),
    release('unlock(matrix_dev.lock)   # mdev %other already owns K', () => lockKey.matrixDev(), 'mutex'),
    release('unlock(K.lock)', kvmLock, 'mutex', { vm: K }),
    {
      line: 'FAIL(-EPERM)   # K.pqap_hook still points at this mdev (aside, §2.5)',
      step: false,
      run: () => ({ ret: '-EPERM' }),
    },
  ],
});

function groupOf(x: Exec): string {
  return x.model.devices.find((d) => d.id === x.str('d'))!.group;
}

defineFn({
  name: 'vfio_ap_mdev_unset_kvm',
  file: 'drivers/s390/crypto/vfio_ap_ops.c',
  params: ['d'],
  body: [
    {
      line: 'K := m.kvm; if K and K has crycbd: wlock(K.pqap_hook_rwsem); K.pqap_hook := NULL; wunlock',
      run: (x) => {
        const k = mdev(x).kvm;
        x.set('k', k);
        if (k === null) return { ret: 0 };
        deref(x, k, 'vfio_ap_mdev_unset_kvm reads K->arch.crypto');
      },
      say: (n) =>
        n.l.k
          ? `${n.t}: vfio_ap_mdev_unset_kvm clears ${n.l.k}'s PQAP hook`
          : `${n.t}: vfio_ap_mdev_unset_kvm: ${n.l.d} has no KVM, nothing to do`,
    },
    acquire('lock(K.lock)', kvmLock, 'mutex', { vm: K }),
    acquire('lock(matrix_dev.lock)', () => lockKey.matrixDev(), 'mutex'),
    {
      line: "kvm_arch_crypto_clear_masks(K); reset all the mdev's AP queues",
      run: (x) => void x.send(`driver:${x.str('d')}`, { type: 'reset_queues' }),
      say: (n) => `${n.t}: vfio-ap clears ${n.l.k}'s crypto masks and resets ${n.l.d}'s AP queues`,
    },
    {
      line: 'kvm_put_kvm(K)',
      run: (x) => kput(x, x.str('k'), holder(x)),
      say: (n) => `${n.t}: vfio-ap drops its reference: ${vmDesc(n, n.l.k as string)}`,
    },
    {
      line: 'm.kvm := NULL',
      run: (x) => {
        x.send(`driver:${x.str('d')}`, { type: 'unset' });
        x.effect({ kind: 'ptr', from: `device:${x.str('d')}`, to: `driver:${x.str('d')}`, vm: null });
      },
      say: (n) => `${n.t}: ${n.l.d}'s matrix_mdev->kvm := NULL`,
    },
    release('unlock(matrix_dev.lock)', () => lockKey.matrixDev(), 'mutex'),
    release(
      'unlock(K.lock)   # touches K after the put above (INFERRED hazard if that put was the last)',
      kvmLock,
      'mutex',
      { vm: K },
    ),
    { line: 'return', step: false, run: () => ({ ret: 0 }) },
  ],
});

/* ----------------------------------------------------------- before (§2.5) */

defineFn({
  name: 'vfio_ap_mdev_group_notifier',
  file: 'drivers/s390/crypto/vfio_ap_ops.c',
  params: ['d', 'k'],
  when: notifierEra,
  body: [
    {
      line: 'if k != NULL: goto SET',
      step: false,
      run: (x) => (x.l.k !== null ? { goto: 'SET' } : undefined),
    },
    {
      line: 'vfio_ap_mdev_unset_kvm(m)',
      step: false,
      run: (x) => ({ call: 'vfio_ap_mdev_unset_kvm', args: { d: x.str('d') } }),
    },
    { line: 'return NOTIFY_OK', step: false, run: () => ({ ret: 0 }) },
    label('SET'),
    {
      line: 'if vfio_ap_mdev_set_kvm(m, k) fails: return NOTIFY_DONE   # ignored by the chain',
      step: false,
      run: (x) => ({ call: 'vfio_ap_mdev_set_kvm', args: { d: x.str('d'), k: x.str('k') }, into: 'r' }),
    },
    { line: 'return NOTIFY_OK', step: false, run: () => ({ ret: 0 }) },
  ],
});

defineFn({
  name: 'vfio_ap_mdev_open_device',
  file: 'drivers/s390/crypto/vfio_ap_ops.c',
  params: ['d'],
  when: notifierEra,
  body: [
    {
      line: 'vfio_register_notifier(D, GROUP, SET_KVM)   # replay => set_kvm(m, G.kvm); a failure is swallowed',
      step: false,
      run: (x) => ({ call: 'vfio_register_group_notifier', args: { d: x.str('d') }, into: 'r' }),
    },
    {
      line: 'r := vfio_register_notifier(D, IOMMU, DMA_UNMAP); if r: unregister GROUP; FAIL(r)',
      step: false,
      run: (x) => ({ call: 'vfio_register_iommu_notifier', args: { d: x.str('d') }, into: 'r' }),
    },
    { line: 'return 0', step: false, run: () => ({ ret: 0 }) },
  ],
});

defineFn({
  name: 'vfio_ap_mdev_close_device',
  file: 'drivers/s390/crypto/vfio_ap_ops.c',
  params: ['d'],
  when: notifierEra,
  body: [
    {
      line: 'vfio_unregister_notifier(D, IOMMU)',
      step: false,
      run: (x) => ({ call: 'vfio_unregister_iommu_notifier', args: { d: x.str('d') } }),
    },
    {
      line: 'vfio_unregister_notifier(D, GROUP)',
      step: false,
      run: (x) => ({ call: 'vfio_unregister_group_notifier', args: { d: x.str('d') } }),
    },
    {
      line: 'vfio_ap_mdev_unset_kvm(m)',
      step: false,
      run: (x) => ({ call: 'vfio_ap_mdev_unset_kvm', args: { d: x.str('d') } }),
    },
    { line: 'return', step: false, run: () => ({ ret: 0 }) },
  ],
});

/* ------------------------------------------------------------ after (§3.6) */

defineFn({
  name: 'vfio_ap_mdev_open_device',
  file: 'drivers/s390/crypto/vfio_ap_ops.c',
  params: ['d'],
  when: (v) => !v.notifier,
  body: [
    {
      line: 'if D.kvm == NULL: FAIL(-EINVAL)   # v3 (Tony Krowiak)',
      step: false,
      run: (x) => {
        const k = x.ctx<DeviceCtx>(`device:${x.str('d')}`).kvm;
        if (k === null) return { ret: '-EINVAL' };
        x.set('k', k);
      },
    },
    {
      line: 'r := vfio_ap_mdev_set_kvm(m, D.kvm)',
      step: false,
      run: (x) => ({ call: 'vfio_ap_mdev_set_kvm', args: { d: x.str('d'), k: x.str('k') }, into: 'r' }),
    },
    {
      line: 'if r: FAIL(r)   # -EPERM if another mdev owns this VM',
      step: false,
      run: (x) => (x.l.r ? { ret: x.l.r } : undefined),
    },
    {
      line: 'r := vfio_register_notifier(D, IOMMU, DMA_UNMAP); if r: unset_kvm(m); FAIL(r)',
      step: false,
      run: (x) => ({ call: 'vfio_register_iommu_notifier', args: { d: x.str('d') }, into: 'r' }),
    },
    { line: 'return 0', step: false, run: () => ({ ret: 0 }) },
  ],
});

defineFn({
  name: 'vfio_ap_mdev_close_device',
  file: 'drivers/s390/crypto/vfio_ap_ops.c',
  params: ['d'],
  when: (v) => !v.notifier,
  body: [
    {
      line: 'vfio_unregister_notifier(D, IOMMU)',
      step: false,
      run: (x) => ({ call: 'vfio_unregister_iommu_notifier', args: { d: x.str('d') } }),
    },
    {
      line: 'vfio_ap_mdev_unset_kvm(m)   # kvm_put_kvm inside, possibly the LAST (§4.2-K)',
      step: false,
      run: (x) => ({ call: 'vfio_ap_mdev_unset_kvm', args: { d: x.str('d') } }),
    },
    { line: 'return', step: false, run: () => ({ ret: 0 }) },
  ],
});

export const vfioAp = {
  name: 'vfio-ap',
  title: 's390 vfio-ap (crypto)',
  machine: mdevMachine,
  hooks: (v: Variant) => ({
    open_device: 'vfio_ap_mdev_open_device',
    close_device: 'vfio_ap_mdev_close_device',
    group_notifier: v.notifier ? 'vfio_ap_mdev_group_notifier' : null,
    release_work: null,
  }),
  driverKvm: (c: MdevCtx): string | null => c.kvm,
  requiresKvm: true,
} as const;
