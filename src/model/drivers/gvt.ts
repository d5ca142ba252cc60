/**
 * i915 GVT-g, drivers/gpu/drm/i915/gvt/kvmgt.c (domain.md §2.4, §3.5, §4.2-J).
 * All `gvt` devices of a scenario are vGPUs of one GVT instance.
 */
import { assign, setup } from 'xstate';
import type { Variant } from '../era.ts';
import { defineFn, label, type Exec, type Say } from '../program.ts';
import type { WithOut } from '../machines/table.ts';
import type { DeviceCtx } from '../machines/vfioDevice.ts';
import { deref, kget, kput, vmDesc } from '../kernel/lib.ts';

/** struct intel_vgpu, the fields that matter here. */
export interface VgpuCtx extends WithOut<Record<string, never>> {
  /** vgpu->kvm: a raw pointer set by the SET_KVM callback (before the patch only). */
  kvm: string | null;
  attached: boolean;
  released: number;
  /** The VM whose page-track notifier list holds track_node. */
  track: string | null;
}

export type VgpuEvent =
  | { type: 'set_kvm'; k: string | null }
  | { type: 'attach' }
  | { type: 'detach' }
  | { type: 'set_released'; v: number }
  | { type: 'track'; k: string | null };

export const vgpuMachine = setup({
  types: {} as { context: VgpuCtx; events: VgpuEvent },
}).createMachine({
  id: 'intel_vgpu',
  initial: 'detached',
  context: { kvm: null, attached: false, released: 0, track: null, out: null },
  on: {
    set_kvm: { actions: assign(({ event }) => ({ kvm: (event as { k: string | null }).k })) },
    set_released: { actions: assign(({ event }) => ({ released: (event as { v: number }).v })) },
    track: { actions: assign(({ event }) => ({ track: (event as { k: string | null }).k })) },
  },
  states: {
    detached: { on: { attach: { target: 'attached', actions: assign({ attached: true }) } } },
    attached: { on: { detach: { target: 'detached', actions: assign({ attached: false }) } } },
  },
});

const notifierEra = (v: Variant) => v.notifier;
const deviceKvmEra = (v: Variant) => !v.notifier;
const holder = (x: Pick<Exec, 'str'>) => `gvt:${x.str('d')}`;
const vgpu = (x: Pick<Exec, 'ctx' | 'str'>) => x.ctx<VgpuCtx>(`driver:${x.str('d')}`);
const dkvm = (x: Pick<Exec, 'ctx' | 'str'>) => x.ctx<DeviceCtx>(`device:${x.str('d')}`).kvm;
/** The pointer GVT uses: vgpu->kvm before the patch, vgpu->vfio_device.kvm after. */
const gvtKvm = (x: Exec) => (x.v.notifier ? vgpu(x).kvm : dkvm(x));
const kvmName = (v: Variant) => (v.notifier ? 'vgpu.kvm' : 'D.kvm');

/** Another attached vGPU of this GVT uses the same VM (the -EEXIST check). */
function otherVgpuUses(x: Exec, k: string | null): string | null {
  for (const d of x.model.devices) {
    if (d.driver !== 'gvt' || d.id === x.str('d')) continue;
    const c = x.ctx<VgpuCtx>(`driver:${d.id}`);
    if (!c.attached) continue;
    const theirs = x.v.notifier ? c.kvm : x.ctx<DeviceCtx>(`device:${d.id}`).kvm;
    if (theirs === k) return d.id;
  }
  return null;
}

function checkKvm(x: Exec) {
  const k = gvtKvm(x);
  if (k === null) {
    x.set('r', '-ESRCH');
    return { goto: x.v.notifier ? 'UNDO_GROUP' : 'UNDO_IOMMU' };
  }
  if (!deref(x, k, `intel_vgpu_open_device reads ${kvmName(x.v)}->mm`)) return;
}

function sayCheckKvm(n: Say) {
  if (n.l.r === '-ESRCH')
    return `${n.t}: intel_vgpu_open_device: no KVM ("KVM is required to use Intel vGPU"), -ESRCH`;
  return `${n.t}: intel_vgpu_open_device checks the VM: same process (current->mm), go on`;
}

function checkOther(x: Exec) {
  const other = otherVgpuUses(x, gvtKvm(x));
  if (other) {
    x.set('r', '-EEXIST');
    x.set('other', other);
    return { goto: x.v.notifier ? 'UNDO_GROUP' : 'UNDO_IOMMU' };
  }
}

