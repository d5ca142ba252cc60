/**
 * virt/kvm/vfio.c: the KVM-VFIO pseudo-device `V` (domain.md §1.2).
 * ADD and DEL are the `kvm_add_group` / `kvm_del_group` ops. Each holds V's
 * file for its duration (fget … fput), modelled as a VM reference the op
 * gets at its start and puts at its end (spec §3).
 */
import { defineFn, label, type Exec, type Flow } from '../program.ts';
import type { KvmVfioCtx } from '../machines/kvmVfio.ts';
import { acquire, kget, kput, lockKey, release, vmDesc } from './lib.ts';

const V = (x: Pick<Exec, 'str'>) => `kvm_vfio:${x.str('k')}`;
const fileHolder = (x: Pick<Exec, 'thread'>) => `ioctl:${x.thread}`;

function fget(x: Exec): Flow {
  const v = x.ctx<KvmVfioCtx>(V(x));
  if (!v.fdOpen) {
    x.set('r', '-EBADF');
    return { ret: '-EBADF' };
  }
  x.send(V(x), { type: 'fget' });
  kget(x, x.str('k'), fileHolder(x));
}

/** After the ioctl's fput: in `fixed`, the last holder of a closed V runs its release. */
function fputRelease(x: Exec): Flow {
  x.send(V(x), { type: 'fput' });
  const v = x.ctx<KvmVfioCtx>(V(x));
  if (x.v.kvmVfioRelease && !v.fdOpen && v.inflight === 0 && !v.released)
    return { call: 'kvm_device_release', args: { k: x.str('k') } };
}

const tail = [
  label('FPUT'),
  {
    line: 'fput(f)   # in fixed, the last fput of a closed V runs kvm_device_release',
    step: false,
    run: fputRelease,
  },
  {
    line: "kvm_put_kvm(K)   # the ioctl's hold on V's file (and so on K) ends",
    run: (x: Exec) => kput(x, x.str('k'), fileHolder(x)),
    say: (n: import('../program.ts').Say) =>
      `${n.t}: the ioctl drops its hold on ${n.l.k}: ${vmDesc(n, n.l.k as string)}`,
  },
  { line: 'return r', step: false, run: (x: Exec) => ({ ret: x.l.r ?? 0 }) },
];

defineFn({
  name: 'kvm_vfio_group_add',
  file: 'virt/kvm/vfio.c',
  params: ['k', 'g'],
  body: [
    {
      line: "f := fget(fd) or FAIL(-EBADF)   # the group fd; the ioctl itself holds V's file",
      run: fget,
      say: (n) =>
        n.l.r === '-EBADF'
          ? `${n.t}: KVM_DEV_VFIO_GROUP_ADD fails with -EBADF: ${n.l.k}'s fds are closed`
          : `${n.t}: KVM_DEV_VFIO_GROUP_ADD(${n.l.g}) on ${n.l.k}'s KVM-VFIO device: ${vmDesc(n, n.l.k as string)}`,
    },
    { line: 'if f is not a vfio group file: fput(f); FAIL(-EINVAL)', step: false },
    acquire('lock(V.lock)', (x) => lockKey.kvmVfio(x.str('k')), 'mutex'),
    {
      line: 'if f already in V.group_list: r := -EEXIST; goto UNLOCK',
      step: false,
      run: (x) => {
        if (x.ctx<KvmVfioCtx>(V(x)).groups.includes(x.str('g'))) {
          x.set('r', '-EEXIST');
          return { goto: 'UNLOCK' };
        }
      },
    },
    {
      line: 'append entry{file=f}; kvm_arch_start_assignment(K)',
      run: (x) => void x.send(V(x), { type: 'add', g: x.str('g') }),
      say: (n) => `${n.t}: lists ${n.l.g} in ${n.l.k}'s KVM-VFIO device`,
    },
    release('unlock(V.lock)', (x) => lockKey.kvmVfio(x.str('k')), 'mutex'),
    {
      line: 'vfio_file_set_kvm(f, K)   # NOTE: after dropping V.lock (until v6.6, §4.2-N)',
      step: false,
      run: (x) => ({ call: 'vfio_file_set_kvm', args: { g: x.str('g'), k: x.str('k'), via: x.str('k') } }),
    },
    {
      line: 'recompute coherency; r := 0; goto FPUT',
      step: false,
      run: (x) => (x.set('r', 0), { goto: 'FPUT' }),
    },
    release('unlock(V.lock)', (x) => lockKey.kvmVfio(x.str('k')), 'mutex', { label: 'UNLOCK' }),
    ...tail,
  ],
});

