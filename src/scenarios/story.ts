/**
 * The guided story: the history of "vfio: remove VFIO_GROUP_NOTIFY_SET_KVM"
 * (421cfe6596f6) told in chapters, each one built-in scenario in one era,
 * played to one moment. This file is the story: the page's Story navigation,
 * the `chapter=<id>` address and the unit tests all read it.
 *
 * Chapter ids are permanent (they appear in permalinks, like scenario ids):
 * add chapters, reword them, but never rename or reuse an id.
 *
 * A chapter's moment is not a step number but what happens there: the first
 * violation of a kind, or the first micro-step whose narration contains a
 * phrase (optionally by one thread). The page finds its step by running the
 * model; src/scenarios/story.test.ts runs every chapter and checks that its
 * moment and its stated outcome are what the model does.
 */
import type { EraId } from '../model/era.ts';
import type { ViolationKind } from '../model/types.ts';

export type Moment =
  /** The step where the first violation of this kind shows. */
  | { violation: ViolationKind }
  /** The first micro-step whose narration contains `text` (and, with `thread`, that thread ran). */
  | { text: string; thread?: string };

export interface Chapter {
  /** Permanent id: `?chapter=<id>`. */
  id: string;
  /** A few words for the Story navigation. */
  title: string;
  /** A built-in scenario id. */
  scenario: string;
  era: EraId;
  /** An exact schedule prefix (then the default order), when the moment needs an interleaving. */
  schedule?: readonly string[];
  moment: Moment;
  /** What the run shows: this violation kind at the moment, or no violation at all ('clean'). */
  outcome: ViolationKind | 'clean';
  /** Two or three sentences. `code` is set in backquotes. */
  text: string;
}

/** The schedule the explorer finds for vfio-ap's ABBA deadlock in release-fix (the shortest). */
const ABBA: readonly string[] = [
  'Q',
  'Q',
  'Q',
  'Q',
  'Q',
  'Q',
  'Q',
  'Q',
  'Q',
  'Q',
  'Q',
  'Q',
  'Q',
  'Q',
  'Q',
  'X',
  'X',
  'Q',
  'X',
];

