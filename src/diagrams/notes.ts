/**
 * Where domain.md marks a fact as INFERRED (§7.1), the notes the reference
 * flow can flag for a built-in scenario and era. A starting point the page may
 * extend; targets use kind wildcards ("driver:*") or node ids.
 */
import type { EraId } from '../model/era.ts';
import type { DiagramNote } from './flowModel.ts';

const NOTIFIER_ERAS: readonly EraId[] = ['v5.18', 'before'];
const PATCHED_ERAS: readonly EraId[] = ['after', 'fixed'];

interface Entry {
  /** Built-in scenario ids, or '*' for any scenario that has a device of `driver`. */
  scenarios: readonly string[] | '*';
  eras: readonly EraId[];
  /** The note is about this driver's devices only. */
  driver?: string;
  note: DiagramNote;
}

const TABLE: readonly Entry[] = [
  {
    scenarios: ['del-while-open', 'second-opener'],
    eras: NOTIFIER_ERAS,
    driver: 'gvt',
    note: {
      target: 'driver:*',
      text: 'The GVT oops mechanism (GROUP_DEL → vgpu->kvm = NULL → release_work dereferences NULL) is inferred from the code (domain.md §2.6).',
    },
  },
  {
    scenarios: ['del-then-add-other-vm', 'set-kvm-races-open'],
    eras: NOTIFIER_ERAS,
    note: {
      target: 'driver:*',
      text: 'The pointer swap and its reference-count effects before the patch are inferred (domain.md §5 D).',
    },
  },
  {
    scenarios: ['open-vs-teardown-race'],
    eras: PATCHED_ERAS,
    note: {
      target: 'vm:*',
      text: 'The refcount-zero window (a first open handing a VM whose users_count is already 0 to the driver) is inferred and theoretical (domain.md §4.2-L).',
    },
  },
  {
    scenarios: ['last-ref-deadlock'],
    eras: ['after'],
    note: {
      target: 'vm:*',
      text: 'The real-world trigger order (the device fd closed last, after the VM and KVM-VFIO fds) is inferred (domain.md §5 K).',
    },
  },
  {
    scenarios: '*',
    eras: ['v5.18', 'before', 'after', 'fixed'],
    driver: 'vfio-ap',
    note: {
      target: 'driver:*',
      text: "vfio-ap's unset_kvm unlocks K->lock after its kvm_put_kvm: a use-after-free if that put was the last (inferred hazard, domain.md §2.5).",
    },
  },
  {
    scenarios: ['recursive-rlock'],
    eras: PATCHED_ERAS,
    note: {
      target: 'group:*',
      text: 'Hypothetical: this scenario assumes the IOMMU-notifier helper still takes group_rwsem (read); the merged patch asserts instead (domain.md §4.2-M, §5 L).',
    },
  },
  {
    scenarios: ['kvm-add-del-race'],
    eras: ['v5.18', 'before', 'after', 'fixed'],
    note: {
      target: 'group:*',
      text: 'That nothing clears group->kvm once the racing DEL has removed the entry is an inferred consequence (domain.md §4.2-N).',
    },
  },
  {
    scenarios: ['two-mdevs-same-vm'],
    eras: NOTIFIER_ERAS,
    driver: 'vfio-ap',
    note: {
      target: 'driver:*',
      text: "vfio-ap's swallowed -EPERM (the second mdev opens with no AP configuration) is inferred from the code (domain.md §2.5).",
    },
  },
];

/**
 * INFERRED notes for a scenario in an era. `drivers` (device id → driver
 * name, e.g. from `scenario.devices`) points driver notes at the devices they
 * are about; without it they target every driver ("driver:*") and notes that
 * apply to any scenario with a given driver are left out.
 */
export function inferredNotes(
  scenarioId: string,
  era: EraId,
  drivers?: Readonly<Record<string, string>>,
): DiagramNote[] {
  const out: DiagramNote[] = [];
  for (const e of TABLE) {
    if (!e.eras.includes(era)) continue;
    if (e.scenarios === '*' ? !drivers : !e.scenarios.includes(scenarioId)) continue;
    let note = e.note;
    if (drivers && e.driver) {
      const ids = Object.entries(drivers)
        .filter(([, d]) => d === e.driver)
        .map(([id]) => `driver:${id}`);
      if (ids.length === 0) continue;
      note = { ...note, target: ids };
    }
    out.push(note);
  }
  return out;
}
