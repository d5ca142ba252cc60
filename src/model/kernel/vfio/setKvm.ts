/**
 * vfio_file_set_kvm (vfio_group_set_kvm in v5.18): how KVM-VFIO's ADD and
 * DEL tell the group which VM it belongs to.
 *
 *   v5.18        group->kvm = kvm; fire the SET_KVM chain — no lock at all
 *   May 2022     down_write(&group->group_rwsem) around both (be8d3adae65c)
 *   patch v1 on  the chain is gone: only the assignment, under the lock
 *   v6.1         group_lock, a mutex (c82e81ab2569)
 *   v6.3         the spinlock kvm_ref_lock, not group_lock (2b48f52f2bff)
 */
import { call, defineFn, type Exec, type Say } from '../../program.ts';
import { slot } from '../../slots.ts';
import { acquire, lockGroup, lockKey, release, unlockGroup } from '../lib.ts';
import { groupFile } from './files.ts';

function setGroupKvm(x: Exec) {
  const g = x.str('g');
  const k = x.vmOrNull('k');
  x.send(slot.group(g), { type: 'set_kvm', k });
  x.effect({ kind: 'ptr', from: `kvm_vfio:${x.str('via')}`, to: `group:${g}`, vm: k });
}
const sayGroupKvm = (n: Say) => `${n.t}: ${n.fn} sets ${n.l.g}->kvm = ${n.l.k ?? 'NULL'}`;

defineFn({
  name: (v) => (v.fileApi ? 'vfio_file_set_kvm' : 'vfio_group_set_kvm'),
  key: 'set_kvm',
  file: groupFile,
  params: ['g', 'k', 'via'],
  body: [
    {
      line: 'struct vfio_group *group = file->private_data; if (!vfio_file_is_group(file)) return',
      step: false,
      when: (v) => v.fileApi,
    },
    lockGroup('write', { when: (v) => v.setKvmLock !== 'kvm_ref_lock' }),
    {
      line: 'group->kvm = kvm',
      when: (v) => v.setKvmLock !== 'kvm_ref_lock',
      run: setGroupKvm,
      say: (n) => (n.v.setKvmLock === 'none' ? `${sayGroupKvm(n)}, with no lock held` : sayGroupKvm(n)),
    },
    call(
      'blocking_notifier_call_chain(&group->notifier, VFIO_GROUP_NOTIFY_SET_KVM, kvm)',
      'blocking_notifier_call_chain',
      (x) => ({ g: x.str('g'), k: x.vmOrNull('k') }),
      { when: (v) => v.notifier, why: { v1: 'notifier-removed' } },
    ),
    unlockGroup('write', { when: (v) => v.setKvmLock !== 'kvm_ref_lock' }),
    acquire('spin_lock(&group->kvm_ref_lock)', (x) => lockKey.kvmRef(x.str('g')), 'spin', {
      when: (v) => v.setKvmLock === 'kvm_ref_lock',
    }),
    {
      line: 'group->kvm = kvm',
      when: (v) => v.setKvmLock === 'kvm_ref_lock',
      run: setGroupKvm,
      say: (n) => `${sayGroupKvm(n)} under ${n.l.g}.kvm_ref_lock (a spinlock, not group_lock)`,
    },
    release('spin_unlock(&group->kvm_ref_lock)', (x) => lockKey.kvmRef(x.str('g')), 'spin', {
      when: (v) => v.setKvmLock === 'kvm_ref_lock',
    }),
    { line: 'return', step: false, run: () => ({ ret: 0 }) },
  ],
});
