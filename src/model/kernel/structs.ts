/**
 * Declarations the change touched: the fields of the structs involved, and
 * the patch's commit message in the eras that are versions of it. They are
 * listed and diffed (`vfio-kvm diff`), never run.
 */
import { defineFn, type Instr } from '../program.ts';
import type { Variant } from '../era.ts';

const field = (line: string, when?: (v: Variant) => boolean, why?: Instr['why']): Instr => ({
  line,
  step: false,
  when,
  why,
});
const elided: Instr = { line: '…', step: false };

defineFn({
  name: 'struct vfio_group',
  key: 'struct_vfio_group',
  decl: true,
  file: (v) => (v.iommu === 'dma_unmap' ? 'drivers/vfio/vfio.h' : v.coreFile),
  params: [],
  body: [
    elided,
    field('struct rw_semaphore group_rwsem;', (v) => v.groupLock === 'rwsem'),
    field('struct mutex group_lock;', (v) => v.groupLock === 'mutex'),
    field('struct kvm *kvm;'),
    field('struct file *opened_file;', (v) => v.groupLock !== 'none'),
    field('struct blocking_notifier_head notifier;', (v) => v.notifier, { v1: 'notifier-removed' }),
    field('spinlock_t kvm_ref_lock;', (v) => v.setKvmLock === 'kvm_ref_lock'),
  ],
});

defineFn({
  name: 'struct vfio_device',
  key: 'struct_vfio_device',
  decl: true,
  file: 'include/linux/vfio.h',
  params: [],
  body: [
    elided,
    field('struct vfio_device_set *dev_set;'),
    field('unsigned int open_count;'),
    field(
      '/* Driver must reference the kvm during open_device or never touch it */',
      (v) =>
        v.capture !== 'none' &&
        v.capture !== 'core-get' &&
        v.capture !== 'every-open' &&
        v.capture !== 'safe',
      { after: 'v3-comment' },
    ),
    field('struct kvm *kvm;', (v) => v.capture !== 'none', { v1: 'device-kvm' }),
    field('void (*put_kvm)(struct kvm *kvm);', (v) => v.capture === 'safe'),
  ],
});

defineFn({
  name: 'struct intel_vgpu',
  key: 'struct_intel_vgpu',
  decl: true,
  file: 'drivers/gpu/drm/i915/gvt/gvt.h',
  params: [],
  when: (v) => v.gvt !== 'info-copy',
  body: [
    elided,
    field('unsigned long handle;', (v) => v.gvt === 'guest-init'),
    field('bool attached;', (v) => v.gvt !== 'guest-init'),
    field('struct kvm *kvm;', (v) => v.gvt === 'guest-init' || v.gvt === 'attached'),
    field('struct work_struct release_work;', (v) => v.gvt !== 'v2' && v.gvt !== 'fixed', {
      v2: 'v2-release-work',
    }),
    field('atomic_t released;'),
    field('struct notifier_block group_notifier;', (v) => v.notifier),
  ],
});

defineFn({
  name: 'struct ap_matrix_mdev',
  key: 'struct_ap_matrix_mdev',
  decl: true,
  file: 'drivers/s390/crypto/vfio_ap_private.h',
  params: [],
  body: [
    elided,
    field('struct notifier_block group_notifier;', (v) => v.notifier),
    field('struct kvm *kvm;'),
  ],
});

/** The patch's own message, in the eras that are versions of it (what `git range-diff` compares). */
defineFn({
  name: 'commit message',
  key: 'commit_message',
  decl: true,
  file: 'COMMIT_MSG',
  params: [],
  when: (v) => v.id === 'v1' || v.id === 'v2' || v.id === 'after',
  body: [
    field('vfio: remove VFIO_GROUP_NOTIFY_SET_KVM'),
    elided,
    field('This fixes a user-triggerable oops in GVT.', (v) => v.id !== 'v1', { v2: 'v2-mention-oops' }),
    elided,
    field('Signed-off-by: Matthew Rosato <mjrosato@linux.ibm.com>'),
    field('Signed-off-by: Jason Gunthorpe <jgg@nvidia.com>', (v) => v.id !== 'v1', { v2: 'v2-mention-oops' }),
  ],
});
