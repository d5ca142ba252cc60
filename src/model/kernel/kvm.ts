/**
 * virt/kvm/kvm_main.c as far as the VM's lifetime goes: the reference count
 * (`users_count`, a refcount_t), kvm_destroy_vm, and the release of the VM's
 * files. Plus the two generic frames the kernel runs file releases from
 * (fs/file_table.c `__fput`, kernel/task_work.c `task_work_run`).
 *
 * In this model the VM fd, the vCPU fds and the KVM-VFIO device fd hold one
 * reference together (the `fds` holder): the last of the VM's files to be
 * released drops it. See docs/kernel-reference.md, "The VM's lifetime".
 */
import { call, defineFn, mark, type Exec, type Flow } from '../program.ts';
import { slot } from '../slots.ts';
import { acquire, release, lockKey, vmDesc } from './lib.ts';

const K = (x: Pick<Exec, 'str'>) => x.str('k');
const KV = (x: Pick<Exec, 'str'>) => slot.kvmVfio(x.str('k'));
const MAIN = 'virt/kvm/kvm_main.c';

defineFn({
  name: 'kvm_get_kvm',
  file: MAIN,
  params: ['k', 'h'],
  body: [
    {
      line: 'refcount_inc(&kvm->users_count)',
      run: (x) => {
        const k = x.vmOrNull('k');
        const h = x.str('h');
        if (k === null) return x.fault('null-deref', 'kvm_get_kvm(NULL) dereferences a NULL struct kvm *');
        const out = x.send(slot.kvm(k), { type: 'get', h });
        if (out?.fault === 'use-after-free')
          return x.fault('use-after-free', `kvm_get_kvm on ${k}, which was already freed`, k);
        if (out?.fault === 'get-from-zero')
          x.fault(
            'get-from-zero',
            `kvm_get_kvm on ${k} whose users_count is already 0 (kvm_destroy_vm is under way): refcount_t saturates`,
            k,
          );
        x.effect({ kind: 'get', vm: k, holder: h });
      },
      say: (n) =>
        `${n.t}: kvm_get_kvm(${n.l.k ?? 'NULL'}) for ${String(n.l.h)} → ${vmDesc(n, n.l.k as string)}`,
    },
    { line: 'return', step: false, run: () => ({ ret: 0 }) },
  ],
});

defineFn({
  name: 'kvm_get_kvm_safe',
  file: MAIN,
  params: ['k', 'h'],
  body: [
    {
      line: 'return refcount_inc_not_zero(&kvm->users_count)',
      run: (x) => {
        const k = x.str('k');
        const out = x.send(slot.kvm(k), { type: 'get_safe', h: x.str('h') });
        if (out?.fault === 'use-after-free')
          return x.fault('use-after-free', `kvm_get_kvm_safe on ${k}, which was already freed`, k);
        if (out?.ok) x.effect({ kind: 'get', vm: k, holder: x.str('h') });
        x.set('ok', out?.ok === true);
      },
      say: (n) =>
        n.l.ok
          ? `${n.t}: kvm_get_kvm_safe(${n.l.k}) for ${String(n.l.h)} → ${vmDesc(n, n.l.k as string)}`
          : `${n.t}: kvm_get_kvm_safe(${n.l.k}) fails: users_count is already 0`,
    },
    { line: 'return', step: false, run: (x) => ({ ret: x.l.ok === true }) },
  ],
});

defineFn({
  name: 'kvm_put_kvm',
  file: MAIN,
  params: ['k', 'h'],
  body: [
    {
      line: 'if (refcount_dec_and_test(&kvm->users_count))',
      run: (x) => {
        const k = x.vmOrNull('k');
        const h = x.str('h');
        if (k === null) return x.fault('null-deref', 'kvm_put_kvm(NULL) dereferences a NULL struct kvm *');
        const out = x.send(slot.kvm(k), { type: 'put', h });
        if (out?.fault === 'use-after-free')
          return x.fault('use-after-free', `kvm_put_kvm on ${k}, which was already freed`, k);
        if (out?.fault === 'unbalanced-put')
          x.fault('unbalanced-put', `${h} puts a reference on ${k} it never got`, k);
        x.effect({ kind: 'put', vm: k, holder: h });
        x.set('last', out?.destroy === true);
      },
      say: (n) =>
        `${n.t}: kvm_put_kvm(${n.l.k ?? 'NULL'}) for ${String(n.l.h)} → ${vmDesc(n, n.l.k as string)}${n.l.last ? ': the last reference' : ''}`,
    },
    {
      line: '\tkvm_destroy_vm(kvm)   /* synchronously, in this thread */',
      step: false,
      run: (x) => (x.l.last ? { call: 'kvm_destroy_vm', args: { k: K(x) } } : undefined),
    },
    { line: 'return', step: false, run: () => ({ ret: 0 }) },
  ],
});

defineFn({
  name: 'kvm_destroy_vm',
  file: MAIN,
  params: ['k'],
  body: [
    {
      line: "kvm_arch_destroy_vm(kvm)   /* the architecture's teardown comes first */",
      run: (x) => void x.send(slot.kvm(K(x)), { type: 'arch_destroy' }),
      say: (n) =>
        `${n.t}: kvm_destroy_vm(${n.l.k}) runs in this thread: the architecture's teardown (users_count is 0)`,
    },
    call('kvm_destroy_devices(kvm)', 'kvm_destroy_devices', (x) => ({ k: K(x) })),
    {
      line: 'kvm_arch_free_vm(kvm)',
      run: (x) => void x.send(slot.kvm(K(x)), { type: 'free' }),
      say: (n) => `${n.t}: kvm_destroy_vm frees ${n.l.k}`,
    },
    { line: 'return', step: false, run: () => ({ ret: 0 }) },
  ],
});

