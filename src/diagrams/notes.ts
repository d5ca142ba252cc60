/**
 * The facts the reference flow can flag as INFERRED for a built-in scenario
 * and era: the model's bug table (src/model/bugs.ts) marks those read from the
 * code rather than from a public report (docs/kernel-reference.md, "Bugs per
 * era"). A starting point the page may extend; targets use kind wildcards
 * ("driver:*") or node ids.
 */
import { ERA_IDS, ERAS, type EraId } from '../model/era.ts';
import { BUGS } from '../model/bugs.ts';
import type { DiagramNote } from './flowModel.ts';

/** The eras where a row of the bug table is reachable. */
function bugEras(id: string): EraId[] {
  const bug = BUGS.find((b) => b.id === id);
  if (!bug) throw new Error(`no bug ${id} in the bug table`);
  return ERA_IDS.filter((e) => bug.reachable[e]);
}
/** The eras where the SET_KVM notifier chain exists. */
const NOTIFIER_ERAS: readonly EraId[] = ERA_IDS.filter((e) => ERAS[e].notifier);

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
    eras: bugEras('A'),
    driver: 'gvt',
    note: {
      target: 'driver:*',
      text: 'The GVT oops mechanism (GROUP_DEL → vgpu->kvm = NULL → release_work dereferences NULL) is inferred from the code (kvmgt.c at 10ddb96295f3).',
    },
  },
  {
    scenarios: ['del-then-add-other-vm', 'set-kvm-races-open'],
    eras: bugEras('C-swap'),
    note: {
      target: 'driver:*',
      text: 'The pointer swap and its reference-count effects before the patch are inferred from kvmgt.c at 10ddb96295f3.',
    },
  },
  {
    scenarios: ['open-vs-teardown-race'],
    eras: bugEras('F').filter((e) => ERAS[e].capture !== 'none'),
    note: {
      target: 'vm:*',
      text: 'The refcount-zero window (a first open handing a VM whose users_count is already 0 to the driver) is inferred and theoretical; 2b48f52f2bff closes it with kvm_get_kvm_safe.',
    },
  },
  {
    scenarios: ['last-ref-deadlock'],
    eras: bugEras('D'),
    note: {
      target: 'vm:*',
      text: 'The real-world trigger order (the device fd closed last, after the VM and KVM-VFIO fds) is inferred; the deadlock itself was reported in <20230105150930.6ee65182.alex.williamson@redhat.com>.',
    },
  },
  {
    scenarios: '*',
    eras: bugEras("B'"),
    driver: 'vfio-ap',
    note: {
      target: 'driver:*',
      text: "vfio-ap's unset_kvm unlocks K->lock after its kvm_put_kvm: a use-after-free if that put was the last (inferred hazard, vfio_ap_ops.c at 421cfe6596f6).",
    },
  },
  {
    scenarios: ['recursive-rlock'],
    eras: ERA_IDS.filter((e) => ERAS[e].iommu === 'assert'),
    note: {
      target: 'group:*',
      text: 'Hypothetical: this scenario assumes the IOMMU-notifier helper still takes group_rwsem (read); the merged patch asserts instead (v2 changelog: "use lockdep_assert to ensure lock is held during register_notifer").',
    },
  },
  {
    scenarios: ['kvm-add-del-race'],
    eras: bugEras('G'),
    note: {
      target: 'group:*',
      text: 'That nothing clears group->kvm once the racing DEL has removed the entry is an inferred consequence of the race 9e0f4f2918c2 fixes.',
    },
  },
  {
    scenarios: ['two-mdevs-same-vm'],
    eras: NOTIFIER_ERAS,
    driver: 'vfio-ap',
    note: {
      target: 'driver:*',
      text: "vfio-ap's swallowed -EPERM (the second mdev opens with no AP configuration) is inferred from vfio_ap_ops.c.",
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
