/**
 * virt/kvm/kvm_main.c, as far as the VM's lifetime goes (domain.md §1.1).
 */
import { defineFn } from '../program.ts';
import type { KvmVfioCtx } from '../machines/kvmVfio.ts';
import { acquire, kput, lockKey, release, vmDesc } from './lib.ts';

/** Runs in the thread whose kvm_put_kvm dropped the last reference. */
defineFn({
  name: 'kvm_destroy_vm',
  file: 'virt/kvm/kvm_main.c',
  params: ['k'],
  body: [
    {
      line: 'kvm_arch_destroy_vm(K)   # arch teardown first ([S20])',
      run: (x) => void x.send(`kvm:${x.str('k')}`, { type: 'arch_destroy' }),
      say: (n) => `${n.t}: kvm_destroy_vm(${n.l.k}) runs in this thread: arch teardown (users_count is 0)`,
    },
    {
      line: 'kvm_destroy_devices(K): kvm_vfio_destroy(V)   # no lock: nobody else holds K',
      step: false,
      when: (v) => !v.kvmVfioRelease,
      run: (x) => ({ call: 'kvm_vfio_destroy', args: { k: x.str('k') } }),
    },
    {
      line: 'kvm_destroy_devices(K)   # the KVM-VFIO device was already released with its fd (51cdc8bc120e)',
      step: false,
      when: (v) => v.kvmVfioRelease,
    },
    {
      line: 'free K',
      run: (x) => {
        const k = x.str('k');
        x.send(`kvm_vfio:${k}`, { type: 'destroy' });
        x.send(`kvm:${k}`, { type: 'free' });
      },
      say: (n) => `${n.t}: kvm_destroy_vm frees ${n.l.k}`,
    },
    { line: 'return', step: false, run: () => ({ ret: 0 }) },
  ],
});

/**
 * The `close_vm` op: userspace closes the VM fd, the vCPU fds and the
 * KVM-VFIO device fd, which together hold one reference (spec §3).
 */
defineFn({
  name: 'kvm_vm_release',
  file: 'virt/kvm/kvm_main.c',
  params: ['k'],
  body: [
    {
      line: "if K's fds are already closed: FAIL(-EBADF)",
      step: false,
      run: (x) => (x.ctx<KvmVfioCtx>(`kvm_vfio:${x.str('k')}`).fdOpen ? undefined : { ret: '-EBADF' }),
    },
    {
      line: 'close the VM fd, the vCPU fds and the KVM-VFIO device fd',
      run: (x) => void x.send(`kvm_vfio:${x.str('k')}`, { type: 'close_fd' }),
      say: (n) => `${n.t}: closes ${n.l.k}'s VM, vCPU and KVM-VFIO fds`,
    },
    {
      line: "kvm_device_release(V)   # V's release op, unless an ADD/DEL still holds V's file (51cdc8bc120e)",
      step: false,
      when: (v) => v.kvmVfioRelease,
      run: (x) =>
        x.ctx<KvmVfioCtx>(`kvm_vfio:${x.str('k')}`).inflight === 0
          ? { call: 'kvm_device_release', args: { k: x.str('k') } }
          : undefined,
    },
    {
      line: "kvm_put_kvm(K)   # the fds' reference; at 0, kvm_destroy_vm runs here",
      run: (x) => kput(x, x.str('k'), 'fds'),
      say: (n) => `${n.t}: kvm_put_kvm drops the fds' reference: ${vmDesc(n, n.l.k as string)}`,
    },
    { line: 'return 0', step: false, run: () => ({ ret: 0 }) },
  ],
});

/** fixed only: the file release of the KVM-VFIO device fd (kvm_device_release takes kvm->lock). */
defineFn({
  name: 'kvm_device_release',
  file: 'virt/kvm/kvm_main.c',
  params: ['k'],
  when: (v) => v.kvmVfioRelease,
  body: [
    acquire('lock(K->lock)', (x) => lockKey.kvm(x.str('k')), 'mutex', { vm: (x) => x.str('k') }),
    {
      line: 'list_del(V); V.ops->release(V) = kvm_vfio_release(V)',
      step: false,
      run: (x) => ({ call: 'kvm_vfio_release', args: { k: x.str('k') } }),
    },
    release('unlock(K->lock)', (x) => lockKey.kvm(x.str('k')), 'mutex', { vm: (x) => x.str('k') }),
    { line: 'return', step: false, run: () => ({ ret: 0 }) },
  ],
});
