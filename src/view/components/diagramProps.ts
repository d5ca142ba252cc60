/** Props the page derives for the diagrams (memoized, so diagrams only redraw when they change). */
import { useMemo } from 'react';
import type { EraId, Violation } from '../../model/index.ts';
import { Player } from '../context.ts';
import { inferredNotes, type DiagramNote } from '../deps/diagrams.tsx';
import type { Derived } from '../player/runs.ts';
import { field } from '../player/field.ts';

/** INFERRED facts the reference flow flags, for the scenario shown in an era. */
export function useNotes(era: EraId): DiagramNote[] {
  const scenario = Player.useSelector(field('scenario'));
  return useMemo(
    () => inferredNotes(scenario.id, era, Object.fromEntries(scenario.devices.map((d) => [d.id, d.driver]))),
    [scenario, era],
  );
}

const byCount = new WeakMap<Derived, Violation[][]>();
/**
 * The violations seen up to step n (those of the end-of-run checks only at the end), as one array per run
 * and count: the same array from step to step until one more violation is reached (the diagrams redraw
 * only then), and the same wherever it is asked for (a diagram and its warm-up), so that the diagrams'
 * geometry, remembered per step, is found again.
 */
export function violationsSoFar(d: Derived, n: number): Violation[] {
  let lists = byCount.get(d);
  if (!lists) byCount.set(d, (lists = []));
  const count = d.run.violations.filter((v) => v.step <= n).length;
  return (lists[count] ??= [...d.run.violations].sort((a, b) => a.step - b.step).slice(0, count));
}