defineFn({
  name: 'kvm_destroy_devices',
  file: MAIN,
  params: ['k'],
  body: [
    {
      line: '/* no kvm->lock: nobody else holds a reference to kvm */',
      step: false,
    },
    {
      line: 'list_for_each_entry_safe(dev, tmp, &kvm->devices, vm_node)',
      step: false,
      // A device whose release op already ran (51cdc8bc120e on) is no longer on the list.
      run: (x) => (x.state(KV(x)) === 'live' ? undefined : { goto: 'out' }),
    },
    call('\tdev->ops->destroy(dev)', 'kvm_vfio_destroy', (x) => ({ k: K(x) })),
    mark('out'),
    { line: 'return', step: false, run: () => ({ ret: 0 }) },
  ],
});

/** Is this the last of the VM's files to be released? Then the fds' reference goes with it. */
function lastFile(x: Exec): boolean {
  const c = x.ctx(KV(x));
  return c.fileReleased && c.vmFileReleased;
}

const fdsPut = {
  line: "kvm_put_kvm(kvm)   /* the VM's files hold one reference together: the last one released drops it */",
  step: false,
  run: (x: Exec) => (lastFile(x) ? { call: 'kvm_put_kvm', args: { k: K(x), h: 'fds' } } : undefined),
};

/** The KVM-VFIO device's file is released (its last fput). */
defineFn({
  name: 'kvm_device_release',
  file: MAIN,
  params: ['k'],
  body: [
    {
      line: 'struct kvm *kvm = dev->kvm',
      step: false,
      run: (x) => void x.send(KV(x), { type: 'file_release' }),
    },
    { line: 'if (dev->ops->release) {', step: false, when: (v) => v.kvmVfioRelease },
    acquire('\tmutex_lock(&kvm->lock)', (x) => lockKey.kvm(x.str('k')), 'mutex', {
      when: (v) => v.kvmVfioRelease,
      vm: K,
    }),
    { line: '\tlist_del(&dev->vm_node)', step: false, when: (v) => v.kvmVfioRelease },
    call('\tdev->ops->release(dev)', 'kvm_vfio_release', (x) => ({ k: K(x) }), {
      when: (v) => v.kvmVfioRelease,
    }),
    release('\tmutex_unlock(&kvm->lock)', (x) => lockKey.kvm(x.str('k')), 'mutex', {
      when: (v) => v.kvmVfioRelease,
      vm: K,
    }),
    { line: '}', step: false, when: (v) => v.kvmVfioRelease },
    fdsPut,
    { line: 'return 0', step: false, run: () => ({ ret: 0 }) },
  ],
});

/** The VM fd is released. */
defineFn({
  name: 'kvm_vm_release',
  file: MAIN,
  params: ['k'],
  body: [
    {
      line: 'kvm_irqfd_release(kvm)',
      step: false,
      run: (x) => void x.send(KV(x), { type: 'vm_file_release' }),
    },
    fdsPut,
    { line: 'return 0', step: false, run: () => ({ ret: 0 }) },
  ],
});

/**
 * fs/file_table.c: the last fput of a file runs its release op here.
 * `f` names the file: `kvm_vfio:K` or `vm:K` (a device fd's release is the close_device op).
 */
defineFn({
  name: '__fput',
  file: 'fs/file_table.c',
  params: ['f'],
  body: [
    {
      line: 'file->f_op->release(inode, file)',
      step: false,
      run: (x): Flow => {
        const [kind, id] = x.str('f').split(':') as [string, string];
        if (kind === 'kvm_vfio') return { call: 'kvm_device_release', args: { k: id } };
        return { call: 'kvm_vm_release', args: { k: id } };
      },
    },
    { line: 'return', step: false, run: () => ({ ret: 0 }) },
  ],
});

/**
 * The `close_vm` op: userspace closes the VM fd, the vCPU fds and the
 * KVM-VFIO device fd; on the way back to userspace the kernel runs the
 * deferred releases (kernel/task_work.c). A KVM-VFIO file still pinned by an
 * ioctl in progress is released by that ioctl's fdput instead.
 */
defineFn({
  name: 'task_work_run',
  key: 'close_vm',
  file: 'kernel/task_work.c',
  params: ['k'],
  body: [
    {
      line: "/* close() of K's VM, vCPU and KVM-VFIO device fds; -EBADF if they are already closed */",
      run: (x) => {
        if (!x.ctx(KV(x)).fdOpen) {
          x.set('r', '-EBADF');
          return { ret: '-EBADF' };
        }
        x.send(KV(x), { type: 'close_fd' });
      },
      say: (n) =>
        n.l.r === '-EBADF'
          ? `${n.t}: ${n.l.k}'s fds are already closed: -EBADF`
          : `${n.t}: closes ${n.l.k}'s VM, vCPU and KVM-VFIO device fds`,
    },
    {
      line: "work->func(work)   /* __fput of the KVM-VFIO device's file, unless an ioctl still pins it */",
      step: false,
      run: (x) =>
        x.ctx(KV(x)).inflight === 0 ? { call: '__fput', args: { f: `kvm_vfio:${K(x)}` } } : undefined,
    },
    call("work->func(work)   /* __fput of the VM's file */", '__fput', (x) => ({ f: `vm:${K(x)}` })),
    { line: 'return', step: false, run: () => ({ ret: 0 }) },
  ],
});
