/**
 * The eras: twelve real states of the kernel, oldest first, each a commit of
 * torvalds/linux or a posted version of the patch. An era is data — a set of
 * switches that the code paths consult — over one model, never a copy.
 *
 * The facts behind every switch, with their public sources, are in
 * docs/kernel-reference.md (one section per era).
 */

import * as v5_18 from './eras/v5_18.ts';
import * as gvtRework from './eras/gvt-rework.ts';
import * as before from './eras/before.ts';
import * as v1 from './eras/v1.ts';
import * as v2 from './eras/v2.ts';
import * as after from './eras/after.ts';
import * as groupMutex from './eras/group-mutex.ts';
import * as gvtFix from './eras/gvt-fix.ts';
import * as groupC from './eras/group-c.ts';
import * as releaseFix from './eras/release-fix.ts';
import * as fixed from './eras/fixed.ts';
import * as v6_6 from './eras/v6_6.ts';

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

export { commitUrl, loreUrl, treeUrl } from './eras/links.ts';

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
   * The device-file API of the vfio cdev work (present at 9e0f4f2918c2): vfio_df_* for the open/close functions,
   * kvm_vfio_file_add/_del and `struct kvm_vfio_file` in KVM-VFIO.
   */
  dfApi: boolean;
}

export interface Era extends EraInfo, EraSwitches {
  /** Where the facts come from (public sources), for the page's footnote. */
  source: string;
}

const ERA_FILES: Record<EraId, { info: Omit<EraInfo, 'id' | 'order'>; switches: EraSwitches }> = {
  'v5.18': v5_18,
  'gvt-rework': gvtRework,
  before: before,
  v1: v1,
  v2: v2,
  after: after,
  'group-mutex': groupMutex,
  'gvt-fix': gvtFix,
  'group-c': groupC,
  'release-fix': releaseFix,
  fixed: fixed,
  'v6.6': v6_6,
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
      ...ERA_FILES[id].info,
      ...ERA_FILES[id].switches,
      source: `${sourceOf(ERA_FILES[id].info)}; see docs/kernel-reference.md`,
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
