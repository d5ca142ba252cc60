/**
 * The four eras of spec §1, as data. An era is a set of switches that the
 * code paths consult; there is one model, never a copy per era.
 */

export const ERA_IDS = ['v5.18', 'before', 'after', 'fixed'] as const;
export type EraId = (typeof ERA_IDS)[number];

export function isEraId(x: unknown): x is EraId {
  return typeof x === 'string' && (ERA_IDS as readonly string[]).includes(x);
}

export interface Era {
  id: EraId;
  title: string;
  /** One line for the era switch. */
  summary: string;
  /** Where the facts come from (domain.md sections, commits). */
  source: string;
  /** `group_rwsem` exists (added by the May 2022 group-locking series). */
  groupRwsem: boolean;
  /** The SET_KVM group notifier chain, and GVT's release_work, exist. */
  notifier: boolean;
  /**
   * How the core hands the group's KVM to the device on first open:
   * none (no device->kvm), rlock (v3: copy under group_rwsem read),
   * safe (2b48f52f2bff: kvm_get_kvm_safe under kvm_ref_lock, core holds a reference).
   */
  capture: 'none' | 'rlock' | 'safe';
  /** How vfio_file_set_kvm serialises against readers of group->kvm. */
  setKvmLock: 'none' | 'group_rwsem' | 'kvm_ref_lock';
  /** 51cdc8bc120e: the KVM-VFIO device clears its groups on fd release, not in kvm_destroy_vm. */
  kvmVfioRelease: boolean;
  /** Nov 2022 GVT fix: kvm_get_kvm only after the "another vGPU uses this VM" check. */
  gvtKgetAfterCheck: boolean;
  /** IOMMU notifier (un)registration: no lock (v5.18), takes group_rwsem read (before), asserts it (after). */
  iommuNotifierLock: 'none' | 'rlock' | 'assert';
  /** vfio-ap and zdev see device->kvm in open_device (after the patch). */
  driversUseDeviceKvm: boolean;
}

export const ERAS: Record<EraId, Era> = {
  'v5.18': {
    id: 'v5.18',
    title: 'v5.18',
    summary: 'Notifier design with no group_rwsem: group->kvm is set and the chain fired with no lock.',
    source: 'domain.md §0.3, §4.3; scenario E',
    groupRwsem: false,
    notifier: true,
    capture: 'none',
    setKvmLock: 'none',
    kvmVfioRelease: false,
    gvtKgetAfterCheck: false,
    iommuNotifierLock: 'none',
    driversUseDeviceKvm: false,
  },
  before: {
    id: 'before',
    title: 'before (vfio-next, May 2022)',
    summary:
      'group_rwsem (write) around set_kvm and the SET_KVM chain; the chain replays under read on register.',
    source: 'domain.md §2',
    groupRwsem: true,
    notifier: true,
    capture: 'none',
    setKvmLock: 'group_rwsem',
    kvmVfioRelease: false,
    gvtKgetAfterCheck: false,
    iommuNotifierLock: 'rlock',
    driversUseDeviceKvm: false,
  },
  after: {
    id: 'after',
    title: 'after (421cfe6596f6, v3)',
    summary:
      'The core copies group->kvm into device->kvm on first open under group_rwsem (read); drivers take their own reference.',
    source: 'domain.md §3',
    groupRwsem: true,
    notifier: false,
    capture: 'rlock',
    setKvmLock: 'group_rwsem',
    kvmVfioRelease: false,
    gvtKgetAfterCheck: false,
    iommuNotifierLock: 'assert',
    driversUseDeviceKvm: true,
  },
  fixed: {
    id: 'fixed',
    title: 'fixed (after + 2022–23 fixes)',
    summary:
      "GVT kget after the check; KVM-VFIO clears groups on fd release (51cdc8bc120e); kvm_ref_lock and the core's safe reference (2b48f52f2bff).",
    source: 'domain.md §4.2-J, §4.2-K, §6',
    groupRwsem: true,
    notifier: false,
    capture: 'safe',
    setKvmLock: 'kvm_ref_lock',
    kvmVfioRelease: true,
    gvtKgetAfterCheck: true,
    iommuNotifierLock: 'assert',
    driversUseDeviceKvm: true,
  },
};

/**
 * "What if" assumptions a scenario may turn on, to show a hazard the patch
 * avoided by design. Each is INFERRED and labelled so in the page.
 */
export const ASSUMPTIONS = {
  'iommu-notifier-rlock': {
    title: 'IOMMU notifier helpers still take group_rwsem (read)',
    detail:
      "Hypothetical (domain.md §4.2-M, scenario L): v2/v3 turned vfio_register_iommu_notifier's rlock into a lockdep assertion because open_device now runs under the read lock. With this assumption the helper takes the read side again, so a writer that queues in between deadlocks both threads.",
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
  if (assume.includes('iommu-notifier-rlock') && base.iommuNotifierLock === 'assert') {
    v.iommuNotifierLock = 'rlock';
  }
  return v;
}
