/**
 * vfio-pci with s390 zPCI (zdev) KVM support (domain.md §3.7). The zdev hooks
 * landed after the patch (v6.0, series v9 17/21) and read device->kvm
 * optionally: a NULL KVM is not an error. Before the patch upstream
 * vfio-pci did not use the KVM at all (zdev's pre-patch notifier version,
 * v7, was never merged), so in v5.18/before it only enables the device.
 */
import { assign, setup } from 'xstate';
import type { Variant } from '../era.ts';
import { defineFn, label, type Exec } from '../program.ts';
import type { WithOut } from '../machines/table.ts';
import type { DeviceCtx } from '../machines/vfioDevice.ts';
import { deref, kget, kput, vmDesc } from '../kernel/lib.ts';

/** struct zpci_dev, the KVM part. */
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
  on: { set: { actions: assign(({ event }) => ({ kvm: (event as { k: string | null }).k })) } },
  states: {
    plain: { always: { guard: ({ context }) => context.kvm !== null, target: 'interpreted' } },
    interpreted: { always: { guard: ({ context }) => context.kvm === null, target: 'plain' } },
  },
});

const holder = (x: Pick<Exec, 'str'>) => `vfio-pci:${x.str('d')}`;
const usesKvm = (v: Variant) => v.driversUseDeviceKvm;

defineFn({
  name: 'vfio_pci_open_device',
  file: 'drivers/vfio/pci/vfio_pci.c',
  params: ['d'],
  when: (v) => !usesKvm(v),
  body: [
    { line: 'vfio_pci_core_enable(vdev)   # no KVM use before the patch', step: false },
    { line: 'return 0', step: false, run: () => ({ ret: 0 }) },
  ],
});

defineFn({
  name: 'vfio_pci_close_device',
  file: 'drivers/vfio/pci/vfio_pci.c',
  params: ['d'],
  when: (v) => !usesKvm(v),
  body: [
    { line: 'vfio_pci_core_disable(vdev)', step: false },
    { line: 'return', step: false, run: () => ({ ret: 0 }) },
  ],
});

defineFn({
  name: 'vfio_pci_open_device',
  file: 'drivers/vfio/pci/vfio_pci_zdev.c',
  params: ['d'],
  when: usesKvm,
  body: [
    { line: 'vfio_pci_core_enable(vdev)', step: false },
    {
      line: 'zdev open: if D.kvm == NULL: return 0   # KVM optional: pass-through without interpretation assists',
      step: false,
      run: (x) => {
        const k = x.ctx<DeviceCtx>(`device:${x.str('d')}`).kvm;
        if (k === null) return { ret: 0 };
        x.set('k', k);
      },
    },
    {
      line: 'kvm_s390_pci_register_kvm(zdev, D.kvm): kvm_get_kvm(D.kvm); zdev.kvm := D.kvm',
      run: (x) => {
        const k = x.str('k');
        if (!deref(x, k, 'kvm_s390_pci_register_kvm') || !kget(x, k, holder(x))) return;
        x.send(`driver:${x.str('d')}`, { type: 'set', k });
        x.effect({ kind: 'ptr', from: `device:${x.str('d')}`, to: `driver:${x.str('d')}`, vm: k });
      },
      say: (n) => `${n.t}: zdev registers with ${vmDesc(n, n.l.k as string)} (interpretation assists on)`,
    },
    { line: 'return 0', step: false, run: () => ({ ret: 0 }) },
  ],
});

defineFn({
  name: 'vfio_pci_close_device',
  file: 'drivers/vfio/pci/vfio_pci_zdev.c',
  params: ['d'],
  when: usesKvm,
  body: [
    {
      line: 'if zdev.kvm == NULL: goto OUT',
      step: false,
      run: (x) => {
        const k = x.ctx<{ kvm: string | null }>(`driver:${x.str('d')}`).kvm;
        if (k === null) return { goto: 'OUT' };
        x.set('k', k);
      },
    },
    {
      line: 'kvm_s390_pci_unregister_kvm(zdev): zdev.kvm := NULL',
      run: (x) => {
        x.send(`driver:${x.str('d')}`, { type: 'set', k: null });
        x.effect({ kind: 'ptr', from: `device:${x.str('d')}`, to: `driver:${x.str('d')}`, vm: null });
      },
      say: (n) => `${n.t}: zdev unregisters from ${n.l.k}`,
    },
    {
      line: 'kvm_put_kvm(kvm)   # possibly the LAST reference (§4.2-K)',
      run: (x) => kput(x, x.str('k'), holder(x)),
      say: (n) => `${n.t}: zdev drops its reference: ${vmDesc(n, n.l.k as string)}`,
    },
    label('OUT'),
    { line: 'vfio_pci_core_disable(vdev)', step: false },
    { line: 'return', step: false, run: () => ({ ret: 0 }) },
  ],
});

export const vfioPci = {
  name: 'vfio-pci',
  title: 'vfio-pci (s390 zdev)',
  machine: zdevMachine,
  hooks: () => ({
    open_device: 'vfio_pci_open_device',
    close_device: 'vfio_pci_close_device',
    group_notifier: null,
    release_work: null,
  }),
  driverKvm: (c: ZdevCtx): string | null => c.kvm,
  requiresKvm: false,
} as const;
