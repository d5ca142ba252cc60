/** The era `fixed`: what it is, and its switches (docs/kernel-reference.md). */
import type { EraInfo, EraSwitches } from '../era.ts';
import { commitUrl, loreUrl } from './links.ts';

export const info: Omit<EraInfo, 'id' | 'order'> = {
  title: 'fixed (2b48f52f2bff, v6.3)',
  kind: 'commit',
  commit: '2b48f52f2bff8e8926165983f3a3d7b89b33de08',
  ids: ['2b48f52f2bff8e8926165983f3a3d7b89b33de08'],
  date: '2023-02-03',
  release: 'v6.3',
  subject: 'vfio: fix deadlock between group lock and kvm lock',
  author: 'Matthew Rosato',
  link: commitUrl('2b48f52f2bff8e8926165983f3a3d7b89b33de08'),
  summary:
    'group->kvm guarded by the spinlock kvm_ref_lock; the core holds its own reference (kvm_get_kvm_safe) from first open to last close.',
  description:
    'vfio_file_set_kvm no longer takes group_lock: it sets group->kvm under the spinlock kvm_ref_lock. Before the first open the core takes its own reference with kvm_get_kvm_safe under that spinlock, and puts it after the last close, so the drivers’ puts are never the last. "we have another deadlock scenario between the kvm->lock and the vfio group_lock".',
  why: {
    id: 'abba-report',
    text: 'Reported by Anthony Krowiak: vfio-ap takes kvm->lock in open_device under group_lock, while the KVM-VFIO release takes group_lock under kvm->lock.',
    by: 'Anthony Krowiak',
    link: loreUrl('<20230203215027.151988-2-mjrosato@linux.ibm.com>'),
  },
  changes: [],
};

export const switches: EraSwitches = {
  groupLock: 'mutex',
  notifier: false,
  core: 'group_open',
  capture: 'safe',
  setKvmLock: 'kvm_ref_lock',
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
