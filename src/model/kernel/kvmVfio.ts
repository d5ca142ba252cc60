/**
 * virt/kvm/vfio.c: the KVM-VFIO pseudo-device. KVM_DEV_VFIO_GROUP_ADD and
 * _DEL are the `kvm_add_group` / `kvm_del_group` ops; each runs as an ioctl
 * on the device's fd, which pins the device's file (fdget) — and through it
 * the file's reference on the VM — until its fdput. The ioctl takes no VM
 * reference of its own.
 *
 * v5.18 had ADD and DEL inline in kvm_vfio_set_group and called VFIO through
 * kvm_vfio_group_set_kvm(vfio_group, kvm); May 2022 split them into
 * kvm_vfio_group_add/_del on struct file (73b0565f19a8, d55d9e7a4572,
 * ba70a89f3c2a); 51cdc8bc120e turned destroy into release; 9e0f4f2918c2
 * moved ADD's set_kvm under kv->lock.
 */
import {
  call,
  defineFn,
  label,
  mark,
  text,
  type Exec,
  type FnDef,
  type Flow,
  type Instr,
  type Say,
} from '../program.ts';
import type { Variant } from '../era.ts';
import { slot } from '../slots.ts';
import { acquire, lockKey, release, vmDesc } from './lib.ts';

const KV = (x: Pick<Exec, 'str'>) => slot.kvmVfio(x.str('k'));
const kvLock = (x: Pick<Exec, 'str'>) => lockKey.kvmVfio(x.str('k'));
const FILE = 'virt/kvm/vfio.c';
/** The vfio cdev preparation renamed the list entries (struct kvm_vfio_group *kvg → struct kvm_vfio_file *kvf). */
const entry = (v: Variant, t: string) =>
  v.dfApi ? t.replace(/kvg/g, 'kvf').replace(/group_list/g, 'file_list') : t;
/** defineFn with the cdev-preparation renames applied to every line. */
function defineKv(def: FnDef): void {
  defineFn({
    ...def,
    body: def.body.map((i) => ({ ...i, line: (v: Variant) => entry(v, text(i.line, v)) })),
  });
}
const fileApi = (v: Variant) => v.fileApi;
const groupApi = (v: Variant) => !v.fileApi;

/**
 * The ioctl syscall on the KVM-VFIO device's fd (fs/ioctl.c): fdget pins the
 * file for the call, fdput unpins it; the last fdput of a file userspace has
 * closed meanwhile runs its release.
 */
defineKv({
  name: '__do_sys_ioctl',
  key: 'kvm_device_attr_ioctl',
  file: 'fs/ioctl.c',
  params: ['k', 'g', 'cmd'],
  body: [
    {
      line: 'struct fd f = fdget(fd)   /* -EBADF if the fd is closed; else the file stays pinned */',
      run: (x): Flow => {
        if (!x.ctx(KV(x)).fdOpen) {
          x.set('r', '-EBADF');
          return { ret: '-EBADF' };
        }
        x.send(KV(x), { type: 'fget' });
      },
      say: (n) =>
        n.l.r === '-EBADF'
          ? `${n.t}: KVM_SET_DEVICE_ATTR fails with -EBADF: ${n.l.k}'s KVM-VFIO fd is closed`
          : `${n.t}: KVM_SET_DEVICE_ATTR(${n.l.cmd === 'add' ? 'KVM_DEV_VFIO_GROUP_ADD' : 'KVM_DEV_VFIO_GROUP_DEL'}, ${n.l.g}) on ${n.l.k}'s KVM-VFIO device; the ioctl pins its file`,
    },
    call(
      'error = vfs_ioctl(f.file, cmd, arg)   /* kvm_device_ioctl → kvm_vfio_set_attr */',
      'kvm_vfio_set_attr',
      (x) => ({ k: x.str('k'), g: x.str('g'), cmd: x.str('cmd') }),
      { into: 'r' },
    ),
    {
      line: 'fdput(f)',
      run: (x): Flow => {
        x.send(KV(x), { type: 'fput' });
        const c = x.ctx(KV(x));
        if (!c.fdOpen && c.inflight === 0 && !c.fileReleased)
          return { call: '__fput', args: { f: `kvm_vfio:${x.str('k')}` } };
      },
      say: (n) => {
        const c = n.ctx<{ fdOpen: boolean; inflight: number }>(`kvm_vfio:${String(n.l.k)}`);
        return !c.fdOpen && c.inflight === 0
          ? `${n.t}: fdput: the last pin of ${n.l.k}'s closed KVM-VFIO file, so its release runs now, in this thread`
          : `${n.t}: fdput: the ioctl unpins ${n.l.k}'s KVM-VFIO file`;
      },
    },
    { line: 'return error', step: false, run: (x) => ({ ret: x.l.r ?? 0 }) },
  ],
});

