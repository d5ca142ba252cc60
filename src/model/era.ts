/**
 * The eras: twelve real states of the kernel, oldest first, each a commit of
 * torvalds/linux or a posted version of the patch. An era is data — a set of
 * switches that the code paths consult — over one model, never a copy.
 *
 * The facts behind every switch, with their public sources, are in
 * docs/kernel-reference.md (one section per era).
 */

export const ERA_IDS = [
  'v5.18',
  'gvt-rework',
  'before',
  'v1',
  'v2',
  'after',
  'group-mutex',
  'gvt-fix',
  'group-c',
  'release-fix',
  'fixed',
  'v6.6',
] as const;
export type EraId = (typeof ERA_IDS)[number];

export function isEraId(x: unknown): x is EraId {
  return typeof x === 'string' && (ERA_IDS as readonly string[]).includes(x);
}

const GIT = 'https://git.kernel.org/pub/scm/linux/kernel/git/torvalds/linux.git';
const LORE = 'https://lore.kernel.org/r/';
export const commitUrl = (id: string) => `${GIT}/commit/?id=${id}`;
export const loreUrl = (msgid: string) => `${LORE}${encodeURIComponent(msgid.replace(/^<|>$/g, ''))}`;
/** A file at a commit, optionally at a line (git.kernel.org's `#n<line>` anchor). */
export const treeUrl = (commit: string, file: string, line?: number | null) =>
  `${GIT}/tree/${file}?id=${commit}${line ? `#n${line}` : ''}`;

/** One line of a version's changelog, or the review comment behind a change. */
export interface Change {
  id: string;
  text: string;
  /** Who asked for it (a reviewer), or who reported the problem. */
  by?: string;
  /** A public source: a lore address or a commit. */
  link?: string;
}

/** How the VFIO core opens and closes a device. */
export type CoreShape =
  /** v5.18: everything in vfio_group_get_device_fd / vfio_device_fops_release under dev_set->lock. */
  | 'get_device_fd'
  /** May 2022 – v6.1: vfio_group_get_device_fd → vfio_device_open; first open in one branch. */
  | 'device_open'
  /** v6.2 on: group.c's vfio_device_group_open takes group_lock, then vfio_device_open takes dev_set->lock. */
  | 'group_open';

/**
 * How the core hands the group's VM to the device on first open.
 * none: no device->kvm (the notifier eras); core-get: v1, the core copies and
 * takes kvm_get_kvm itself under group_rwsem (write); every-open: v2, read
 * lock on every open; first-open: v3 and v6.1, read lock / group_lock on the
 * first open only; group-open: v6.2, group.c passes group->kvm read under
 * group_lock; safe: v6.3, kvm_get_kvm_safe under kvm_ref_lock, the core holds
 * its own reference from first open to last close.
 */
export type Capture = 'none' | 'core-get' | 'every-open' | 'first-open' | 'group-open' | 'safe';

export interface EraInfo {
  id: EraId;
  /** Position in the history, 0 = oldest. */
  order: number;
  /** Short title for the era switch. */
  title: string;
  /** What kind of state this is. */
  kind: 'release' | 'commit' | 'patch';
  /** The commit whose tree the era models (links to files and lines), or null for a posted patch. */
  commit: string | null;
  /** Every full commit id the era answers to (the first is `commit`). */
  ids: readonly string[];
  /** The tag, for a release. */
  tag?: string;
  /** The date of the version that was applied (mail or tag), YYYY-MM-DD. */
  date: string;
  /** The release that first contained it. */
  release: string;
  subject: string;
  author: string;
  /** The commit page, or the patch's mail on lore. */
  link: string;
  /** One line for the era switch. */
  summary: string;
  /** What changes here, two or three sentences. */
  description: string;
  /** The review comment or report that led to this state. */
  why: Change;
  /** The changelog of a posted version, or the lines of the commit message that matter. */
  changes: readonly Change[];
  /** Where the model of this era rests on inference rather than on a read source. */
  inferred?: readonly string[];
}