const sayOther = (n: Say) =>
  n.l.r === '-EEXIST'
    ? `${n.t}: intel_vgpu_open_device: vGPU ${n.l.other} already uses this VM, -EEXIST`
    : `${n.t}: intel_vgpu_open_device: no other vGPU of this GVT uses the VM`;

function getRef(x: Exec) {
  kget(x, gvtKvm(x), holder(x));
  x.effect({
    kind: 'ptr',
    from: x.v.notifier ? `group:${groupOfDevice(x)}` : `device:${x.str('d')}`,
    to: `driver:${x.str('d')}`,
    vm: gvtKvm(x),
  });
}
const sayGet = (n: Say) => {
  const k = (n.l.kvm as string | null) ?? null;
  return `${n.t}: GVT takes its own reference: kvm_get_kvm(${k ?? 'NULL'}) → ${vmDesc(n, k)}`;
};

function groupOfDevice(x: Exec): string {
  return x.model.devices.find((d) => d.id === x.str('d'))!.group;
}

/* ----------------------------------------------------------- before (§2.4) */

defineFn({
  name: 'intel_vgpu_group_notifier',
  file: 'drivers/gpu/drm/i915/gvt/kvmgt.c',
  params: ['d', 'k'],
  when: notifierEra,
  body: [
    {
      line: 'vgpu.kvm := k   # no lock, no reference taken',
      run: (x) => {
        x.send(`driver:${x.str('d')}`, { type: 'set_kvm', k: x.vmOrNull('k') });
        x.effect({
          kind: 'ptr',
          from: `group:${groupOfDevice(x)}`,
          to: `driver:${x.str('d')}`,
          vm: x.vmOrNull('k'),
        });
      },
      say: (n) =>
        `${n.t}: GVT's SET_KVM callback sets ${n.l.d}'s vgpu->kvm := ${n.l.k ?? 'NULL'} (no lock, no reference)`,
    },
    {
      line: 'if k == NULL: schedule_work(vgpu.release_work)',
      step: false,
      run: (x) => {
        if (x.l.k === null) x.send('workqueue', { type: 'schedule', d: x.str('d') });
      },
    },
    { line: 'return NOTIFY_OK', step: false, run: () => ({ ret: 0 }) },
  ],
});

defineFn({
  name: 'intel_vgpu_open_device',
  file: 'drivers/gpu/drm/i915/gvt/kvmgt.c',
  params: ['d'],
  when: notifierEra,
  body: [
    { line: 'set iommu_notifier / group_notifier callbacks', step: false },
    {
      line: 'r := vfio_register_notifier(D, IOMMU, DMA_UNMAP)',
      step: false,
      run: (x) => ({ call: 'vfio_register_iommu_notifier', args: { d: x.str('d') }, into: 'r' }),
    },
    {
      line: 'r := vfio_register_notifier(D, GROUP, SET_KVM)   # the replay sets vgpu.kvm NOW if G.kvm != NULL',
      step: false,
      run: (x) => ({ call: 'vfio_register_group_notifier', args: { d: x.str('d') }, into: 'r' }),
    },
    {
      line: 'if vgpu.attached: r := -EEXIST; goto UNDO_GROUP',
      run: (x) => {
        if (vgpu(x).attached) {
          x.set('r', '-EEXIST');
          return { goto: 'UNDO_GROUP' };
        }
      },
      say: (n) =>
        n.l.r === '-EEXIST'
          ? `${n.t}: ${n.l.d} is already attached: -EEXIST`
          : `${n.t}: intel_vgpu_open_device: ${n.l.d} is not attached yet`,
    },
    {
      line: 'if vgpu.kvm == NULL or vgpu.kvm.mm != current.mm: log "KVM is required…"; r := -ESRCH; goto UNDO_GROUP',
      run: checkKvm,
      say: sayCheckKvm,
    },
    {
      line: 'if another attached vgpu of this GVT has the same kvm: r := -EEXIST; goto UNDO_GROUP',
      run: checkOther,
      say: sayOther,
    },
    {
      line: 'vgpu.attached := true',
      run: (x) => void x.send(`driver:${x.str('d')}`, { type: 'attach' }),
      say: (n) => `${n.t}: ${n.l.d} is attached`,
    },
    {
      line: 'kvm_get_kvm(vgpu.kvm)   # the reference is taken only here (vgpu.kvm read again)',
      run: (x) => (x.set('kvm', vgpu(x).kvm), getRef(x)),
      say: sayGet,
    },
    { line: 'init protect table, DMA cache', step: false },
    {
      line: 'kvm_page_track_register_notifier(vgpu.kvm, track_node)',
      run: (x) => {
        const k = vgpu(x).kvm;
        if (deref(x, k, 'kvm_page_track_register_notifier'))
          x.send(`driver:${x.str('d')}`, { type: 'track', k });
      },
      say: (n) =>
        `${n.t}: GVT registers its page-track notifier on ${n.ctx<VgpuCtx>(`driver:${n.l.d}`).track}`,
    },
    {
      line: 'debugfs; intel_gvt_activate_vgpu(vgpu); vgpu.released := 0',
      run: (x) => void x.send(`driver:${x.str('d')}`, { type: 'set_released', v: 0 }),
      say: (n) => `${n.t}: ${n.l.d} is active (released := 0)`,
    },
    { line: 'return 0', step: false, run: () => ({ ret: 0 }) },
    label('UNDO_GROUP'),
    {
      line: 'vfio_unregister_notifier(D, GROUP)',
      step: false,
      run: (x) => ({ call: 'vfio_unregister_group_notifier', args: { d: x.str('d') } }),
    },
    label('UNDO_IOMMU'),
    {
      line: 'vfio_unregister_notifier(D, IOMMU)',
      step: false,
      run: (x) => ({ call: 'vfio_unregister_iommu_notifier', args: { d: x.str('d') } }),
    },
    { line: 'FAIL(r)', step: false, run: (x) => ({ ret: x.l.r ?? null }) },
  ],
});

