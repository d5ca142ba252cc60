/** The era `group-mutex`: what it is, and its switches (docs/kernel-reference.md). */
import type { EraInfo, EraSwitches } from '../era.ts';
import { commitUrl, loreUrl } from './links.ts';

export const info: Omit<EraInfo, 'id' | 'order'> = {
  title: 'group_lock mutex (c82e81ab2569)',
  kind: 'commit',
  commit: 'c82e81ab2569559ad873b3061217c2f37560682b',
  ids: ['c82e81ab2569559ad873b3061217c2f37560682b'],
  date: '2022-09-29',
  release: 'v6.1',
  subject: 'vfio: Change vfio_group->group_rwsem to a mutex',
  author: 'Jason Gunthorpe',
  link: commitUrl('c82e81ab2569559ad873b3061217c2f37560682b'),
  summary:
    'group_rwsem becomes the mutex group_lock; the core registers the dma_unmap callback; vfio-ap’s guests_lock → kvm->lock → mdevs_lock; zdev’s open/close hooks.',
  description:
    'With the v6.0 changes before it: drivers provide a dma_unmap callback that the core registers after open_device (ce4b4657ff18, 8cfc5b60751b); vfio.c becomes vfio_main.c (0f3e72b5c8cf); vfio-ap takes guests_lock, kvm->lock and mdevs_lock in that order; vfio-pci’s s390 zdev hooks take zdev->kzdev_lock and kvm->lock in open_device (8061d1c31f1a). Then group_rwsem becomes the mutex group_lock: "These days not much is using the read side".',
  inferred: [
    "vfio_ap_ops.c, vfio_pci_zdev.c and arch/s390/kvm/pci.c were not readable at c82e81ab2569: vfio-ap's guests_lock → kvm->lock → mdevs_lock and zdev's hooks are modelled from the v6.0 patches that introduced them; vfio_main.c was read at the commit.",
  ],
  why: {
    id: 'mutex',
    text: 'Jason Gunthorpe: "These days not much is using the read side" of group_rwsem.',
    by: 'Jason Gunthorpe',
    link: loreUrl('<2-v1-917e3647f123+b1a-vfio_group_users_jgg@nvidia.com>'),
  },
  changes: [],
};

export const switches: EraSwitches = {
  groupLock: 'mutex',
  notifier: false,
  core: 'device_open',
  capture: 'first-open',
  setKvmLock: 'group_lock',
  fileApi: true,
  iommu: 'dma_unmap',
  gvt: 'v2',
  ap: 'guests-lock',
  zdev: true,
  kvmVfioRelease: false,
  addUnderLock: false,
  coreFile: 'drivers/vfio/vfio_main.c',
  dfApi: false,
};