export interface EraSwitches {
  /** Which lock guards group->kvm and the device open path. */
  groupLock: 'none' | 'rwsem' | 'mutex';
  /** The SET_KVM notifier chain exists (and with it the drivers' callbacks). */
  notifier: boolean;
  core: CoreShape;
  capture: Capture;
  /** How vfio_file_set_kvm serialises against readers of group->kvm. */
  setKvmLock: 'none' | 'group_rwsem' | 'group_lock' | 'kvm_ref_lock';
  /** The struct-file API (vfio_file_set_kvm, kvm_vfio_group_add/del); v5.18 still passes a vfio_group. */
  fileApi: boolean;
  /**
   * The DMA-unmap notification: the driver registers an IOMMU notifier whose
   * helper takes no lock (v5.18), takes group_rwsem for read (May 2022),
   * asserts the caller holds it (v2/v3); or the core registers the driver's
   * dma_unmap callback itself (v6.0 on).
   */
  iommu: 'unlocked' | 'rlock' | 'assert' | 'dma_unmap';
  /** i915 GVT-g's open/close. */
  gvt: 'info-copy' | 'guest-init' | 'attached' | 'v1' | 'v2' | 'fixed';
  /** s390 vfio-ap's open/close and set_kvm/unset_kvm. */
  ap: 'notifier' | 'v1' | 'v2' | 'v3' | 'guests-lock';
  /** vfio-pci's s390 zdev open/close hooks (v6.0 on). */
  zdev: boolean;
  /** KVM-VFIO clears its groups in its `release` (fd close, under kvm->lock), not in `destroy`. */
  kvmVfioRelease: boolean;
  /** KVM-VFIO's ADD calls set_kvm before dropping its own lock. */
  addUnderLock: boolean;
  /** The VFIO core's main file. */
  coreFile: 'drivers/vfio/vfio.c' | 'drivers/vfio/vfio_main.c';
  /**
   * v6.5's device-file API: vfio_df_* for the open/close functions,
   * kvm_vfio_file_add/_del and `struct kvm_vfio_file` in KVM-VFIO.
   */
  dfApi: boolean;
}

export interface Era extends EraInfo, EraSwitches {
  /** Where the facts come from (public sources), for the page's footnote. */
  source: string;
}

const V3 = '<20220519183311.582380-2-mjrosato@linux.ibm.com>';

