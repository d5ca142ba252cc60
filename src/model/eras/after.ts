/** The era `after`: what it is, and its switches (docs/kernel-reference.md). */
import type { EraInfo, EraSwitches } from '../era.ts';
import { commitUrl, loreUrl } from './links.ts';

const V3 = '<20220519183311.582380-2-mjrosato@linux.ibm.com>';

export const info: Omit<EraInfo, 'id' | 'order'> = {
  title: 'after (421cfe6596f6, v3)',
  kind: 'commit',
  commit: '421cfe6596f6cb316991c02bf30a93bd81092853',
  ids: ['421cfe6596f6cb316991c02bf30a93bd81092853'],
  date: '2022-05-19',
  release: 'v5.19',
  subject: 'vfio: remove VFIO_GROUP_NOTIFY_SET_KVM',
  author: 'Matthew Rosato',
  link: commitUrl('421cfe6596f6cb316991c02bf30a93bd81092853'),
  summary:
    'The patch as merged (v3): the core copies group->kvm into device->kvm on first open under group_rwsem (read); drivers take their own reference.',
  description:
    'v3 takes group_rwsem for read only inside the first-open branch, around the copy and open_device, and around close_device on close; open_count is decremented outside it. GVT and vfio-ap take their own reference in open_device (vfio-ap returns -EINVAL without a VM) and drop it in close_device. This removes the GVT oops, but GVT’s get before its -EEXIST check leaks, and a driver’s put that is the last one deadlocks under the read lock.',
  inferred: [
    'kvmgt.c was not readable at 421cfe6596f6: GVT is modelled from the v2 and v3 diffs (the same kvmgt.c post-image); the vfio.c and vfio_ap_ops.c lines were read at the commit.',
  ],
  why: {
    id: 'v2-review',
    text: 'Reviews of v2 by Kevin Tian, Christoph Hellwig, Jason Gunthorpe and Tony Krowiak.',
    link: loreUrl(V3),
  },
  changes: [
    {
      id: 'v3-merge-branches',
      text: 'merge branches under if (device->open_count == 1)',
      by: 'Kevin Tian',
    },
    { id: 'v3-count-out', text: 'move device->open_count-- out from group_rwsem', by: 'Kevin Tian' },
    {
      id: 'v3-no-null-check',
      text: 'drop null KVM check',
      by: 'Christoph Hellwig',
      link: loreUrl('<YoXoL2tt06sEz9Rd@infradead.org>'),
    },
    {
      id: 'v3-ap-extra-ref',
      text: 'remove extra kvm_{get,put}_kvm from vfio_ap_ops, it was already getting a reference',
      by: 'Jason Gunthorpe',
      link: loreUrl('<20220519123331.GX1343366@nvidia.com>'),
    },
    {
      id: 'v3-comment',
      text: 'Add comment about kvm reference in vfio.h',
      by: 'Jason Gunthorpe',
      link: loreUrl('<20220519123331.GX1343366@nvidia.com>'),
    },
    {
      id: 'v3-einval',
      text: 'Return -EINVAL if !kvm for vfio-ap',
      by: 'Tony Krowiak',
      link: loreUrl('<0ab6bb11-4510-0efc-0ad6-507d749022f2@linux.ibm.com>'),
    },
  ],
};

export const switches: EraSwitches = {
  groupLock: 'rwsem',
  notifier: false,
  core: 'device_open',
  capture: 'first-open',
  setKvmLock: 'group_rwsem',
  fileApi: true,
  iommu: 'assert',
  gvt: 'v2',
  ap: 'v3',
  zdev: false,
  kvmVfioRelease: false,
  addUnderLock: false,
  coreFile: 'drivers/vfio/vfio.c',
  dfApi: false,
};
