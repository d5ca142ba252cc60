/** The era `gvt-fix`: what it is, and its switches (docs/kernel-reference.md). */
import type { EraInfo, EraSwitches } from '../era.ts';
import { commitUrl, loreUrl } from './links.ts';

export const info: Omit<EraInfo, 'id' | 'order'> = {
  title: 'GVT fixes (3c9fd44b9330)',
  kind: 'commit',
  commit: '3c9fd44b9330adc5006653566f3d386784b2080e',
  ids: ['3c9fd44b9330adc5006653566f3d386784b2080e', '9ed1fdee9ee324f3505ff066287ee53143caaaa2'],
  date: '2022-11-11',
  release: 'v6.1',
  subject:
    'drm/i915/gvt: Get reference to KVM iff attachment to VM is successful; drm/i915/gvt: Unconditionally put reference to KVM when detaching vGPU',
  author: 'Sean Christopherson',
  link: commitUrl('3c9fd44b9330adc5006653566f3d386784b2080e'),
  summary: 'GVT takes its reference only once attached, and its put in close_device is unconditional.',
  description:
    'Sean Christopherson’s two fixes (9ed1fdee9ee3 and 3c9fd44b9330): GVT checks "another vGPU already uses this VM" before it takes a reference, so -EEXIST no longer leaks one, and close_device puts the reference unconditionally right after unregistering page tracking.',
  why: {
    id: 'gvt-leak',
    text: '9ed1fdee9ee3: take the reference only after the checks, "to avoid leaking a reference if there\'s no available vGPU" (Fixes: 421cfe6596f6).',
    by: 'Sean Christopherson',
    link: loreUrl('<20221111002225.2418386-2-seanjc@google.com>'),
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
  gvt: 'fixed',
  ap: 'guests-lock',
  zdev: true,
  kvmVfioRelease: false,
  addUnderLock: false,
  coreFile: 'drivers/vfio/vfio_main.c',
  dfApi: false,
};
