/** The era `v6.6`: what it is, and its switches (docs/kernel-reference.md). */
import type { EraInfo, EraSwitches } from '../era.ts';
import { commitUrl, loreUrl } from './links.ts';

export const info: Omit<EraInfo, 'id' | 'order'> = {
  title: 'v6.6 (9e0f4f2918c2)',
  kind: 'commit',
  commit: '9e0f4f2918c2ff145d3dedee862d9919a6ed5812',
  ids: ['9e0f4f2918c2ff145d3dedee862d9919a6ed5812'],
  date: '2023-07-14',
  release: 'v6.6',
  subject: 'kvm/vfio: ensure kvg instance stays around in kvm_vfio_group_add()',
  author: 'Dmitry Torokhov',
  link: commitUrl('9e0f4f2918c2ff145d3dedee862d9919a6ed5812'),
  summary: 'KVM-VFIO’s ADD calls set_kvm under its own lock: the ADD/DEL race is closed.',
  description:
    'kvm_vfio_group_add called vfio_file_set_kvm after dropping the KVM-VFIO lock, so a concurrent DEL could free the entry and clear group->kvm first, after which the ADD set a pointer nothing would ever clear. The call moves before the unlock.',
  inferred: [
    'The VFIO core files are not readable at this commit in our sources: the vfio_df_* names of the open and close path (the device cdev preparation) are taken from later patches whose context shows them, not from the file at 9e0f4f2918c2.',
  ],
  why: {
    id: 'kvg-race',
    text: 'Dmitry Torokhov: "If we race group addition and deletion calls, kvg instance may get freed".',
    by: 'Dmitry Torokhov',
    link: loreUrl('<20230714224538.404793-1-dmitry.torokhov@gmail.com>'),
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
  addUnderLock: true,
  coreFile: 'drivers/vfio/vfio_main.c',
  dfApi: true,
};
