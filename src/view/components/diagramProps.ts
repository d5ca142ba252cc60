/** Props the page derives for the diagrams (memoized, so diagrams only redraw when they change). */
import { useMemo } from 'react';
import type { EraId, Violation } from '../../model/index.ts';
import { Player } from '../context.ts';
import { inferredNotes, type DiagramNote } from '../deps/diagrams.tsx';
import type { Derived } from '../player/runs.ts';

/** INFERRED facts the reference flow flags, for the scenario shown in an era. */
export function useNotes(era: EraId): DiagramNote[] {
  const scenario = Player.useSelector((s) => s.context.scenario);
  return useMemo(
    () => inferredNotes(scenario.id, era, Object.fromEntries(scenario.devices.map((d) => [d.id, d.driver]))),
    [scenario, era],
  );
}

/** Violations seen up to step n (those of the end-of-run checks only at the end). */
export function violationsSoFar(d: Derived, n: number): Violation[] {
  return d.run.violations.filter((v) => v.step <= n);
}

const byStep = new WeakMap<Derived, Violation[]>();
/** The run's violations in step order (stable), once per run. */
function inStepOrder(d: Derived): Violation[] {
  let v = byStep.get(d);
  if (!v) byStep.set(d, (v = [...d.run.violations].sort((a, b) => a.step - b.step)));
  return v;
}

/** violationsSoFar, as the same array until one more violation is reached (diagrams redraw only then). */
export function useViolationsSoFar(d: Derived, n: number): Violation[] {
  const count = d.run.violations.filter((v) => v.step <= n).length;
  return useMemo(() => inStepOrder(d).slice(0, count), [d, count]);
}
