/** The era `before`: what it is, and its switches (docs/kernel-reference.md). */
import type { EraInfo, EraSwitches } from '../era.ts';
import { commitUrl, loreUrl } from './links.ts';

export const info: Omit<EraInfo, 'id' | 'order'> = {
  title: 'before (3ca5470878eb)',
  kind: 'commit',
  commit: '3ca5470878ebe9e31d3292391ae5fd63ab625a0b',
  ids: ['3ca5470878ebe9e31d3292391ae5fd63ab625a0b'],
  date: '2022-05-16',
  release: 'v5.19',
  subject: 'vfio: Change struct vfio_group::container_users to a non-atomic int',
  author: 'Jason Gunthorpe',
  link: commitUrl('3ca5470878ebe9e31d3292391ae5fd63ab625a0b'),
  summary:
    'The patch’s base: group_rwsem (write) around set_kvm and the chain; the replay and the IOMMU-notifier helpers under read.',
  description:
    'Jason Gunthorpe’s group-locking series adds group_rwsem: vfio_file_set_kvm holds it for write while it sets group->kvm and fires the chain, the registration replay and the IOMMU-notifier helpers hold it for read, and device open moves into vfio_device_open. The notifier still fires at any moment, so the GVT oops remains; be8d3adae65c says it "doesn’t fix the race internal to i915".',
  why: {
    id: 'group-locking',
    text: 'be8d3adae65c: "Without locking userspace can trigger a UAF by racing KVM_DEV_VFIO_GROUP_DEL with VFIO_GROUP_GET_DEVICE_FD".',
    by: 'Jason Gunthorpe',
    link: loreUrl('<1-v2-d035a1842d81+1bf-vfio_group_locking_jgg@nvidia.com>'),
  },
  changes: [],
};

export const switches: EraSwitches = {
  groupLock: 'rwsem',
  notifier: true,
  core: 'device_open',
  capture: 'none',
  setKvmLock: 'group_rwsem',
  fileApi: true,
  iommu: 'rlock',
  gvt: 'attached',
  ap: 'notifier',
  zdev: false,
  kvmVfioRelease: false,
  addUnderLock: false,
  coreFile: 'drivers/vfio/vfio.c',
  dfApi: false,
};