defineFn({
  name: 'kvm_vfio_group_del',
  file: 'virt/kvm/vfio.c',
  params: ['k', 'g'],
  body: [
    {
      line: 'f := fget(fd) or FAIL(-EBADF)',
      run: fget,
      say: (n) =>
        n.l.r === '-EBADF'
          ? `${n.t}: KVM_DEV_VFIO_GROUP_DEL fails with -EBADF: ${n.l.k}'s fds are closed`
          : `${n.t}: KVM_DEV_VFIO_GROUP_DEL(${n.l.g}) on ${n.l.k}'s KVM-VFIO device`,
    },
    acquire('lock(V.lock)', (x) => lockKey.kvmVfio(x.str('k')), 'mutex'),
    {
      line: 'r := -ENOENT; if no entry has the same file: goto UNLOCK',
      step: false,
      run: (x) => {
        x.set('r', '-ENOENT');
        if (!x.ctx<KvmVfioCtx>(V(x)).groups.includes(x.str('g'))) return { goto: 'UNLOCK' };
      },
    },
    {
      line: 'remove the entry; kvm_arch_end_assignment(K)',
      run: (x) => void x.send(V(x), { type: 'del', g: x.str('g') }),
      say: (n) => `${n.t}: removes ${n.l.g} from ${n.l.k}'s KVM-VFIO device`,
    },
    {
      line: 'vfio_file_set_kvm(file, NULL)   # under V.lock',
      step: false,
      run: (x) => ({ call: 'vfio_file_set_kvm', args: { g: x.str('g'), k: null, via: x.str('k') } }),
    },
    { line: 'fput(group file); free entry; r := 0', step: false, run: (x) => x.set('r', 0) },
    release('unlock(V.lock)', (x) => lockKey.kvmVfio(x.str('k')), 'mutex', { label: 'UNLOCK' }),
    { line: 'recompute coherency', step: false },
    ...tail,
  ],
});

/** The list walk shared by V.destroy (kvm_destroy_vm) and, in fixed, V.release. */
function clearGroups(what: string) {
  return [
    label('LOOP'),
    {
      line: "for each entry: g := the entry's group   (done: goto DONE)",
      step: false,
      run: (x: Exec) => {
        const groups = x.ctx<KvmVfioCtx>(V(x)).groups;
        if (groups.length === 0) return { goto: 'DONE' };
        x.set('g', groups[0]!);
      },
    },
    {
      line: 'vfio_file_set_kvm(g, NULL)',
      step: false,
      run: (x: Exec) => ({ call: 'vfio_file_set_kvm', args: { g: x.str('g'), k: null, via: x.str('k') } }),
    },
    {
      line: 'fput(group file); list_del; free entry; kvm_arch_end_assignment(K)',
      run: (x: Exec) => (x.send(V(x), { type: 'del', g: x.str('g') }), { goto: 'LOOP' }),
      say: (n: import('../program.ts').Say) =>
        `${n.t}: ${what} drops ${n.l.g} from ${n.l.k}'s KVM-VFIO device`,
    },
    label('DONE'),
  ];
}

/** V.destroy: from kvm_destroy_vm → kvm_destroy_devices (users_count already 0). Not in fixed. */
defineFn({
  name: 'kvm_vfio_destroy',
  file: 'virt/kvm/vfio.c',
  params: ['k'],
  when: (v) => !v.kvmVfioRelease,
  body: [
    ...clearGroups('kvm_vfio_destroy'),
    { line: 'recompute coherency; free V', step: false, run: () => ({ ret: 0 }) },
  ],
});

/** fixed (51cdc8bc120e): V.release, when V's fd is closed; under kvm->lock (kvm_device_release). */
defineFn({
  name: 'kvm_vfio_release',
  file: 'virt/kvm/vfio.c',
  params: ['k'],
  when: (v) => v.kvmVfioRelease,
  body: [
    ...clearGroups('kvm_vfio_release'),
    {
      line: 'recompute coherency; free V',
      step: false,
      run: (x) => (x.send(V(x), { type: 'release' }), { ret: 0 }),
    },
  ],
});
