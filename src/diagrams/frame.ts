/**
 * The props of the reference-flow diagram at step n of a run: one derivation
 * shared by the page and by `vfio-kvm render`, so a rendered file is the
 * page's drawing of that moment. Like the page, no caption (the title and
 * description carry the era and the step; the page's header and player bar
 * show them), and scaled into its box keeping its aspect ratio.
 */
import type { Run } from '../model/run.ts';
import { describeState, describeStep } from '../model/view.ts';
import type { ReferenceFlowProps } from './ReferenceFlow.tsx';
import { inferredNotes } from './notes.ts';
import type { ThemeName } from './theme.ts';

export interface FrameOptions {
  theme?: ThemeName;
  width?: number;
  idPrefix?: string;
}

/** Notes (INFERRED facts) for a run's scenario in its era. */
export function runNotes(run: Run) {
  const sc = run.model.scenario;
  return inferredNotes(sc.id, run.model.v.id, Object.fromEntries(sc.devices.map((d) => [d.id, d.driver])));
}

export function flowPropsAt(run: Run, n: number, o: FrameOptions = {}): ReferenceFlowProps {
  const total = run.records.length;
  if (!Number.isInteger(n) || n < 0 || n > total) throw new RangeError(`step ${n} is outside 0…${total}`);
  return {
    view: describeState(run.model, run.states[n]!),
    step: n === 0 ? null : describeStep(run.model, run.records[n - 1]!, run.states[n]!, n),
    totalSteps: total,
    violations: run.violations.filter((v) => v.step <= n),
    notes: runNotes(run),
    theme: o.theme ?? 'light',
    width: o.width ?? 960,
    idPrefix: o.idPrefix ?? 'flow',
    animate: false,
    reducedMotion: true,
    caption: false,
    fit: true,
  };
}
