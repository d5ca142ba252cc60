/**
 * vfio-pci on s390 (a zPCI device, "zdev"). Until v6.0 vfio-pci made no use of
 * the VM. From v6.0 (8061d1c31f1a, with 09340b2fca00 on the KVM side) the
 * zdev hooks in vfio_pci_core_enable/_disable register the device with the VM
 * for interpretive execution when device->kvm is set: kzdev_lock, a
 * reference of their own, and kvm->lock — inside open_device, like vfio-ap.
 * A NULL device->kvm is not an error: plain pass-through.
 */
import { assign, assertEvent, setup } from 'xstate';
import type { Variant } from '../era.ts';
import { call, defineFn, mark, type Exec } from '../program.ts';
import type { WithOut } from '../machines/table.ts';
import { lockKey, slot } from '../slots.ts';
import { acquire, deref, getKvm, putKvm, release } from '../kernel/lib.ts';
import type { DriverDescriptor } from './descriptor.ts';

/** struct zpci_dev, the KVM part (zdev->kzdev->kvm). */
export interface ZdevCtx extends WithOut<Record<string, never>> {
  kvm: string | null;
}
export type ZdevEvent = { type: 'set'; k: string | null };

export const zdevMachine = setup({
  types: {} as { context: ZdevCtx; events: ZdevEvent },
}).createMachine({
  id: 'zpci_dev',
  initial: 'plain',
  context: { kvm: null, out: null },
  on: {
    set: {
      actions: assign(({ event }) => {
        assertEvent(event, 'set');
        return { kvm: event.k };
      }),
    },
  },
  states: {
    plain: { always: { guard: ({ context }) => context.kvm !== null, target: 'interpreted' } },
    interpreted: { always: { guard: ({ context }) => context.kvm === null, target: 'plain' } },
  },
});

const holder = (x: Pick<Exec, 'str'>) => `vfio-pci:${x.str('d')}`;
const drv = (x: Pick<Exec, 'str'>) => slot.driver(x.str('d'));
const zdev = (v: Variant) => v.zdev;
const kzdev = (x: Pick<Exec, 'str'>) => lockKey.kzdev(x.str('d'));
const kvmLock = (x: Pick<Exec, 'str'>) => lockKey.kvm(x.str('k'));
const K = (x: Pick<Exec, 'str'>) => x.str('k');

defineFn({
  name: 'vfio_pci_open_device',
  file: 'drivers/vfio/pci/vfio_pci.c',
  params: ['d'],
  body: [
    call('ret = vfio_pci_core_enable(vdev)', 'vfio_pci_core_enable', (x) => ({ d: x.str('d') }), {
      into: 'r',
    }),
    {
      line: 'if (ret) return ret; vfio_pci_core_finish_enable(vdev); return 0',
      step: false,
      run: (x) => ({ ret: x.l.r ?? 0 }),
    },
  ],
});

defineFn({
  name: 'vfio_pci_core_enable',
  file: 'drivers/vfio/pci/vfio_pci_core.c',
  params: ['d'],
  body: [
    { line: 'pci_enable_device(pdev); … ', step: false },
    call(
      'ret = vfio_pci_zdev_open_device(vdev); if (ret && ret != -ENODEV) goto out_…',
      'vfio_pci_zdev_open_device',
      (x) => ({ d: x.str('d') }),
      {
        into: 'r',
        when: zdev,
      },
    ),
    { line: 'return ret', step: false, run: (x) => ({ ret: x.l.r ?? 0 }) },
  ],
});

defineFn({
  name: 'vfio_pci_core_close_device',
  file: 'drivers/vfio/pci/vfio_pci_core.c',
  params: ['d'],
  body: [
    call('vfio_pci_core_disable(vdev)', 'vfio_pci_core_disable', (x) => ({ d: x.str('d') })),
    { line: 'return', step: false, run: () => ({ ret: 0 }) },
  ],
});

defineFn({
  name: 'vfio_pci_core_disable',
  file: 'drivers/vfio/pci/vfio_pci_core.c',
  params: ['d'],
  body: [
    { line: 'pci_clear_master(pdev); … ', step: false },
    call('vfio_pci_zdev_close_device(vdev)', 'vfio_pci_zdev_close_device', (x) => ({ d: x.str('d') }), {
      when: zdev,
    }),
    { line: 'return', step: false, run: () => ({ ret: 0 }) },
  ],
});

defineFn({
  name: 'vfio_pci_zdev_open_device',
  file: 'drivers/vfio/pci/vfio_pci_zdev.c',
  params: ['d'],
  when: zdev,
  body: [
    { line: 'if (!zdev) return -ENODEV', step: false },
    {
      line: 'if (!vdev->vdev.kvm) return 0   /* no VM: plain pass-through */',
      step: false,
      run: (x) => {
        const k = x.ctx(slot.device(x.str('d'))).kvm;
        if (k === null) return { ret: 0 };
        x.set('k', k);
      },
    },
    {
      line: 'return zpci_kvm_hook.kvm_register(zdev, vdev->vdev.kvm)',
      step: false,
      run: (x) => ({ call: 'kvm_s390_pci_register_kvm', args: { d: x.str('d'), k: K(x) } }),
    },
  ],
});

