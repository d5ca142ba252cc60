/** The era `group-c`: what it is, and its switches (docs/kernel-reference.md). */
import type { EraInfo, EraSwitches } from '../era.ts';
import { commitUrl, loreUrl } from './links.ts';

export const info: Omit<EraInfo, 'id' | 'order'> = {
  title: 'group.c (9eefba8002c2, v6.2-rc1)',
  kind: 'commit',
  commit: '9eefba8002c27d65ab52a533fd0611b099b73591',
  ids: ['9eefba8002c27d65ab52a533fd0611b099b73591'],
  date: '2022-12-01',
  release: 'v6.2',
  subject: 'vfio: Move vfio group specific code into group.c',
  author: 'Yi Liu',
  link: commitUrl('9eefba8002c27d65ab52a533fd0611b099b73591'),
  summary:
    'Open and close go through group.c: group_lock is taken before dev_set->lock, on every open and close.',
  description:
    'Yi Liu’s refactor moves the group-specific code into group.c: vfio_device_group_open takes group_lock and passes group->kvm to vfio_device_open, which takes dev_set->lock; close is the mirror. The lock order is now group_lock → dev_set->lock → the driver’s locks — the order in which the last-reference deadlock was reported on 5 Jan 2023.',
  inferred: [
    "group.c was not readable at 9eefba8002c2: vfio_device_group_open/close are modelled from the same functions at 2b48f52f2bff less that commit's diff; vfio_main.c was read at the commit.",
  ],
  why: {
    id: 'cdev-prep',
    text: 'Preparation for the vfio device cdev: separate the group path from the device open/close code.',
    by: 'Yi Liu',
    link: loreUrl('<20221201145535.589687-1-yi.l.liu@intel.com>'),
  },
  changes: [],
};

export const switches: EraSwitches = {
  groupLock: 'mutex',
  notifier: false,
  core: 'group_open',
  capture: 'group-open',
  setKvmLock: 'group_lock',
  fileApi: true,
  iommu: 'dma_unmap',
  gvt: 'fixed',
  ap: 'guests-lock',
  zdev: true,
  kvmVfioRelease: false,
  addUnderLock: false,
  coreFile: 'drivers/vfio/vfio_main.c',
  dfApi: false,
};
