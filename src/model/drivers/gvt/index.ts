/**
 * i915 GVT-g, drivers/gpu/drm/i915/gvt/kvmgt.c. All `gvt` devices of a
 * scenario are vGPUs of one GVT instance (the "another vGPU already uses this
 * VM" check spans them). Six shapes over the history (era.ts `gvt`):
 *
 *   info-copy   v5.18: the SET_KVM callback sets vdev->kvm; kvmgt_guest_init
 *               copies it into info->kvm and takes a reference; teardown
 *               (kvmgt_guest_exit) uses info->kvm
 *   guest-init  10ddb96295f3: no private copy; kvmgt_guest_exit reads
 *               vgpu->kvm, which the callback sets to NULL before it
 *               schedules release_work
 *   attached    the patch's base: init/exit folded into open/release; same logic
 *   v1          no callback, no reference of its own: uses device->kvm
 *   v2          (also v3 and v6.1) kvm_get_kvm before the "another vGPU" check
 *   fixed       9ed1fdee9ee3 + 3c9fd44b9330: get after the checks; the put in
 *               close_device is unconditional
 */
import type { Variant } from '../../era.ts';
import type { DeviceCtx } from '../../machines/vfioDevice.ts';
import type { DriverDescriptor } from '../descriptor.ts';
import { is, viaNotifier } from './common.ts';
import { vgpuMachine, type VgpuCtx } from './vgpu.ts';
import './open.ts';
import './release.ts';

export { vgpuMachine, type VgpuCtx, type VgpuEvent } from './vgpu.ts';

/** v5.18 keeps the VM in kvmgt_vdev; the notifier eras after 10ddb96295f3 in intel_vgpu; from the patch on GVT reads device->kvm while attached. */
function pointerName(v: Variant): string {
  return v.gvt === 'info-copy' ? 'vdev->kvm' : viaNotifier(v) ? 'vgpu->kvm' : 'kvm (while attached)';
}

export const gvt: DriverDescriptor<VgpuCtx> = {
  name: 'gvt',
  title: 'i915 GVT-g (kvmgt)',
  shortTitle: 'GVT-g',
  holderWords: (d) => `GVT, for vGPU ${d}`,
  objectName: (d) => `vgpu(${d})`,
  machine: vgpuMachine,
  hooks: (v) => ({
    open_device: 'intel_vgpu_open_device',
    close_device: 'intel_vgpu_close_device',
    group_notifier: v.notifier ? 'intel_vgpu_group_notifier' : null,
    release_work: is('info-copy', 'guest-init', 'attached', 'v1')(v) ? 'intel_vgpu_release_work' : null,
  }),
  driverKvm: (c: VgpuCtx, dev: DeviceCtx, v: Variant): string | null =>
    viaNotifier(v) ? c.kvm : c.attached ? dev.kvm : null,
  requiresKvm: true,
  pointerName,
  unsetWords: (v) => (viaNotifier(v) ? `${pointerName(v)} not set` : 'not attached'),
  fields: (c) => [
    { name: 'attached', value: String(c.attached) },
    { name: 'released', value: String(c.released) },
    { name: 'page-track on', value: String(c.track ?? 'none') },
    ...(c.infoKvm ? [{ name: 'info->kvm', value: c.infoKvm }] : []),
  ],
};
