/**
 * The reference flow's INFERRED footnotes: for a built-in scenario in an era,
 * each bug of the model's table (src/model/bugs.ts) that the scenario shows
 * there and that is inferred from the code rather than reported (`Y*`). The
 * footnote names the bug and where to read why; the table is the one place
 * that says which facts are inferred, so the diagram cannot drift from it.
 */
import { BUGS, type Bug } from '../model/bugs.ts';
import type { EraId } from '../model/era.ts';
import type { DiagramNote } from './flowModel.ts';

/** The objects a bug of this kind is about: the VM for reference counts, the group for a lock, else the driver. */
function targetOf(bug: Bug, drivers?: Readonly<Record<string, string>>): string | readonly string[] {
  if (bug.kind === 'deadlock') return 'group:*';
  if (bug.kind !== 'null-deref') return 'vm:*';
  const ids = drivers ? Object.keys(drivers).map((id) => `driver:${id}`) : [];
  return ids.length ? ids : 'driver:*';
}

/**
 * INFERRED notes for a scenario in an era. `drivers` (device id → driver
 * name, e.g. from `scenario.devices`) points driver notes at the scenario's
 * driver cards; without it they target every driver ("driver:*").
 */
export function inferredNotes(
  scenarioId: string,
  era: EraId,
  drivers?: Readonly<Record<string, string>>,
): DiagramNote[] {
  return BUGS.filter((b) => b.scenarios.includes(scenarioId) && b.reachable[era] === 'Y*').map((b) => ({
    target: targetOf(b, drivers),
    text: `${b.title}: inferred from the code, not reported (bug ${b.id} in docs/kernel-reference.md, "Bugs per era").`,
  }));
}
