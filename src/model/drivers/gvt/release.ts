/** GVT's teardown: __intel_vgpu_release and kvmgt_guest_exit until v2, close_device after, release_work. */
import { call, defineFn, type Flow } from '../../program.ts';
import {
  dkvm,
  drv,
  group,
  is,
  putOwn,
  unregisterGroup,
  unregisterIommu,
  untrack,
  vgpu,
  viaNotifier,
  FILE,
} from './common.ts';

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
