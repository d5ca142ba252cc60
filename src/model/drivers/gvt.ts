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
import { assign, assertEvent, setup } from 'xstate';
import type { Variant } from '../era.ts';
import { call, defineFn, label, type Exec, type Flow, type Instr, type Say } from '../program.ts';
import type { WithOut } from '../machines/table.ts';
import type { DeviceCtx } from '../machines/vfioDevice.ts';
import { slot } from '../slots.ts';
import { deref, getKvm, putKvm } from '../kernel/lib.ts';
import type { DriverDescriptor } from './descriptor.ts';

/** struct intel_vgpu (and, in v5.18, struct kvmgt_vdev / kvmgt_guest_info), the fields that matter here. */
export interface VgpuCtx extends WithOut<Record<string, never>> {
  /** The notifier's raw pointer: vdev->kvm (v5.18) or vgpu->kvm (until the patch). */
  kvm: string | null;
  /** v5.18: info->kvm, GVT's own counted copy. */
  infoKvm: string | null;
  /** vgpu->handle is valid (v5.18 – 10ddb96) / vgpu->attached (later). */
  attached: boolean;
  released: number;
  /** The VM whose page-track notifier list holds the vGPU's track_node. */
  track: string | null;
}

export type VgpuEvent =
  | { type: 'set_kvm'; k: string | null }
  | { type: 'set_info_kvm'; k: string | null }
  | { type: 'attach' }
  | { type: 'detach' }
  | { type: 'set_released'; v: number }
  | { type: 'track'; k: string | null };

export const vgpuMachine = setup({
  types: {} as { context: VgpuCtx; events: VgpuEvent },
}).createMachine({
  id: 'intel_vgpu',
  initial: 'detached',
  context: { kvm: null, infoKvm: null, attached: false, released: 0, track: null, out: null },
  on: {
    set_kvm: {
      actions: assign(({ event }) => {
        assertEvent(event, 'set_kvm');
        return { kvm: event.k };
      }),
    },
    set_info_kvm: {
      actions: assign(({ event }) => {
        assertEvent(event, 'set_info_kvm');
        return { infoKvm: event.k };
      }),
    },
    set_released: {
      actions: assign(({ event }) => {
        assertEvent(event, 'set_released');
        return { released: event.v };
      }),
    },
    track: {
      actions: assign(({ event }) => {
        assertEvent(event, 'track');
        return { track: event.k };
      }),
    },
  },
  states: {
    detached: { on: { attach: { target: 'attached', actions: assign({ attached: true }) } } },
    attached: { on: { detach: { target: 'detached', actions: assign({ attached: false }) } } },
  },
});

const FILE = 'drivers/gpu/drm/i915/gvt/kvmgt.c';
type Shape = Variant['gvt'];
const is =
  (...s: Shape[]) =>
  (v: Variant) =>
    s.includes(v.gvt);
const notifierShapes: Shape[] = ['info-copy', 'guest-init', 'attached'];
const viaNotifier = is(...notifierShapes);
const holder = (x: Pick<Exec, 'str'>) => `gvt:${x.str('d')}`;
const drv = (x: Pick<Exec, 'str'>) => slot.driver(x.str('d'));
const vgpu = (x: Pick<Exec, 'ctx' | 'str'>) => x.ctx<VgpuCtx>(drv(x));
const dkvm = (x: Pick<Exec, 'ctx' | 'str'>) => x.ctx(slot.device(x.str('d'))).kvm;
/** The pointer GVT checks: the notifier's (until the patch) or device->kvm (after it). */
const gvtKvm = (x: Exec) => (viaNotifier(x.v) ? vgpu(x).kvm : dkvm(x));
/** How the code names it at this era. */
const kvmField = (v: Variant) =>
  v.gvt === 'info-copy' ? 'vdev->kvm' : viaNotifier(v) ? 'vgpu->kvm' : 'vgpu->vfio_device.kvm';
const group = (x: Pick<Exec, 'str' | 'model'>) => x.model.groupOf(x.str('d'));