defineFn({
  name: 'vfio_pci_zdev_close_device',
  file: 'drivers/vfio/pci/vfio_pci_zdev.c',
  params: ['d'],
  when: zdev,
  body: [
    {
      line: 'if (!zdev || !vdev->vdev.kvm) return',
      step: false,
      run: (x) => (x.ctx(slot.device(x.str('d'))).kvm === null ? { ret: 0 } : undefined),
    },
    call('zpci_kvm_hook.kvm_unregister(zdev)', 'kvm_s390_pci_unregister_kvm', (x) => ({ d: x.str('d') })),
    { line: 'return', step: false, run: () => ({ ret: 0 }) },
  ],
});

defineFn({
  name: 'kvm_s390_pci_register_kvm',
  file: 'arch/s390/kvm/pci.c',
  params: ['d', 'k'],
  when: zdev,
  body: [
    acquire('mutex_lock(&zdev->kzdev_lock)', kzdev, 'mutex'),
    {
      line: 'if (zdev->kzdev || zdev->gisa != 0 || !kvm) { mutex_unlock(&zdev->kzdev_lock); return -EINVAL; }',
      step: false,
    },
    getKvm('kvm_get_kvm(kvm)', K, holder),
    acquire('mutex_lock(&kvm->lock)', kvmLock, 'mutex', { vm: K }),
    {
      line: 'kvm_s390_pci_dev_open(zdev); zdev->kzdev->kvm = kvm; … interpretation on',
      run: (x) => {
        if (!deref(x, K(x), 'kvm_s390_pci_register_kvm')) return;
        x.send(drv(x), { type: 'set', k: K(x) });
        x.effect({ kind: 'ptr', from: `device:${x.str('d')}`, to: `driver:${x.str('d')}`, vm: K(x) });
      },
      say: (n) => `${n.t}: zdev registers with ${n.l.k} (interpretive execution on)`,
    },
    release('mutex_unlock(&kvm->lock)', kvmLock, 'mutex', { vm: K }),
    release('mutex_unlock(&zdev->kzdev_lock)', kzdev, 'mutex'),
    { line: 'return 0', step: false, run: () => ({ ret: 0 }) },
  ],
});

defineFn({
  name: 'kvm_s390_pci_unregister_kvm',
  file: 'arch/s390/kvm/pci.c',
  params: ['d'],
  when: zdev,
  body: [
    acquire('mutex_lock(&zdev->kzdev_lock)', kzdev, 'mutex'),
    {
      line: 'if (WARN_ON(!zdev->kzdev)) { mutex_unlock(&zdev->kzdev_lock); return; }; kvm = zdev->kzdev->kvm',
      step: false,
      run: (x) => {
        const k = x.ctx<ZdevCtx>(drv(x)).kvm;
        if (k === null) return { goto: 'unlock' };
        x.set('k', k);
      },
    },
    acquire('mutex_lock(&kvm->lock)', kvmLock, 'mutex', { vm: K }),
    {
      line: 'kvm_s390_pci_dev_release(zdev); zdev->kzdev = NULL',
      run: (x) => {
        x.send(drv(x), { type: 'set', k: null });
        x.effect({ kind: 'ptr', from: `device:${x.str('d')}`, to: `driver:${x.str('d')}`, vm: null });
      },
      say: (n) => `${n.t}: zdev unregisters from ${n.l.k}`,
    },
    release('mutex_unlock(&kvm->lock)', kvmLock, 'mutex', { vm: K }),
    release('mutex_unlock(&zdev->kzdev_lock)', kzdev, 'mutex', { label: 'unlock' }),
    putKvm('kvm_put_kvm(kvm)   /* after both unlocks */', (x) => x.vmOrNull('k'), holder),
    mark('out'),
    { line: 'return', step: false, run: () => ({ ret: 0 }) },
  ],
});

export const vfioPci: DriverDescriptor<ZdevCtx> = {
  name: 'vfio-pci',
  title: 'vfio-pci (s390 zdev)',
  shortTitle: 'vfio-pci',
  holderWords: (d) => `vfio-pci (zdev), for device ${d}`,
  objectName: (d) => `zdev(${d})`,
  machine: zdevMachine,
  hooks: () => ({
    open_device: 'vfio_pci_open_device',
    close_device: 'vfio_pci_core_close_device',
    group_notifier: null,
    release_work: null,
  }),
  driverKvm: (c: ZdevCtx): string | null => c.kvm,
  requiresKvm: false,
  pointerName: () => 'zdev->kzdev->kvm',
  fields: () => [],
  locks: (v, d) => (v.zdev ? [lockKey.kzdev(d)] : []),
};