const INFO: Record<EraId, Omit<EraInfo, 'id' | 'order'>> = {
  'v5.18': {
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
  },
  'gvt-rework': {
    title: 'GVT rework (10ddb96295f3)',
    kind: 'commit',
    commit: '10ddb96295f3bdc6caf4518b8001725440d7a7d2',
    ids: ['10ddb96295f3bdc6caf4518b8001725440d7a7d2'],
    date: '2022-04-11',
    release: 'v5.19',
    subject: 'drm/i915/gvt: merge struct kvmgt_guest_info into strut intel_vgpu',
    author: 'Christoph Hellwig',
    link: commitUrl('10ddb96295f3bdc6caf4518b8001725440d7a7d2'),
    summary: 'GVT’s private copy is gone: its teardown reads vgpu->kvm, the pointer the notifier clears.',
    description:
      'Christoph Hellwig’s GVT cleanup folds kvmgt_guest_info into intel_vgpu. kvmgt_guest_exit now unregisters page tracking from vgpu->kvm and puts it — the field the SET_KVM(NULL) callback has just cleared before scheduling release_work. A GROUP_DEL while the vGPU is open becomes a user-triggerable NULL dereference. The VFIO core is unchanged.',
    why: {
      id: 'gvt-cleanup',
      text: 'Part of the GVT rework Christoph Hellwig posted in April 2022, merged into vfio-next with the tag gvt-next-2022-04-29 before the May series.',
      by: 'Christoph Hellwig',
    },
    changes: [],
  },
  before: {
    title: 'before (3ca5470878eb)',
    kind: 'commit',
    commit: '3ca5470878ebe9e31d3292391ae5fd63ab625a0b',
    ids: ['3ca5470878ebe9e31d3292391ae5fd63ab625a0b'],
    date: '2022-05-16',
    release: 'v5.19',
    subject: 'vfio: Change struct vfio_group::container_users to a non-atomic int',
    author: 'Jason Gunthorpe',
    link: commitUrl('3ca5470878ebe9e31d3292391ae5fd63ab625a0b'),
    summary:
      'The patch’s base: group_rwsem (write) around set_kvm and the chain; the replay and the IOMMU-notifier helpers under read.',
    description:
      'Jason Gunthorpe’s group-locking series adds group_rwsem: vfio_file_set_kvm holds it for write while it sets group->kvm and fires the chain, the registration replay and the IOMMU-notifier helpers hold it for read, and device open moves into vfio_device_open. The notifier still fires at any moment, so the GVT oops remains; be8d3adae65c says it "doesn’t fix the race internal to i915".',
    why: {
      id: 'group-locking',
      text: 'be8d3adae65c: "Without locking userspace can trigger a UAF by racing KVM_DEV_VFIO_GROUP_DEL with VFIO_GROUP_GET_DEVICE_FD".',
      by: 'Jason Gunthorpe',
      link: loreUrl('<1-v2-d035a1842d81+1bf-vfio_group_locking_jgg@nvidia.com>'),
    },
    changes: [],
  },
  v1: {
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
  },
  v2: {
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
  },
  after: {
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
  },
  'group-mutex': {
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
    why: {
      id: 'mutex',
      text: 'Jason Gunthorpe: "These days not much is using the read side" of group_rwsem.',
      by: 'Jason Gunthorpe',
      link: loreUrl('<2-v1-917e3647f123+b1a-vfio_group_users_jgg@nvidia.com>'),
    },
    changes: [],
  },
  'gvt-fix': {
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
  },
  'group-c': {
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
    why: {
      id: 'cdev-prep',
      text: 'Preparation for the vfio device cdev: separate the group path from the device open/close code.',
      by: 'Yi Liu',
      link: loreUrl('<20221201145535.589687-1-yi.l.liu@intel.com>'),
    },
    changes: [],
  },
  'release-fix': {
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
  },
  fixed: {
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
  },
  'v6.6': {
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
      'The VFIO core files are not readable at this commit in our sources: the vfio_df_* names of the open and close path (v6.5, the device cdev preparation) are taken from later patches whose context shows them, not from the file at 9e0f4f2918c2.',
    ],
    why: {
      id: 'kvg-race',
      text: 'Dmitry Torokhov: "If we race group addition and deletion calls, kvg instance may get freed".',
      by: 'Dmitry Torokhov',
      link: loreUrl('<20230714224538.404793-1-dmitry.torokhov@gmail.com>'),
    },
    changes: [],
  },
};

const SWITCHES: Record<EraId, EraSwitches> = {
  'v5.18': {
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
  },
  'gvt-rework': {
    groupLock: 'none',
    notifier: true,
    core: 'get_device_fd',
    capture: 'none',
    setKvmLock: 'none',
    fileApi: false,
    iommu: 'unlocked',
    gvt: 'guest-init',
    ap: 'notifier',
    zdev: false,
    kvmVfioRelease: false,
    addUnderLock: false,
    coreFile: 'drivers/vfio/vfio.c',
    dfApi: false,
  },
  before: {
    groupLock: 'rwsem',
    notifier: true,
    core: 'device_open',
    capture: 'none',
    setKvmLock: 'group_rwsem',
    fileApi: true,
    iommu: 'rlock',
    gvt: 'attached',
    ap: 'notifier',
    zdev: false,
    kvmVfioRelease: false,
    addUnderLock: false,
    coreFile: 'drivers/vfio/vfio.c',
    dfApi: false,
  },
  v1: {
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
  },
  v2: {
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
  },
  after: {
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
  },
  'group-mutex': {
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
  },
  'gvt-fix': {
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
  },
  'group-c': {
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
  },
  'release-fix': {
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
  },
  fixed: {
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
  },
  'v6.6': {
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
  },
};

