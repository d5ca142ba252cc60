/** GVT's SET_KVM callback (until the patch), intel_vgpu_open_device, and kvmgt_guest_init (v5.18, 10ddb96295f3). */
import { call, defineFn, label } from '../../program.ts';
import { slot } from '../../slots.ts';
import { getKvm } from '../../kernel/lib.ts';
import { type VgpuCtx } from './vgpu.ts';
import {
  attach,
  checkKvm,
  checkOther,
  dkvm,
  drv,
  failTo,
  group,
  gvtKvm,
  holder,
  is,
  kvmField,
  registerIommu,
  sayCheckKvm,
  sayOther,
  trackOn,
  unregisterGroup,
  unregisterIommu,
  vgpu,
  viaNotifier,
  FILE,
} from './common.ts';

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