/** Shared by close_device and release_work, before the patch. */
defineFn({
  name: '__intel_vgpu_release',
  file: 'drivers/gpu/drm/i915/gvt/kvmgt.c',
  params: ['d'],
  when: notifierEra,
  body: [
    {
      line: 'if !vgpu.attached: return',
      run: (x) => (vgpu(x).attached ? undefined : (x.set('skip', 'detached'), { ret: 0 })),
      say: (n) =>
        n.l.skip
          ? `${n.t}: __intel_vgpu_release: ${n.l.d} is not attached, nothing to do`
          : `${n.t}: __intel_vgpu_release(${n.l.d}): attached, tear down`,
    },
    {
      line: 'if atomic_xchg(vgpu.released, 1): return   # run once',
      run: (x) => {
        const was = vgpu(x).released;
        x.send(`driver:${x.str('d')}`, { type: 'set_released', v: 1 });
        if (was) return (x.set('skip', 'released'), { ret: 0 });
      },
      say: (n) =>
        n.l.skip
          ? `${n.t}: ${n.l.d} was already released: return`
          : `${n.t}: released 0 → 1: this thread tears ${n.l.d} down`,
    },
    { line: 'intel_gvt_release_vgpu(vgpu)', step: false },
    {
      line: 'vfio_unregister_notifier(IOMMU)   # takes group_rwsem read internally',
      step: false,
      run: (x) => ({ call: 'vfio_unregister_iommu_notifier', args: { d: x.str('d') } }),
    },
    {
      line: 'vfio_unregister_notifier(GROUP)',
      step: false,
      run: (x) => ({ call: 'vfio_unregister_group_notifier', args: { d: x.str('d') } }),
    },
    { line: 'remove debugfs entry', step: false },
    {
      line: 'kvm_page_track_unregister_notifier(vgpu.kvm, track_node)   # dereferences vgpu.kvm',
      run: (x) => {
        const k = vgpu(x).kvm;
        x.set('kvm', k);
        if (deref(x, k, 'kvm_page_track_unregister_notifier(vgpu->kvm)'))
          x.send(`driver:${x.str('d')}`, { type: 'track', k: null });
      },
      say: (n) => `${n.t}: GVT unregisters its page-track notifier from vgpu->kvm = ${n.l.kvm ?? 'NULL'}`,
    },
    {
      line: 'kvm_put_kvm(vgpu.kvm)',
      run: (x) => {
        const k = vgpu(x).kvm;
        x.set('kvm', k);
        return kput(x, k, holder(x));
      },
      say: (n) =>
        `${n.t}: GVT drops its reference: kvm_put_kvm(${n.l.kvm ?? 'NULL'}) → ${vmDesc(n, n.l.kvm as string | null)}`,
    },
    { line: 'destroy protect table, DMA cache; release MSI eventfd', step: false },
    {
      line: 'vgpu.kvm := NULL; vgpu.attached := false',
      run: (x) => {
        x.send(`driver:${x.str('d')}`, { type: 'set_kvm', k: null });
        x.send(`driver:${x.str('d')}`, { type: 'detach' });
        x.effect({ kind: 'ptr', from: `group:${groupOfDevice(x)}`, to: `driver:${x.str('d')}`, vm: null });
      },
      say: (n) => `${n.t}: ${n.l.d} is detached (vgpu->kvm := NULL)`,
    },
    { line: 'return', step: false, run: () => ({ ret: 0 }) },
  ],
});

