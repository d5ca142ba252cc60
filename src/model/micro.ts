/**
 * The trace's `micro` list: one entry per micro-step, naming the kernel
 * function and file that step executes at the era's commit, the line where
 * it was checked, a link, and the narration sentence.
 */
import type { Run } from './run.ts';
import { narrate } from './narrate.ts';
import { sourceOf } from './sources/index.ts';
import type { Trace } from './trace.ts';

export interface MicroStep {
  step: number;
  thread: string;
  fn: string;
  file: string;
  line: number | null;
  url: string;
  says: string;
}

export function microSteps(run: Run): MicroStep[] {
  const m = run.model;
  return run.records.map((rec, i) => {
    const src = sourceOf(m.v, m.fns[rec.fn]!, rec.pc);
    return {
      step: i + 1,
      thread: rec.thread,
      fn: src.fn,
      file: src.file,
      line: src.line,
      url: src.url,
      says: narrate(m, rec, run.states[i + 1]!),
    };
  });
}

/** The trace with its `micro` list (what `run --json` prints). */
export function traceWithMicro(run: Run): Trace & { micro: MicroStep[] } {
  return { ...run.trace, micro: microSteps(run) };
}