function sourceOf(i: Omit<EraInfo, 'id' | 'order'>): string {
  return i.commit ? `${i.commit.slice(0, 12)} ("${i.subject}")` : `${i.subject}, ${i.link}`;
}

export const ERAS: Record<EraId, Era> = Object.fromEntries(
  ERA_IDS.map((id, order) => [
    id,
    {
      id,
      order,
      ...INFO[id],
      ...SWITCHES[id],
      source: `${sourceOf(INFO[id])}; see docs/kernel-reference.md`,
    },
  ]),
) as Record<EraId, Era>;

/** The eras in history order. */
export const ERA_LIST: readonly Era[] = ERA_IDS.map((id) => ERAS[id]);

/**
 * An era by id or by commit id (12 hex digits or more, any of the ids it
 * answers to). Null when nothing matches.
 */
export function resolveEra(x: string): EraId | null {
  if (isEraId(x)) return x;
  const hex = x.toLowerCase();
  if (!/^[0-9a-f]{12,40}$/.test(hex)) return null;
  for (const e of ERA_LIST) if (e.ids.some((id) => id.startsWith(hex))) return e.id;
  return null;
}

/** Era ids and commit-id prefixes, for error messages. */
export function eraChoices(): string {
  return ERA_LIST.map((e) => (e.commit ? `${e.id} (${e.commit.slice(0, 12)})` : e.id)).join(', ');
}

/**
 * The four era ids of the first version of this project, and what changed in
 * what they show. Links and scenario files naming them keep working; the page
 * says so where an old link's moment may read differently now.
 */
export const LEGACY_ERAS: Partial<Record<EraId, string>> = {
  'v5.18':
    'v5.18 was corrected: there GVT tore the vGPU down through its own referenced copy (info->kvm), so GROUP_DEL while a vGPU is open does not oops. The oops first became reachable with 10ddb96295f3 (era gvt-rework).',
  before:
    'before now models 3ca5470878eb exactly; its step numbers may differ from a link made with the first version of this explorer.',
  after:
    'after now models 421cfe6596f6 exactly; its step numbers may differ from a link made with the first version of this explorer.',
  fixed:
    'fixed now models 2b48f52f2bff itself (the group_lock mutex taken on every open and close, before dev_set->lock); it used to combine later fixes on the v5.19 structure.',
};

/**
 * "What if" assumptions a scenario may turn on, to show a hazard the patch
 * avoided by design. Each is INFERRED and labelled so in the page.
 */
export const ASSUMPTIONS = {
  'iommu-notifier-rlock': {
    title: 'IOMMU notifier helpers still take group_rwsem (read)',
    detail:
      'Hypothetical: v2 and v3 turned vfio_register_iommu_notifier’s down_read into lockdep_assert_held because open_device now runs under the read lock (v2 changelog: "use lockdep_assert to ensure lock is held during register_notifer"). With this assumption the helper takes the read side again, so a writer that queues in between deadlocks both threads.',
  },
} as const;
export type AssumptionId = keyof typeof ASSUMPTIONS;
export function isAssumptionId(x: unknown): x is AssumptionId {
  return typeof x === 'string' && Object.prototype.hasOwnProperty.call(ASSUMPTIONS, x);
}

/** An era with the scenario's assumptions applied: what the code paths consult. */
export interface Variant extends Era {
  assume: readonly AssumptionId[];
}

export function variant(era: EraId, assume: readonly AssumptionId[] = []): Variant {
  const base = ERAS[era];
  const v: Variant = { ...base, assume };
  if (assume.includes('iommu-notifier-rlock') && base.iommu === 'assert') v.iommu = 'rlock';
  return v;
}