defineFn({
  name: 'intel_vgpu_release_work',
  file: 'drivers/gpu/drm/i915/gvt/kvmgt.c',
  params: ['d'],
  when: notifierEra,
  body: [
    {
      line: '__intel_vgpu_release(vgpu)   # on a kernel worker thread, later',
      step: false,
      run: (x) => ({ call: '__intel_vgpu_release', args: { d: x.str('d') } }),
    },
    { line: 'return', step: false, run: () => ({ ret: 0 }) },
  ],
});

defineFn({
  name: 'intel_vgpu_close_device',
  file: 'drivers/gpu/drm/i915/gvt/kvmgt.c',
  params: ['d'],
  when: notifierEra,
  body: [
    {
      line: '__intel_vgpu_release(vgpu)',
      step: false,
      run: (x) => ({ call: '__intel_vgpu_release', args: { d: x.str('d') } }),
    },
    { line: 'return', step: false, run: () => ({ ret: 0 }) },
  ],
});

/* ------------------------------------------------------------ after (§3.5) */

defineFn({
  name: 'intel_vgpu_open_device',
  file: 'drivers/gpu/drm/i915/gvt/kvmgt.c',
  params: ['d'],
  when: deviceKvmEra,
  body: [
    { line: 'set iommu_notifier callback   # runs under dev_set.lock + group_rwsem(read)', step: false },
    {
      line: 'r := vfio_register_notifier(D, IOMMU, DMA_UNMAP)',
      step: false,
      run: (x) => ({ call: 'vfio_register_iommu_notifier', args: { d: x.str('d') }, into: 'r' }),
    },
    {
      line: 'if vgpu.attached: r := -EEXIST; goto UNDO_IOMMU',
      step: false,
      run: (x) => (vgpu(x).attached ? (x.set('r', '-EEXIST'), { goto: 'UNDO_IOMMU' }) : undefined),
    },
    {
      line: 'if D.kvm == NULL or D.kvm.mm != current.mm: log "KVM is required…"; r := -ESRCH; goto UNDO_IOMMU',
      run: checkKvm,
      say: sayCheckKvm,
    },
    {
      line: "kvm_get_kvm(D.kvm)   # GVT's own reference",
      when: (v) => !v.gvtKgetAfterCheck,
      run: (x) => (x.set('kvm', dkvm(x)), getRef(x)),
      say: sayGet,
    },
    {
      line: 'if another attached vgpu has the same D.kvm: r := -EEXIST; goto UNDO_IOMMU   # BUG: leaks the reference just taken (§4.2-J)',
      when: (v) => !v.gvtKgetAfterCheck,
      run: checkOther,
      say: sayOther,
    },
    {
      line: 'if another attached vgpu has the same D.kvm: r := -EEXIST; goto UNDO_IOMMU',
      when: (v) => v.gvtKgetAfterCheck,
      run: checkOther,
      say: sayOther,
    },
    {
      line: 'kvm_get_kvm(D.kvm)   # only after the check (Sean Christopherson, Nov 2022)',
      when: (v) => v.gvtKgetAfterCheck,
      run: (x) => (x.set('kvm', dkvm(x)), getRef(x)),
      say: sayGet,
    },
    {
      line: 'vgpu.attached := true',
      run: (x) => void x.send(`driver:${x.str('d')}`, { type: 'attach' }),
      say: (n) => `${n.t}: ${n.l.d} is attached`,
    },
    { line: 'init protect table, DMA cache; set page-track callbacks', step: false },
    {
      line: 'kvm_page_track_register_notifier(D.kvm, track_node)',
      run: (x) => {
        const k = dkvm(x);
        if (deref(x, k, 'kvm_page_track_register_notifier'))
          x.send(`driver:${x.str('d')}`, { type: 'track', k });
      },
      say: (n) =>
        `${n.t}: GVT registers its page-track notifier on ${n.ctx<VgpuCtx>(`driver:${n.l.d}`).track}`,
    },
    {
      line: 'debugfs; intel_gvt_activate_vgpu(vgpu); vgpu.released := 0',
      step: false,
      run: (x) => void x.send(`driver:${x.str('d')}`, { type: 'set_released', v: 0 }),
    },
    { line: 'return 0', step: false, run: () => ({ ret: 0 }) },
    label('UNDO_IOMMU'),
    {
      line: 'vfio_unregister_notifier(D, IOMMU)',
      step: false,
      run: (x) => ({ call: 'vfio_unregister_iommu_notifier', args: { d: x.str('d') } }),
    },
    { line: 'FAIL(r)', step: false, run: (x) => ({ ret: x.l.r ?? null }) },
  ],
});

