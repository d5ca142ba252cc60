/** What GVT's code paths share: the era's shape, the pointer GVT reads, the checks of open_device. */
import type { Variant } from '../../era.ts';
import { call, type Exec, type Flow, type Instr, type Say } from '../../program.ts';
import { slot } from '../../slots.ts';
import { deref, putKvm } from '../../kernel/lib.ts';
import { type VgpuCtx } from './vgpu.ts';

export const FILE = 'drivers/gpu/drm/i915/gvt/kvmgt.c';
type Shape = Variant['gvt'];
export const is =
  (...s: Shape[]) =>
  (v: Variant) =>
    s.includes(v.gvt);
export const notifierShapes: Shape[] = ['info-copy', 'guest-init', 'attached'];
export const viaNotifier = is(...notifierShapes);
export const holder = (x: Pick<Exec, 'str'>) => `gvt:${x.str('d')}`;
export const drv = (x: Pick<Exec, 'str'>) => slot.driver(x.str('d'));
export const vgpu = (x: Pick<Exec, 'ctx' | 'str'>) => x.ctx<VgpuCtx>(drv(x));
export const dkvm = (x: Pick<Exec, 'ctx' | 'str'>) => x.ctx(slot.device(x.str('d'))).kvm;
/** The pointer GVT checks: the notifier's (until the patch) or device->kvm (after it). */
export const gvtKvm = (x: Exec) => (viaNotifier(x.v) ? vgpu(x).kvm : dkvm(x));
/** How the code names it at this era. */
export const kvmField = (v: Variant) =>
  v.gvt === 'info-copy' ? 'vdev->kvm' : viaNotifier(v) ? 'vgpu->kvm' : 'vgpu->vfio_device.kvm';
export const group = (x: Pick<Exec, 'str' | 'model'>) => x.model.groupOf(x.str('d'));

/** Another attached vGPU of this GVT uses the same VM (the -EEXIST check, __kvmgt_vgpu_exist). */
export function otherVgpuUses(x: Exec, k: string | null): string | null {
  for (const d of x.model.devices) {
    if (d.driver !== 'gvt' || d.id === x.str('d')) continue;
    const c = x.ctx<VgpuCtx>(slot.driver(d.id));
    if (!c.attached) continue;
    const theirs =
      x.v.gvt === 'info-copy' ? c.infoKvm : viaNotifier(x.v) ? c.kvm : x.ctx(slot.device(d.id)).kvm;
    if (theirs === k) return d.id;
  }
  return null;
}

export const failTo = (v: Variant) => (viaNotifier(v) ? 'undo_register' : 'undo_iommu');

/** `if (!kvm || kvm->mm != current->mm) return -ESRCH`: reads the pointer, dereferences it. */
export function checkKvm(x: Exec): Flow {
  const k = x.v.gvt === 'info-copy' || x.v.gvt === 'guest-init' ? x.vmOrNull('kvm') : gvtKvm(x);
  if (k === null) {
    x.set('r', '-ESRCH');
    return x.v.gvt === 'info-copy' || x.v.gvt === 'guest-init' ? { ret: '-ESRCH' } : { goto: failTo(x.v) };
  }
  if (!deref(x, k, `${x.v.gvt === 'info-copy' || x.v.gvt === 'guest-init' ? 'kvm' : kvmField(x.v)}->mm`))
    return;
}
export const sayCheckKvm = (n: Say) =>
  n.l.r === '-ESRCH'
    ? `${n.t}: GVT: no VM ("KVM is required to use Intel vGPU"): -ESRCH`
    : `${n.t}: GVT checks the VM: same process (kvm->mm == current->mm), go on`;

export function checkOther(x: Exec): Flow {
  const k = x.v.gvt === 'info-copy' || x.v.gvt === 'guest-init' ? x.vmOrNull('kvm') : gvtKvm(x);
  const other = otherVgpuUses(x, k);
  if (other) {
    x.set('r', '-EEXIST');
    x.set('other', other);
    return x.v.gvt === 'info-copy' || x.v.gvt === 'guest-init' ? { ret: '-EEXIST' } : { goto: failTo(x.v) };
  }
}
export const sayOther = (n: Say) =>
  n.l.r === '-EEXIST'
    ? `${n.t}: GVT: vGPU ${n.l.other} already uses this VM: -EEXIST`
    : `${n.t}: GVT: no other vGPU of this GVT uses the VM`;

export const attach: Instr = {
  line: (v) => (v.gvt === 'guest-init' ? 'vgpu->handle = (unsigned long)vgpu' : 'vgpu->attached = true'),
  run: (x) => void x.send(drv(x), { type: 'attach' }),
  say: (n) => `${n.t}: ${n.l.d} is attached`,
};

export function trackOn(x: Exec, k: string | null, what: string) {
  if (deref(x, k, what)) x.send(drv(x), { type: 'track', k });
}

/* ---------------------------------------------------------- open_device */

export const registerIommu = call(
  'ret = vfio_register_notifier(dev, VFIO_IOMMU_NOTIFY, &events, &vgpu->iommu_notifier)',
  'vfio_register_notifier',
  (x) => ({ d: x.str('d'), type: 'iommu' }),
  { into: 'r', when: (v) => v.iommu !== 'dma_unmap' },
);
export const unregisterIommu = (o: { label?: string } = {}) => ({
  ...call(
    'vfio_unregister_notifier(dev, VFIO_IOMMU_NOTIFY, &vgpu->iommu_notifier)',
    'vfio_unregister_notifier',
    (x) => ({ d: x.str('d'), type: 'iommu' }),
    { when: (v) => v.iommu !== 'dma_unmap' },
  ),
  label: o.label,
});
export const unregisterGroup = call(
  'vfio_unregister_notifier(dev, VFIO_GROUP_NOTIFY, &vgpu->group_notifier)',
  'vfio_unregister_notifier',
  (x) => ({ d: x.str('d'), type: 'group' }),
  { when: viaNotifier },
);

/* ---------------------------------------------------------- teardown */

export const putOwn = (
  when: (v: Variant) => boolean,
  line: string | ((v: Variant) => string),
  k: (x: Exec) => string | null,
) =>
  putKvm(line, k, holder, {
    when,
    before: (x) => x.set('kvm', k(x)),
  });

export const untrack = (
  line: string | ((v: Variant) => string),
  k: (x: Exec) => string | null,
  when: (v: Variant) => boolean,
): Instr => ({
  line,
  when,
  run: (x) => {
    const kk = k(x);
    x.set('kvm', kk);
    if (deref(x, kk, typeof line === 'string' ? line : line(x.v))) x.send(drv(x), { type: 'track', k: null });
  },
  say: (n) => `${n.t}: GVT unregisters its page-track notifier from ${n.l.kvm ?? 'NULL'}`,
});

/** v5.18 – patch v1: shared by close_device and release_work. */