/** Another attached vGPU of this GVT uses the same VM (the -EEXIST check, __kvmgt_vgpu_exist). */
function otherVgpuUses(x: Exec, k: string | null): string | null {
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

const failTo = (v: Variant) => (viaNotifier(v) ? 'undo_register' : 'undo_iommu');

/** `if (!kvm || kvm->mm != current->mm) return -ESRCH`: reads the pointer, dereferences it. */
function checkKvm(x: Exec): Flow {
  const k = x.v.gvt === 'info-copy' || x.v.gvt === 'guest-init' ? x.vmOrNull('kvm') : gvtKvm(x);
  if (k === null) {
    x.set('r', '-ESRCH');
    return x.v.gvt === 'info-copy' || x.v.gvt === 'guest-init' ? { ret: '-ESRCH' } : { goto: failTo(x.v) };
  }
  if (!deref(x, k, `${x.v.gvt === 'info-copy' || x.v.gvt === 'guest-init' ? 'kvm' : kvmField(x.v)}->mm`))
    return;
}
const sayCheckKvm = (n: Say) =>
  n.l.r === '-ESRCH'
    ? `${n.t}: GVT: no VM ("KVM is required to use Intel vGPU"): -ESRCH`
    : `${n.t}: GVT checks the VM: same process (kvm->mm == current->mm), go on`;

function checkOther(x: Exec): Flow {
  const k = x.v.gvt === 'info-copy' || x.v.gvt === 'guest-init' ? x.vmOrNull('kvm') : gvtKvm(x);
  const other = otherVgpuUses(x, k);
  if (other) {
    x.set('r', '-EEXIST');
    x.set('other', other);
    return x.v.gvt === 'info-copy' || x.v.gvt === 'guest-init' ? { ret: '-EEXIST' } : { goto: failTo(x.v) };
  }
}
const sayOther = (n: Say) =>
  n.l.r === '-EEXIST'
    ? `${n.t}: GVT: vGPU ${n.l.other} already uses this VM: -EEXIST`
    : `${n.t}: GVT: no other vGPU of this GVT uses the VM`;

const attach: Instr = {
  line: (v) => (v.gvt === 'guest-init' ? 'vgpu->handle = (unsigned long)vgpu' : 'vgpu->attached = true'),
  run: (x) => void x.send(drv(x), { type: 'attach' }),
  say: (n) => `${n.t}: ${n.l.d} is attached`,
};

function trackOn(x: Exec, k: string | null, what: string) {
  if (deref(x, k, what)) x.send(drv(x), { type: 'track', k });
}

/* --------------------------------------------------- the SET_KVM callback */

defineFn({
  name: 'intel_vgpu_group_notifier',
  file: FILE,
  why: { v1: 'notifier-removed' },
  params: ['d', 'k'],
  when: viaNotifier,
  body: [
    {
      line: (v) => `${kvmField(v)} = data   /* VFIO_GROUP_NOTIFY_SET_KVM: no lock, no reference */`,
      run: (x) => {
        x.send(drv(x), { type: 'set_kvm', k: x.vmOrNull('k') });
        x.effect({ kind: 'ptr', from: `group:${group(x)}`, to: `driver:${x.str('d')}`, vm: x.vmOrNull('k') });
      },
      say: (n) =>
        `${n.t}: GVT's SET_KVM callback sets ${n.l.d}'s ${kvmField(n.v)} = ${n.l.k ?? 'NULL'} (no lock, no reference)`,
    },
    {
      line: (v) => `if (!data) schedule_work(&${v.gvt === 'info-copy' ? 'vdev' : 'vgpu'}->release_work)`,
      step: false,
      run: (x) => {
        if (x.l.k === null) x.send(slot.workqueue, { type: 'schedule', d: x.str('d') });
      },
    },
    { line: 'return NOTIFY_OK', step: false, run: () => ({ ret: 0 }) },
  ],
});

/* ---------------------------------------------------------- open_device */

const registerIommu = call(
  'ret = vfio_register_notifier(dev, VFIO_IOMMU_NOTIFY, &events, &vgpu->iommu_notifier)',
  'vfio_register_notifier',
  (x) => ({ d: x.str('d'), type: 'iommu' }),
  { into: 'r', when: (v) => v.iommu !== 'dma_unmap' },
);
const unregisterIommu = (o: { label?: string } = {}) => ({
  ...call(
    'vfio_unregister_notifier(dev, VFIO_IOMMU_NOTIFY, &vgpu->iommu_notifier)',
    'vfio_unregister_notifier',
    (x) => ({ d: x.str('d'), type: 'iommu' }),
    { when: (v) => v.iommu !== 'dma_unmap' },
  ),
  label: o.label,
});
const unregisterGroup = call(
  'vfio_unregister_notifier(dev, VFIO_GROUP_NOTIFY, &vgpu->group_notifier)',
  'vfio_unregister_notifier',
  (x) => ({ d: x.str('d'), type: 'group' }),
  { when: viaNotifier },
);

defineFn({
  name: 'intel_vgpu_open_device',
  file: FILE,
  params: ['d'],
  body: [
    registerIommu,
    call(
      'ret = vfio_register_notifier(dev, VFIO_GROUP_NOTIFY, &events, &vgpu->group_notifier)   /* the replay sets the pointer now */',
      'vfio_register_notifier',
      (x) => ({ d: x.str('d'), type: 'group' }),
      { into: 'r', when: viaNotifier },
    ),
    // v5.18 and 10ddb96: the checks and the reference are in kvmgt_guest_init.
    {
      line: 'vdev->vfio_group = vfio_group_get_external_user_from_dev(dev); try_module_get(THIS_MODULE)',
      step: false,
      when: is('info-copy', 'guest-init'),
    },
    call('ret = kvmgt_guest_init(mdev)', 'kvmgt_guest_init', (x) => ({ d: x.str('d') }), {
      into: 'r',
      when: is('info-copy', 'guest-init'),
    }),
    {
      line: 'if (ret) goto undo_group',
      step: false,
      when: is('info-copy', 'guest-init'),
      run: (x) => (x.l.r ? { goto: 'undo_register' } : { goto: 'activate' }),
    },
    // From the patch's base on: the same logic inline, with vgpu->attached.
    {
      line: 'if (vgpu->attached) { ret = -EEXIST; goto undo; }',
      step: false,
      when: (v) => !is('info-copy', 'guest-init')(v),
      run: (x) => (vgpu(x).attached ? (x.set('r', '-EEXIST'), { goto: failTo(x.v) }) : undefined),
    },
    {
      line: (v) => `if (!${kvmField(v)} || ${kvmField(v)}->mm != current->mm) { ret = -ESRCH; goto undo; }`,
      when: (v) => !is('info-copy', 'guest-init')(v),
      run: checkKvm,
      say: sayCheckKvm,
    },
    getKvm('kvm_get_kvm(vgpu->vfio_device.kvm)', (x) => dkvm(x), holder, {
      when: is('v2'),
      why: { v2: 'v2-read-lock-over-open' },
      before: (x) => {
        x.effect({ kind: 'ptr', from: `device:${x.str('d')}`, to: `driver:${x.str('d')}`, vm: dkvm(x) });
      },
    }),
    {
      line: 'if (__kvmgt_vgpu_exist(vgpu)) { ret = -EEXIST; goto undo; }',
      when: (v) => !is('info-copy', 'guest-init')(v),
      run: checkOther,
      say: sayOther,
      why: { 'gvt-fix': 'gvt-leak' },
    },
    { ...attach, when: (v) => !is('info-copy', 'guest-init')(v) },
    getKvm(
      (v) => `kvm_get_kvm(${kvmField(v)})`,
      (x) => gvtKvm(x),
      holder,
      {
        when: is('attached', 'fixed'),
        why: { 'gvt-fix': 'gvt-leak' },
        before: (x) => {
          const from = viaNotifier(x.v) ? `group:${group(x)}` : `device:${x.str('d')}`;
          x.effect({ kind: 'ptr', from, to: `driver:${x.str('d')}`, vm: gvtKvm(x) });
        },
      },
    ),
    {
      line: 'kvmgt_protect_table_init(vgpu); gvt_cache_init(vgpu)',
      step: false,
      when: (v) => !is('info-copy', 'guest-init')(v),
    },
    {
      line: (v) => `kvm_page_track_register_notifier(${kvmField(v)}, &vgpu->track_node)`,
      when: (v) => !is('info-copy', 'guest-init')(v),
      run: (x) => trackOn(x, gvtKvm(x), 'kvm_page_track_register_notifier'),
      say: (n) =>
        `${n.t}: GVT registers its page-track notifier on ${n.ctx<VgpuCtx>(`driver:${String(n.l.d)}`).track}`,
    },
    {
      line: 'debugfs_create_ulong("kvmgt_nr_cache_entries", …); intel_gvt_activate_vgpu(vgpu)',
      label: 'activate',
      step: false,
    },
    {
      line: (v) => `atomic_set(&${v.gvt === 'info-copy' ? 'vdev' : 'vgpu'}->released, 0); return 0`,
      step: false,
      run: (x) => (x.send(drv(x), { type: 'set_released', v: 0 }), { ret: 0 }),
    },
    label('undo_register'),
    unregisterGroup,
    unregisterIommu({ label: 'undo_iommu' }),
    { line: 'return ret', step: false, run: (x) => ({ ret: x.l.r ?? null }) },
  ],
});

/** v5.18 and 10ddb96295f3: the attach step of open_device. */
defineFn({
  name: 'kvmgt_guest_init',
  file: FILE,
  params: ['d'],
  when: is('info-copy', 'guest-init'),
  body: [
    {
      line: 'if (handle_valid(vgpu->handle)) return -EEXIST',
      step: false,
      run: (x) => (vgpu(x).attached ? (x.set('r', '-EEXIST'), { ret: '-EEXIST' }) : undefined),
    },
    {
      line: (v) => `kvm = ${kvmField(v)}; if (!kvm || kvm->mm != current->mm) return -ESRCH`,
      run: (x) => (x.set('kvm', vgpu(x).kvm), checkKvm(x)),
      say: sayCheckKvm,
    },
    { line: 'if (__kvmgt_vgpu_exist(vgpu, kvm)) return -EEXIST', run: checkOther, say: sayOther },
    // v5.18: GVT's own copy of the pointer, with its own reference.
    {
      line: 'info = vzalloc(sizeof(struct kvmgt_guest_info)); vgpu->handle = (unsigned long)info; info->kvm = kvm',
      when: is('info-copy'),
      run: (x) => {
        x.send(drv(x), { type: 'attach' });
        x.send(drv(x), { type: 'set_info_kvm', k: x.vmOrNull('kvm') });
        x.effect({
          kind: 'ptr',
          from: `group:${group(x)}`,
          to: `driver:${x.str('d')}`,
          vm: x.vmOrNull('kvm'),
        });
      },
      say: (n) => `${n.t}: GVT keeps its own copy: info->kvm = ${n.l.kvm}`,
    },
    getKvm('kvm_get_kvm(info->kvm)', (x) => x.vmOrNull('kvm'), holder, { when: is('info-copy') }),
    // 10ddb96: no copy; the reference is on the notifier's pointer.
    { ...attach, when: is('guest-init') },
    getKvm('kvm_get_kvm(vgpu->kvm)', (x) => vgpu(x).kvm, holder, { when: is('guest-init') }),
    { line: 'kvmgt_protect_table_init(…); gvt_cache_init(vgpu)', step: false },
    {
      line: (v) =>
        `kvm_page_track_register_notifier(kvm, &${v.gvt === 'info-copy' ? 'info' : 'vgpu'}->track_node)`,
      run: (x) => trackOn(x, x.vmOrNull('kvm'), 'kvm_page_track_register_notifier'),
      say: (n) => `${n.t}: GVT registers its page-track notifier on ${n.l.kvm}`,
    },
    { line: 'return 0', step: false, run: () => ({ ret: 0 }) },
  ],
});

/* ---------------------------------------------------------- teardown */

const putOwn = (
  when: (v: Variant) => boolean,
  line: string | ((v: Variant) => string),
  k: (x: Exec) => string | null,
) =>
  putKvm(line, k, holder, {
    when,
    before: (x) => x.set('kvm', k(x)),
  });

const untrack = (
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
defineFn({
  name: '__intel_vgpu_release',
  file: FILE,
  why: { v2: 'v2-release-work' },
  params: ['d'],
  when: is('info-copy', 'guest-init', 'attached', 'v1'),
  body: [
    {
      line: (v) =>
        is('info-copy', 'guest-init')(v)
          ? 'if (!handle_valid(vgpu->handle)) return'
          : 'if (!vgpu->attached) return',
      run: (x) => (vgpu(x).attached ? undefined : (x.set('skip', 'detached'), { ret: 0 })),
      say: (n) =>
        n.l.skip
          ? `${n.t}: __intel_vgpu_release: ${n.l.d} is not attached, nothing to do`
          : `${n.t}: __intel_vgpu_release(${n.l.d}): attached, tear down`,
    },
    {
      line: (v) => `if (atomic_cmpxchg(&${v.gvt === 'info-copy' ? 'vdev' : 'vgpu'}->released, 0, 1)) return`,
      run: (x) => {
        const was = vgpu(x).released;
        x.send(drv(x), { type: 'set_released', v: 1 });
        if (was) return (x.set('skip', 'released'), { ret: 0 });
      },
      say: (n) =>
        n.l.skip
          ? `${n.t}: ${n.l.d} was already released: return`
          : `${n.t}: released 0 → 1: this thread tears ${n.l.d} down`,
    },
    { line: 'intel_gvt_release_vgpu(vgpu)', step: false },
    unregisterIommu(),
    unregisterGroup,
    { line: 'module_put(THIS_MODULE)', step: false, when: is('info-copy', 'guest-init') },
    {
      line: (v) =>
        v.gvt === 'info-copy'
          ? 'info = (struct kvmgt_guest_info *)vgpu->handle; kvmgt_guest_exit(info)'
          : 'kvmgt_guest_exit(vgpu)',
      step: false,
      when: is('info-copy', 'guest-init'),
      run: (x): Flow => {
        // v5.18 reads the handle again here: a teardown that ran meanwhile set it to 0.
        if (x.v.gvt === 'info-copy' && !vgpu(x).attached)
          return x.fault(
            'null-deref',
            'kvmgt_guest_exit(info = NULL): another teardown of this vGPU already set vgpu->handle to 0 and freed its kvmgt_guest_info',
          );
        return { call: 'kvmgt_guest_exit', args: { d: x.str('d') } };
      },
    },
    { line: 'debugfs_remove(vgpu->debugfs_cache_entries)', step: false, when: is('attached', 'v1') },
    untrack(
      'kvm_page_track_unregister_notifier(vgpu->kvm, &vgpu->track_node)',
      (x) => vgpu(x).kvm,
      is('attached'),
    ),
    untrack(
      'kvm_page_track_unregister_notifier(vgpu->vfio_device.kvm, &vgpu->track_node)',
      (x) => dkvm(x),
      is('v1'),
    ),
    putOwn(is('attached'), 'kvm_put_kvm(vgpu->kvm)', (x) => vgpu(x).kvm),
    {
      line: 'kvmgt_protect_table_destroy(vgpu); gvt_cache_destroy(vgpu); intel_vgpu_release_msi_eventfd_ctx(vgpu)',
      step: false,
    },
    {
      line: (v) =>
        v.gvt === 'info-copy'
          ? 'vfio_group_put_external_user(vdev->vfio_group); vdev->kvm = NULL; vgpu->handle = 0'
          : v.gvt === 'guest-init'
            ? 'vfio_group_put_external_user(vgpu->vfio_group); vgpu->kvm = NULL; vgpu->handle = 0'
            : v.gvt === 'attached'
              ? 'vgpu->kvm = NULL; vgpu->attached = false'
              : 'vgpu->attached = false',
      run: (x) => {
        if (viaNotifier(x.v)) x.send(drv(x), { type: 'set_kvm', k: null });
        x.send(drv(x), { type: 'detach' });
        x.effect({
          kind: 'ptr',
          from: viaNotifier(x.v) ? `group:${group(x)}` : `device:${x.str('d')}`,
          to: `driver:${x.str('d')}`,
          vm: null,
        });
      },
      say: (n) => `${n.t}: ${n.l.d} is detached`,
    },
    { line: 'return', step: false, run: () => ({ ret: 0 }) },
  ],
});

/** v5.18 and 10ddb96295f3: the detach step. */
defineFn({
  name: 'kvmgt_guest_exit',
  file: FILE,
  params: ['d'],
  when: is('info-copy', 'guest-init'),
  body: [
    { line: 'debugfs_remove(debugfs_lookup(KVMGT_DEBUGFS_FILENAME, info->debugfs))', step: false },
    untrack(
      'kvm_page_track_unregister_notifier(info->kvm, &info->track_node)',
      (x) => vgpu(x).infoKvm,
      is('info-copy'),
    ),
    putOwn(is('info-copy'), 'kvm_put_kvm(info->kvm)', (x) => vgpu(x).infoKvm),
    // 10ddb96: the parameter is still called info, but it is the vgpu: info->kvm is vgpu->kvm.
    untrack(
      'kvm_page_track_unregister_notifier(info->kvm, &info->track_node)',
      (x) => vgpu(x).kvm,
      is('guest-init'),
    ),
    putOwn(is('guest-init'), 'kvm_put_kvm(info->kvm)', (x) => vgpu(x).kvm),
    {
      line: (v) =>
        v.gvt === 'info-copy'
          ? 'kvmgt_protect_table_destroy(info); gvt_cache_destroy(vgpu); vfree(info)'
          : 'kvmgt_protect_table_destroy(vgpu); gvt_cache_destroy(vgpu)',
      step: false,
      run: (x) =>
        x.v.gvt === 'info-copy' ? void x.send(drv(x), { type: 'set_info_kvm', k: null }) : undefined,
    },
    { line: 'return true', step: false, run: () => ({ ret: 0 }) },
  ],
});

defineFn({
  name: 'intel_vgpu_release_work',
  file: FILE,
  why: { v2: 'v2-release-work' },
  params: ['d'],
  when: is('info-copy', 'guest-init', 'attached', 'v1'),
  body: [
    call('__intel_vgpu_release(vgpu)   /* on a kworker, later */', '__intel_vgpu_release', (x) => ({
      d: x.str('d'),
    })),
    { line: 'return', step: false, run: () => ({ ret: 0 }) },
  ],
});

defineFn({
  name: 'intel_vgpu_close_device',
  file: FILE,
  params: ['d'],
  when: is('info-copy', 'guest-init', 'attached', 'v1'),
  body: [
    call('__intel_vgpu_release(vgpu)', '__intel_vgpu_release', (x) => ({ d: x.str('d') })),
    { line: 'return', step: false, run: () => ({ ret: 0 }) },
  ],
});

/** Patch v2 on: __intel_vgpu_release became close_device itself (release_work is gone). */
defineFn({
  name: 'intel_vgpu_close_device',
  file: FILE,
  why: { v2: 'v2-release-work' },
  params: ['d'],
  when: is('v2', 'fixed'),
  body: [
    {
      line: 'if (!vgpu->attached) return',
      step: false,
      run: (x) => (vgpu(x).attached ? undefined : { ret: 0 }),
    },
    {
      line: 'if (atomic_cmpxchg(&vgpu->released, 0, 1)) return',
      step: false,
      run: (x) => {
        const was = vgpu(x).released;
        x.send(drv(x), { type: 'set_released', v: 1 });
        if (was) return { ret: 0 };
      },
    },
    { line: 'intel_gvt_release_vgpu(vgpu)', step: false },
    unregisterIommu(),
    { line: 'debugfs_remove(vgpu->debugfs_cache_entries)', step: false },
    untrack(
      'kvm_page_track_unregister_notifier(vgpu->vfio_device.kvm, &vgpu->track_node)',
      (x) => dkvm(x),
      is('v2', 'fixed'),
    ),
    putOwn(is('fixed'), 'kvm_put_kvm(vgpu->vfio_device.kvm)   /* unconditional (3c9fd44b9330) */', (x) =>
      dkvm(x),
    ),
    {
      line: 'kvmgt_protect_table_destroy(vgpu); gvt_cache_destroy(vgpu); intel_vgpu_release_msi_eventfd_ctx(vgpu)',
      step: false,
    },
    {
      line: 'vgpu->attached = false',
      run: (x) => {
        x.send(drv(x), { type: 'detach' });
        x.effect({ kind: 'ptr', from: `device:${x.str('d')}`, to: `driver:${x.str('d')}`, vm: null });
      },
      say: (n) => `${n.t}: ${n.l.d} is detached`,
    },
    {
      line: 'if (vgpu->vfio_device.kvm)',
      step: false,
      when: is('v2'),
      run: (x) => (dkvm(x) ? undefined : { ret: 0 }),
    },
    putOwn(is('v2'), '\tkvm_put_kvm(vgpu->vfio_device.kvm)', (x) => dkvm(x)),
    { line: 'return', step: false, run: () => ({ ret: 0 }) },
  ],
});

export const gvt: DriverDescriptor<VgpuCtx> = {
  name: 'gvt',
  title: 'i915 GVT-g (kvmgt)',
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
  pointerName: (v) =>
    v.gvt === 'info-copy' ? 'vdev->kvm' : viaNotifier(v) ? 'vgpu->kvm' : 'kvm (while attached)',
  fields: (c) => [
    { name: 'attached', value: String(c.attached) },
    { name: 'released', value: String(c.released) },
    { name: 'page-track on', value: String(c.track ?? 'none') },
    ...(c.infoKvm ? [{ name: 'info->kvm', value: c.infoKvm }] : []),
  ],
};
