/** The era `release-fix`: what it is, and its switches (docs/kernel-reference.md). */
import type { EraInfo, EraSwitches } from '../era.ts';
import { commitUrl, loreUrl } from './links.ts';

export const info: Omit<EraInfo, 'id' | 'order'> = {
  title: 'KVM-VFIO release (51cdc8bc120e)',
  kind: 'commit',
  commit: '51cdc8bc120ef6e42f6fb758341f5d91bc955952',
  ids: ['51cdc8bc120ef6e42f6fb758341f5d91bc955952'],
  date: '2023-01-20',
  release: 'v6.2',
  subject: 'kvm/vfio: Fix potential deadlock on vfio group_lock',
  author: 'Yi Liu',
  link: commitUrl('51cdc8bc120ef6e42f6fb758341f5d91bc955952'),
  summary:
    'The KVM-VFIO device clears its groups when its fd is released, under kvm->lock, not from kvm_destroy_vm.',
  description:
    'kvm_vfio_destroy becomes kvm_vfio_release: closing the KVM-VFIO device’s fd clears every group’s kvm, under kvm->lock (kvm_device_release), while the fd still holds a reference. A driver’s last put can no longer re-enter VFIO. But vfio-ap and zdev take kvm->lock inside open_device under group_lock: kvm->lock → group_lock here and group_lock → kvm->lock there.',
  why: {
    id: 'deadlock-report',
    text: 'Alex Williamson, 5 Jan 2023: "It seems this has traded an oops for a deadlock".',
    by: 'Alex Williamson',
    link: loreUrl('<20230105150930.6ee65182.alex.williamson@redhat.com>'),
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
  kvmVfioRelease: true,
  addUnderLock: false,
  coreFile: 'drivers/vfio/vfio_main.c',
  dfApi: false,
};
