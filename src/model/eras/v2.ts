/** The era `v2`: what it is, and its switches (docs/kernel-reference.md). */
import type { EraInfo, EraSwitches } from '../era.ts';
import { loreUrl } from './links.ts';

export const info: Omit<EraInfo, 'id' | 'order'> = {
  title: 'patch v2',
  kind: 'patch',
  commit: null,
  ids: [],
  date: '2022-05-18',
  release: '—',
  subject: '[PATCH v2 1/1] vfio: remove VFIO_GROUP_NOTIFY_SET_KVM',
  author: 'Matthew Rosato',
  link: loreUrl('<20220518212607.467538-2-mjrosato@linux.ibm.com>'),
  summary:
    'group_rwsem for read on every open, around the copy and open_device; drivers take their own reference; the IOMMU helpers assert.',
  description:
    'To keep the VFIO core free of a KVM module dependency, v2 holds group_rwsem for read over the copy and the driver’s open_device (on every open) and over close_device, and leaves the reference to the drivers. The IOMMU-notifier helpers, now always called under the read lock, assert it instead of taking it. vfio-ap gains a second, unbalanced get/put pair.',
  why: {
    id: 'v1-review',
    text: 'Jason Gunthorpe on v1: hold the group lock across open_device and let the driver take the reference, avoiding a KVM build dependency.',
    by: 'Jason Gunthorpe',
    link: loreUrl('<20220518151247.GI1343366@nvidia.com>'),
  },
  changes: [
    {
      id: 'v2-release-work',
      text: 'gvt no longer needs release_work, get rid of it',
      by: 'Christoph Hellwig',
      link: loreUrl('<YoSkqWl7YkqYksG5@infradead.org>'),
    },
    { id: 'v2-gvt-compile', text: 'a few compile fixes for gvt' },
    {
      id: 'v2-mention-oops',
      text: 'update commit to mention fixes gvt oops',
      by: 'Jason Gunthorpe',
      link: loreUrl('<20220517185643.GY1343366@nvidia.com>'),
    },
    {
      id: 'v2-down-read',
      text: 's/down_write/down_read/ in a few spots',
      by: 'Jason Gunthorpe',
      link: loreUrl('<20220518153832.GJ1343366@nvidia.com>'),
    },
    {
      id: 'v2-read-lock-over-open',
      text: 'avoid kvm build dependency by holding group read lock over device open/close and put the onus on the driver to obtain a reference if it will actually use the kvm pointer. Document the requirement, use lockdep_assert to ensure lock is held during register_notifer; today all callers are from driver open_device.',
      by: 'Jason Gunthorpe',
      link: loreUrl('<20220518151247.GI1343366@nvidia.com>'),
    },
  ],
  inferred: [
    'vfio-ap’s extra get/put pair is unbalanced on two paths (the -EPERM return and a VM without a crypto control block); inferred from the diff, not discussed in review.',
  ],
};

export const switches: EraSwitches = {
  groupLock: 'rwsem',
  notifier: false,
  core: 'device_open',
  capture: 'every-open',
  setKvmLock: 'group_rwsem',
  fileApi: true,
  iommu: 'assert',
  gvt: 'v2',
  ap: 'v2',
  zdev: false,
  kvmVfioRelease: false,
  addUnderLock: false,
  coreFile: 'drivers/vfio/vfio.c',
  dfApi: false,
};
