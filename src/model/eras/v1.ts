/** The era `v1`: what it is, and its switches (docs/kernel-reference.md). */
import type { EraInfo, EraSwitches } from '../era.ts';
import { loreUrl } from './links.ts';

export const info: Omit<EraInfo, 'id' | 'order'> = {
  title: 'patch v1',
  kind: 'patch',
  commit: null,
  ids: [],
  date: '2022-05-17',
  release: '—',
  subject: '[PATCH 1/1] vfio: remove VFIO_GROUP_NOTIFY_SET_KVM',
  author: 'Matthew Rosato',
  link: loreUrl('<20220517180851.166538-2-mjrosato@linux.ibm.com>'),
  summary:
    'Notifier gone; the core copies group->kvm and takes kvm_get_kvm itself under group_rwsem (write); open_device runs outside the group lock.',
  description:
    'The first version removes the notifier. vfio_device_open copies group->kvm into device->kvm and takes the reference itself, holding group_rwsem for write; open_device and close_device run outside the group lock, and the core puts its reference under the write lock after the last close. GVT no longer takes a reference; vfio-ap refuses to open without a VM (-EPERM).',
  why: {
    id: 'discussion',
    text: 'Jason Gunthorpe proposed to assume the KVM association exists before open_device, in the thread the cover letter links.',
    by: 'Jason Gunthorpe',
    link: loreUrl('<20220516172734.GE1343366@nvidia.com>'),
  },
  changes: [
    {
      id: 'notifier-removed',
      text: 'remove VFIO_GROUP_NOTIFY_SET_KVM: assume the KVM association is established before open_device',
      by: 'Jason Gunthorpe',
      link: loreUrl('<20220516172734.GE1343366@nvidia.com>'),
    },
    {
      id: 'device-kvm',
      text: 'struct vfio_device gains kvm: the core copies group->kvm on the first open and holds a reference',
    },
  ],
  inferred: [
    'The last-reference self-deadlock in this version (the core’s put under the write lock) is inferred from the code; the v1 thread does not discuss it.',
  ],
};

export const switches: EraSwitches = {
  groupLock: 'rwsem',
  notifier: false,
  core: 'device_open',
  capture: 'core-get',
  setKvmLock: 'group_rwsem',
  fileApi: true,
  iommu: 'rlock',
  gvt: 'v1',
  ap: 'v1',
  zdev: false,
  kvmVfioRelease: false,
  addUnderLock: false,
  coreFile: 'drivers/vfio/vfio.c',
  dfApi: false,
};