defineKv({
  name: 'kvm_vfio_set_attr',
  file: FILE,
  params: ['k', 'g', 'cmd'],
  body: [
    {
      line: (v) =>
        v.dfApi
          ? 'case KVM_DEV_VFIO_FILE: return kvm_vfio_set_file(dev, attr->attr, attr->addr)'
          : 'case KVM_DEV_VFIO_GROUP: return kvm_vfio_set_group(dev, attr->attr, attr->addr)',
      step: false,
      run: (x) =>
        x.v.fileApi
          ? { call: 'kvm_vfio_set_group', args: { ...x.l }, into: 'r' }
          : { call: x.str('cmd') === 'add' ? 'kvm_vfio_add' : 'kvm_vfio_del', args: { ...x.l }, into: 'r' },
    },
    { line: 'return', step: false, run: (x) => ({ ret: x.l.r ?? 0 }) },
  ],
});

/** From May 2022 on: the dispatcher (ADD and DEL became functions in 73b0565f19a8). */
defineKv({
  name: (v) => (v.dfApi ? 'kvm_vfio_set_file' : 'kvm_vfio_set_group'),
  key: 'kvm_vfio_set_group',
  file: FILE,
  params: ['k', 'g', 'cmd'],
  when: fileApi,
  body: [
    {
      line: (v) =>
        v.dfApi
          ? 'case KVM_DEV_VFIO_FILE_ADD: return kvm_vfio_file_add(dev, fd)   /* or _DEL: kvm_vfio_file_del */'
          : 'case KVM_DEV_VFIO_GROUP_ADD: return kvm_vfio_group_add(dev, fd)   /* or _DEL: kvm_vfio_group_del */',
      step: false,
      run: (x) => ({
        call: x.str('cmd') === 'add' ? 'kvm_vfio_add' : 'kvm_vfio_del',
        args: { ...x.l },
        into: 'r',
      }),
    },
    { line: 'return', step: false, run: (x) => ({ ret: x.l.r ?? 0 }) },
  ],
});

/** kvm_vfio_file_set_kvm (kvm_vfio_group_set_kvm in v5.18): the call into VFIO through symbol_get. */
defineKv({
  name: (v) => (v.fileApi ? 'kvm_vfio_file_set_kvm' : 'kvm_vfio_group_set_kvm'),
  key: 'kvm_vfio_set_kvm',
  file: FILE,
  params: ['g', 'k', 'via'],
  body: [
    {
      line: (v) => `fn = symbol_get(${v.fileApi ? 'vfio_file_set_kvm' : 'vfio_group_set_kvm'})`,
      step: false,
    },
    call(
      (v) => (v.fileApi ? 'fn(file, kvm)' : 'fn(group, kvm)'),
      'set_kvm',
      (x) => ({ g: x.str('g'), k: x.vmOrNull('k'), via: x.str('via') }),
      {},
    ),
    {
      line: (v) => `symbol_put(${v.fileApi ? 'vfio_file_set_kvm' : 'vfio_group_set_kvm'})`,
      step: false,
      run: () => ({ ret: 0 }),
    },
  ],
});

/** The call into VFIO: ADD passes the VM, DEL and the list walks pass NULL. */
const setKvm = (clear: boolean, o: { when?: (v: Variant) => boolean; src?: string } = {}) =>
  call(
    (v) =>
      v.fileApi
        ? `kvm_vfio_file_set_kvm(kvg->file, ${clear ? 'NULL' : 'dev->kvm'})`
        : `kvm_vfio_group_set_kvm(${clear ? 'kvg->vfio_group, NULL' : 'vfio_group, dev->kvm'})`,
    'kvm_vfio_set_kvm',
    (x) => ({ g: x.str('g'), k: clear ? null : x.str('k'), via: x.str('k') }),
    o,
  );

const whyAdd = { 'v6.6': 'kvg-race' };

defineKv({
  name: (v) => (v.dfApi ? 'kvm_vfio_file_add' : v.fileApi ? 'kvm_vfio_group_add' : 'kvm_vfio_set_group'),
  key: 'kvm_vfio_add',
  file: FILE,
  params: ['k', 'g', 'cmd'],
  body: [
    {
      line: 'vfio_group = kvm_vfio_group_get_external_user(f.file)   /* case KVM_DEV_VFIO_GROUP_ADD */',
      step: false,
      when: groupApi,
    },
    { line: 'filp = fget(fd); if (!vfio_file_is_group(filp)) return -EINVAL', step: false, when: fileApi },
    acquire('mutex_lock(&kv->lock)', kvLock, 'mutex'),
    {
      line: (v) =>
        v.fileApi
          ? 'list_for_each_entry(kvg, &kv->group_list, node) if (kvg->file == filp) { ret = -EEXIST; goto err_unlock; }'
          : 'list_for_each_entry(kvg, &kv->group_list, node) if (kvg->vfio_group == vfio_group) { ret = -EEXIST; goto err_unlock; }',
      step: false,
      run: (x) => {
        if (x.ctx(KV(x)).groups.includes(x.str('g'))) {
          x.set('r', '-EEXIST');
          return { goto: 'err_unlock' };
        }
      },
    },
    {
      line: 'list_add_tail(&kvg->node, &kv->group_list); kvm_arch_start_assignment(dev->kvm)',
      run: (x) => void x.send(KV(x), { type: 'add', g: x.str('g') }),
      say: (n) => `${n.t}: lists ${n.l.g} on ${n.l.k}'s KVM-VFIO device`,
    },
    release('mutex_unlock(&kv->lock)', kvLock, 'mutex', {
      when: (v) => !v.addUnderLock,
      why: whyAdd,
    }),
    setKvm(false),
    release('mutex_unlock(&kv->lock)', kvLock, 'mutex', {
      when: (v) => v.addUnderLock,
      why: whyAdd,
    }),
    {
      line: 'kvm_vfio_update_coherency(dev); return 0',
      step: false,
      run: (x) => {
        x.set('r', 0);
        return { goto: 'out' };
      },
    },
    label('err_unlock'),
    release('mutex_unlock(&kv->lock)', kvLock, 'mutex'),
    mark('out'),
    { line: 'return ret', step: false, run: (x) => ({ ret: x.l.r ?? 0 }) },
  ],
});