defineFn({
  name: 'intel_vgpu_close_device',
  file: 'drivers/gpu/drm/i915/gvt/kvmgt.c',
  params: ['d'],
  when: deviceKvmEra,
  body: [
    {
      line: 'if !vgpu.attached: return   # runs under dev_set.lock + group_rwsem(read)',
      step: false,
      run: (x) => (vgpu(x).attached ? undefined : { ret: 0 }),
    },
    {
      line: 'if atomic_xchg(vgpu.released, 1): return',
      step: false,
      run: (x) => {
        const was = vgpu(x).released;
        x.send(`driver:${x.str('d')}`, { type: 'set_released', v: 1 });
        if (was) return { ret: 0 };
      },
    },
    { line: 'intel_gvt_release_vgpu(vgpu)', step: false },
    {
      line: 'vfio_unregister_notifier(D, IOMMU)   # warn on error',
      step: false,
      run: (x) => ({ call: 'vfio_unregister_iommu_notifier', args: { d: x.str('d') } }),
    },
    { line: 'remove debugfs entry', step: false },
    {
      line: 'kvm_page_track_unregister_notifier(D.kvm, track_node)',
      run: (x) => {
        const k = dkvm(x);
        x.set('kvm', k);
        if (deref(x, k, 'kvm_page_track_unregister_notifier(D->kvm)'))
          x.send(`driver:${x.str('d')}`, { type: 'track', k: null });
      },
      say: (n) => `${n.t}: GVT unregisters its page-track notifier from ${n.l.kvm ?? 'NULL'}`,
    },
    { line: 'destroy protect table, DMA cache; release MSI eventfd', step: false },
    {
      line: 'vgpu.attached := false',
      run: (x) => {
        x.send(`driver:${x.str('d')}`, { type: 'detach' });
        x.effect({ kind: 'ptr', from: `device:${x.str('d')}`, to: `driver:${x.str('d')}`, vm: null });
      },
      say: (n) => `${n.t}: ${n.l.d} is detached`,
    },
    {
      line: 'if D.kvm: kvm_put_kvm(D.kvm)   # may be the LAST reference (§4.2-K)',
      run: (x) => {
        const k = dkvm(x);
        x.set('kvm', k);
        if (k) return kput(x, k, holder(x));
      },
      say: (n) =>
        `${n.t}: GVT drops its reference: kvm_put_kvm(${n.l.kvm ?? 'NULL'}) → ${vmDesc(n, n.l.kvm as string | null)}`,
    },
    { line: 'return', step: false, run: () => ({ ret: 0 }) },
  ],
});

export const gvt = {
  name: 'gvt',
  title: 'i915 GVT-g (kvmgt)',
  machine: vgpuMachine,
  hooks: (v: Variant) => ({
    open_device: 'intel_vgpu_open_device',
    close_device: 'intel_vgpu_close_device',
    group_notifier: v.notifier ? 'intel_vgpu_group_notifier' : null,
    release_work: v.notifier ? 'intel_vgpu_release_work' : null,
  }),
  /** The VM the driver's own pointer names (spec §5 `driverKvm`). */
  driverKvm: (c: VgpuCtx, dev: DeviceCtx, v: Variant): string | null =>
    v.notifier ? c.kvm : c.attached ? dev.kvm : null,
  requiresKvm: true,
} as const;
