/** The era `gvt-rework`: what it is, and its switches (docs/kernel-reference.md). */
import type { EraInfo, EraSwitches } from '../era.ts';
import { commitUrl } from './links.ts';

export const info: Omit<EraInfo, 'id' | 'order'> = {
  title: 'GVT rework (10ddb96295f3)',
  kind: 'commit',
  commit: '10ddb96295f3bdc6caf4518b8001725440d7a7d2',
  ids: ['10ddb96295f3bdc6caf4518b8001725440d7a7d2'],
  date: '2022-04-11',
  release: 'v5.19',
  subject: 'drm/i915/gvt: merge struct kvmgt_guest_info into strut intel_vgpu',
  author: 'Christoph Hellwig',
  link: commitUrl('10ddb96295f3bdc6caf4518b8001725440d7a7d2'),
  summary: 'GVT’s private copy is gone: its teardown reads vgpu->kvm, the pointer the notifier clears.',
  description:
    'Christoph Hellwig’s GVT cleanup folds kvmgt_guest_info into intel_vgpu. kvmgt_guest_exit now unregisters page tracking from vgpu->kvm and puts it — the field the SET_KVM(NULL) callback has just cleared before scheduling release_work. A GROUP_DEL while the vGPU is open becomes a user-triggerable NULL dereference. The VFIO core is unchanged.',
  why: {
    id: 'gvt-cleanup',
    text: 'Part of the GVT rework Christoph Hellwig posted in April 2022, merged into vfio-next with the tag gvt-next-2022-04-29 before the May series.',
    by: 'Christoph Hellwig',
  },
  changes: [],
};

export const switches: EraSwitches = {
  groupLock: 'none',
  notifier: true,
  core: 'get_device_fd',
  capture: 'none',
  setKvmLock: 'none',
  fileApi: false,
  iommu: 'unlocked',
  gvt: 'guest-init',
  ap: 'notifier',
  zdev: false,
  kvmVfioRelease: false,
  addUnderLock: false,
  coreFile: 'drivers/vfio/vfio.c',
  dfApi: false,
};