defineKv({
  name: (v) => (v.dfApi ? 'kvm_vfio_file_del' : v.fileApi ? 'kvm_vfio_group_del' : 'kvm_vfio_set_group'),
  key: 'kvm_vfio_del',
  file: FILE,
  params: ['k', 'g', 'cmd'],
  body: [
    { line: 'case KVM_DEV_VFIO_GROUP_DEL: f = fdget(fd)', step: false, when: groupApi },
    acquire('mutex_lock(&kv->lock)', kvLock, 'mutex'),
    {
      line: (v) =>
        `ret = -ENOENT; list_for_each_entry(kvg, &kv->group_list, node) { if (${v.fileApi ? 'kvg->file != f.file' : 'kvg->vfio_group != vfio_group'}) continue;`,
      step: false,
      run: (x) => {
        x.set('r', '-ENOENT');
        if (!x.ctx(KV(x)).groups.includes(x.str('g'))) return { goto: 'out_unlock' };
      },
    },
    {
      line: '\tlist_del(&kvg->node); kvm_arch_end_assignment(dev->kvm)',
      run: (x) => void x.send(KV(x), { type: 'del', g: x.str('g') }),
      say: (n) => `${n.t}: takes ${n.l.g} off ${n.l.k}'s KVM-VFIO device`,
    },
    setKvm(true),
    {
      line: (v) =>
        v.fileApi
          ? '\tfput(kvg->file); kfree(kvg); ret = 0; break; }'
          : '\tkvm_vfio_group_put_external_user(kvg->vfio_group); kfree(kvg); ret = 0; break; }',
      step: false,
      run: (x) => x.set('r', 0),
    },
    label('out_unlock'),
    release('mutex_unlock(&kv->lock)', kvLock, 'mutex'),
    { line: 'kvm_vfio_update_coherency(dev); return ret', step: false, run: (x) => ({ ret: x.l.r ?? 0 }) },
  ],
});

/** The list walk shared by destroy (from kvm_destroy_vm) and release (fd close, 51cdc8bc120e on). */
function clearGroups(what: string): Instr[] {
  return [
    mark('next'),
    {
      line: 'list_for_each_entry_safe(kvg, tmp, &kv->group_list, node) {',
      step: false,
      run: (x: Exec) => {
        const groups = x.ctx(KV(x)).groups;
        if (groups.length === 0) return { goto: 'done' };
        x.set('g', groups[0]!);
      },
    },
    setKvm(true),
    {
      line: (v) =>
        v.fileApi
          ? '\tfput(kvg->file); list_del(&kvg->node); kfree(kvg); kvm_arch_end_assignment(dev->kvm); }'
          : '\tkvm_vfio_group_put_external_user(kvg->vfio_group); list_del(&kvg->node); kfree(kvg); kvm_arch_end_assignment(dev->kvm); }',
      run: (x: Exec) => {
        x.send(KV(x), { type: 'del', g: x.str('g') });
        return { goto: 'next' };
      },
      say: (n: Say) => `${n.t}: ${what} takes ${n.l.g} off ${n.l.k}'s KVM-VFIO device`,
    },
    mark('done'),
  ];
}

defineKv({
  name: 'kvm_vfio_destroy',
  file: FILE,
  params: ['k'],
  when: (v) => !v.kvmVfioRelease,
  body: [
    ...clearGroups('kvm_vfio_destroy'),
    {
      line: 'kvm_vfio_update_coherency(dev); kfree(kv); kfree(dev)',
      step: false,
      run: (x) => {
        x.send(KV(x), { type: 'destroy' });
        return { ret: 0 };
      },
    },
  ],
});

defineKv({
  name: 'kvm_vfio_release',
  file: FILE,
  params: ['k'],
  when: (v) => v.kvmVfioRelease,
  body: [
    ...clearGroups('kvm_vfio_release'),
    {
      line: 'kvm_vfio_update_coherency(dev); kfree(kv); kfree(dev)',
      step: false,
      run: (x) => {
        x.send(KV(x), { type: 'release' });
        return { ret: 0 };
      },
    },
  ],
});

export const sayVm = (n: Say) => vmDesc(n, n.l.k as string);
