/**
 * The bugs of this history, era by era: which are reachable where, the
 * scenario that shows each, and the public source. This is the table of
 * docs/kernel-reference.md ("Bugs per era"); the explorer is tested against it
 * (src/explore/bugs.test.ts): for every row and era, exploring the row's
 * scenario finds the row's violation kind where the row says so, and does
 * not where it says it is unreachable.
 */
import { ERA_IDS, type EraId } from './era.ts';
import type { ViolationKind } from './types.ts';

export interface Bug {
  id: string;
  title: string;
  kind: ViolationKind;
  /** The built-in scenario(s) that show it; the kind must show in one of them. */
  scenarios: readonly string[];
  /** Reachable: Y from a source, Y* inferred from the code. */
  reachable: Partial<Record<EraId, 'Y' | 'Y*'>>;
  /**
   * Eras where the row says "not reachable" but the scenario still shows the
   * kind through another row's bug: that row's id.
   */
  alsoBy?: Partial<Record<EraId, string>>;
  source: string;
  /** Where this table differs from what was believed before the model was run, and why. */
  note?: string;
}

const range = (a: EraId, b: EraId): EraId[] => ERA_IDS.slice(ERA_IDS.indexOf(a), ERA_IDS.indexOf(b) + 1);
const mark = (eras: EraId[], m: 'Y' | 'Y*') => Object.fromEntries(eras.map((e) => [e, m]));

export const BUGS: readonly Bug[] = [
  {
    id: 'A',
    title: "NULL dereference in GVT's release_work after GROUP_DEL",
    kind: 'null-deref',
    scenarios: ['del-after-open'],
    reachable: mark(['gvt-rework', 'before'], 'Y'),
    source:
      'Jason Gunthorpe <20220517185643.GY1343366@nvidia.com> ("This also fixes a user triggerable oops in gvt"); the v2/v3 commit message; the path is inferred from 10ddb96295f3',
  },
  {
    id: 'A0',
    title: 'release_work tears down a vGPU whose first open is still running (GROUP_DEL races the open)',
    kind: 'null-deref',
    scenarios: ['del-while-open'],
    reachable: mark(range('v5.18', 'before'), 'Y*'),
    source: 'found by the explorer; inferred from kvmgt.c at 10ddb96295f3 and its pre-image',
    note: 'In v5.18 the callback can schedule release_work while open_device is between kvmgt_guest_init and atomic_set(released, 0): both the worker and the later close tear the vGPU down, and the second kvmgt_guest_exit gets a NULL info. Not in the published history of the change.',
  },
  {
    id: 'B',
    title: 'Use-after-free of struct kvm through the notifier and the first open',
    kind: 'use-after-free',
    scenarios: ['open-vs-teardown-race'],
    reachable: mark(range('v5.18', 'before'), 'Y'),
    alsoBy: { v1: 'F' },
    source:
      'be8d3adae65c ("Without locking userspace can trigger a UAF by racing KVM_DEV_VFIO_GROUP_DEL with VFIO_GROUP_GET_DEVICE_FD"); Jason Gunthorpe <20220513131621.GA1457796@nvidia.com>',
  },
  {
    id: "B'",
    title: "vfio-ap's last kvm_put_kvm before mutex_unlock(&kvm->lock)",
    kind: 'use-after-free',
    scenarios: ['ap-last-put', 'ap-del-then-last-put'],
    reachable: mark([...range('v5.18', 'before'), ...range('after', 'release-fix')], 'Y*'),
    source: 'inferred from vfio_ap_ops.c at 421cfe6596f6 (kvm_put_kvm, then mutex_unlock(&kvm->lock))',
    note: "Not reachable in patch v2: v2's extra kvm_get_kvm at the top of set_kvm is put after both unlocks, so the put under kvm->lock is never the last.",
  },
  {
    id: 'C-swap',
    title:
      'KVM reference leak by the pointer swap (GROUP_DEL, then GROUP_ADD to another VM, before release_work runs)',
    kind: 'refcount-leak',
    scenarios: ['del-then-add-other-vm'],
    reachable: mark(['gvt-rework', 'before'], 'Y*'),
    source: 'inferred from kvmgt.c at 10ddb96295f3',
  },
  {
    id: 'C-eexist',
    title: "GVT's kvm_get_kvm before the -EEXIST check leaks a reference",
    kind: 'refcount-leak',
    scenarios: ['gvt-ref-leak'],
    reachable: mark(['v2', 'after', 'group-mutex'], 'Y'),
    source:
      '9ed1fdee9ee3 ("to avoid leaking a reference if there\'s no available vGPU", Fixes: 421cfe6596f6) <20221111002225.2418386-2-seanjc@google.com>',
  },
  {
    id: 'D',
    title: 'Self-deadlock on the last reference: kvm_put_kvm under the group lock reaches vfio_file_set_kvm',
    kind: 'deadlock',
    scenarios: ['last-ref-deadlock'],
    reachable: { ...mark(['v1', 'v2'], 'Y*'), ...mark(range('after', 'group-c'), 'Y') },
    source:
      'Alex Williamson <20230105150930.6ee65182.alex.williamson@redhat.com> ("It seems this has traded an oops for a deadlock"); 51cdc8bc120e',
  },
  {
    id: 'E',
    title:
      'ABBA deadlock: kvm->lock → group_lock (KVM-VFIO release) against group_lock → kvm->lock (vfio-ap open)',
    kind: 'deadlock',
    scenarios: ['ap-open-vs-vm-close'],
    reachable: { 'release-fix': 'Y' },
    source:
      '2b48f52f2bff ("we have another deadlock scenario between the kvm->lock and the vfio group_lock"; Reported-by: Anthony Krowiak)',
  },
  {
    id: 'F',
    title: 'kvm_get_kvm on a VM whose users_count already reached 0 (first open racing the last close)',
    kind: 'get-from-zero',
    scenarios: ['open-vs-teardown-race'],
    reachable: mark(range('v5.18', 'group-c'), 'Y*'),
    source: 'inferred; 2b48f52f2bff takes the core reference with kvm_get_kvm_safe',
  },
  {
    id: 'G',
    title: "KVM-VFIO's ADD/DEL race: ADD sets group->kvm after DEL cleared it, on a group no longer listed",
    kind: 'use-after-free',
    scenarios: ['kvm-add-del-race'],
    reachable: mark(range('v5.18', 'fixed'), 'Y'),
    source:
      '9e0f4f2918c2 ("If we race group addition and deletion calls, kvg instance may get freed") <20230714224538.404793-1-dmitry.torokhov@gmail.com>; the stale group->kvm is inferred',
  },
];