export const STORY: readonly Chapter[] = [
  {
    id: 'notifier',
    title: 'The notifier design',
    scenario: 'del-after-open',
    era: 'v5.18',
    moment: { text: 'GVT unregisters its page-track notifier' },
    outcome: 'clean',
    text: 'In v5.18 a driver learns its VM from the SET_KVM notifier: `vfio_group_set_kvm` sets `group->kvm` and calls every registered callback, with no group lock held. GVT keeps the pointer it is handed, but takes its own reference into a private copy (`info->kvm`) and tears the vGPU down through that copy. Here a GROUP_DEL has called the callback with NULL, and the queued `release_work` still unregisters page tracking from K: no oops.',
  },
  {
    id: 'oops',
    title: 'The oops appears',
    scenario: 'del-after-open',
    era: 'gvt-rework',
    moment: { violation: 'null-deref' },
    outcome: 'null-deref',
    text: 'Christoph Hellwig’s GVT cleanup 10ddb96295f3 folds the private copy into `struct intel_vgpu`: the teardown now reads `vgpu->kvm`, the very field the SET_KVM(NULL) callback clears before it queues `release_work`. The same GROUP_DEL after an open, the same step as in the previous chapter, and the kworker dereferences NULL.',
  },
  {
    id: 'group-rwsem',
    title: 'group_rwsem does not help',
    scenario: 'del-after-open',
    era: 'before',
    moment: { violation: 'null-deref' },
    outcome: 'null-deref',
    text: 'Jason Gunthorpe’s locking series (be8d3adae65c, up to 3ca5470878eb, the patch’s base) adds `group_rwsem`: `vfio_file_set_kvm` holds it for write around the assignment and the notifier chain. That makes the callback atomic, not the teardown: `release_work` runs later under no group lock and still reads the cleared `vgpu->kvm`. be8d3adae65c says so: it does not fix “the race internal to i915”.',
  },
  {
    id: 'v1',
    title: 'Patch v1, and why the review changed it',
    scenario: 'del-after-open',
    era: 'v1',
    moment: { text: 'kvm_get_kvm(K) for core:D' },
    outcome: 'clean',
    text: 'Matthew Rosato’s v1 removes the notifier: on first open the core copies `group->kvm` into `device->kvm` and takes the reference itself, under `group_rwsem` for write. Nothing clears the driver’s pointer now: this run’s GROUP_DEL is harmless. Jason Gunthorpe’s review asked for the reverse split, sparing VFIO a dependency on KVM: hold the group lock for read across `open_device` and let each driver take its own reference (v2).',
  },
  {
    id: 'patch',
    title: 'The patch removes the oops',
    scenario: 'del-after-open',
    era: 'after',
    moment: { text: 'GVT unregisters its page-track notifier' },
    outcome: 'clean',
    text: '421cfe6596f6 (v3, merged for v5.19) takes `group_rwsem` for read only around the first open’s copy and `open_device`, and around `close_device`. GVT takes its own reference in `open_device`, drops its `release_work`, and unregisters page tracking from K in `close_device`, after the GROUP_DEL: “This also fixes a user triggerable oops in gvt” (Jason Gunthorpe).',
  },
  {
    id: 'leak',
    title: 'The GVT reference leak',
    scenario: 'gvt-ref-leak',
    era: 'after',
    moment: { violation: 'refcount-leak' },
    outcome: 'refcount-leak',
    text: 'Since v2, GVT’s `open_device` takes its reference before it checks whether another vGPU already uses the VM, and the -EEXIST return of that check never puts it. After every device and every fd of K is closed, `users_count` is still 1: the VM is never freed. Sean Christopherson’s 9ed1fdee9ee3 (era gvt-fix) takes the reference only after the checks.',
  },
  {
    id: 'last-reference',
    title: 'The deadlock traded for the oops',
    scenario: 'last-ref-deadlock',
    era: 'after',
    moment: { violation: 'deadlock' },
    outcome: 'deadlock',
    text: 'The VM’s fds close first, so GVT’s `kvm_put_kvm` in `close_device` is the last reference, and it runs under `group_rwsem` for read. `kvm_destroy_vm` tears down the KVM-VFIO device in the same thread, and its `vfio_file_set_kvm` waits for `group_rwsem` for write: the thread waits for itself. Alex Williamson, January 2023: “It seems this has traded an oops for a deadlock”.',
  },
  {
    id: 'abba',
    title: '51cdc8bc120e and the ABBA deadlock',
    scenario: 'ap-open-vs-vm-close',
    era: 'release-fix',
    schedule: ABBA,
    moment: { violation: 'deadlock' },
    outcome: 'deadlock',
    text: '51cdc8bc120e clears the KVM-VFIO device’s groups when its fd is released, under `kvm->lock`, while that fd still holds a reference: a driver’s last put can no longer re-enter VFIO. But vfio-ap’s `open_device` takes `kvm->lock` while the core holds `group_lock`. In this interleaving X holds K’s `kvm->lock` and waits for `group_lock`, which Q holds while it waits for `kvm->lock`.',
  },
  {
    id: 'kvm-ref-lock',
    title: '2b48f52f2bff: a spinlock for group->kvm',
    scenario: 'ap-open-vs-vm-close',
    era: 'fixed',
    schedule: ABBA,
    moment: { text: 'vfio_file_set_kvm takes G.kvm_ref_lock', thread: 'X' },
    outcome: 'clean',
    text: 'Reported by Anthony Krowiak, 2b48f52f2bff (v6.3) stops `vfio_file_set_kvm` from taking `group_lock`: `group->kvm` is guarded by the spinlock `kvm_ref_lock`. The same schedule: X, holding `kvm->lock`, takes only that spinlock, and both threads finish. The core now holds its own reference (`kvm_get_kvm_safe`) from the first open to the last close, so a driver’s put is never the last.',
  },
  {
    id: 'v6.6',
    title: 'v6.6: the ADD/DEL race closed',
    scenario: 'kvm-add-del-race',
    era: 'v6.6',
    schedule: ['KV1', 'KV1', 'KV1', 'KV1', 'KV2', 'KV2'],
    moment: { text: "waits for K's kv->lock" },
    outcome: 'clean',
    text: 'One race was older than the patch: KVM-VFIO’s GROUP_ADD called `vfio_file_set_kvm` after dropping its own lock, so a GROUP_DEL could slip in between and leave `group->kvm` set on a group no longer listed (the explorer finds a use-after-free from it in every earlier era). Dmitry Torokhov’s 9e0f4f2918c2 makes the call before the unlock: here the DEL waits for the lock until the ADD is done.',
  },
];

export const CHAPTER_IDS: readonly string[] = STORY.map((c) => c.id);

/** The chapter the front page opens on. */
export const FIRST_CHAPTER: string = STORY[0]!.id;

export function isChapterId(x: unknown): x is string {
  return typeof x === 'string' && CHAPTER_IDS.includes(x);
}

export function chapterById(id: string): Chapter | undefined {
  return STORY.find((c) => c.id === id);
}

/** 0-based position in the story. */
export function chapterIndex(id: string): number {
  return CHAPTER_IDS.indexOf(id);
}
