/** The era `v5.18`: what it is, and its switches (docs/kernel-reference.md). */
import type { EraInfo, EraSwitches } from '../era.ts';
import { commitUrl } from './links.ts';

export const info: Omit<EraInfo, 'id' | 'order'> = {
  title: 'v5.18',
  kind: 'release',
  commit: '4b0986a3613c92f4ec1bdc7f60ec66fea135991f',
  ids: ['4b0986a3613c92f4ec1bdc7f60ec66fea135991f'],
  tag: 'v5.18',
  date: '2022-05-22',
  release: 'v5.18',
  subject: 'Linux 5.18',
  author: 'Linus Torvalds',
  link: commitUrl('4b0986a3613c92f4ec1bdc7f60ec66fea135991f'),
  summary: 'The SET_KVM notifier, no group lock; GVT tears down through its own referenced copy of the VM.',
  description:
    'vfio_group_set_kvm sets group->kvm and fires the SET_KVM notifier chain with no lock; a driver that registers gets a replay of the current value, read with no lock. GVT keeps the notifier’s pointer in vdev->kvm but takes its own reference into info->kvm (kvmgt_guest_init) and tears down through that copy, so a SET_KVM(NULL) ends the vGPU cleanly.',
  why: {
    id: 'notifier',
    text: 'The notifier design dates from 2016 (ccd46dbae77d, "vfio: support notifier chain in vfio_group").',
    link: commitUrl('ccd46dbae77d'),
  },
  changes: [],
  inferred: [
    'No file was read at the v5.18 tag itself: this era is reconstructed from the pre-images of 62980cacc37f (GVT), ba70a89f3c2a and be8d3adae65c (VFIO core, KVM-VFIO).',
  ],
};

export const switches: EraSwitches = {
  groupLock: 'none',
  notifier: true,
  core: 'get_device_fd',
  capture: 'none',
  setKvmLock: 'none',
  fileApi: false,
  iommu: 'unlocked',
  gvt: 'info-copy',
  ap: 'notifier',
  zdev: false,
  kvmVfioRelease: false,
  addUnderLock: false,
  coreFile: 'drivers/vfio/vfio.c',
  dfApi: false,
};
