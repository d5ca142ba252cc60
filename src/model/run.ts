/**
 * Running a scenario (the scenario format (README)): the default order, or an exact schedule
 * followed by the default order. Returns every state, so the page can step
 * back and forth and the CLI can narrate.
 */
import type { EraId } from './era.ts';
import { compileModel, type Model } from './model.ts';
import type { Scenario } from './scenario.ts';
import { initialState, type KState } from './state.ts';
import { canRun, runnable, step, type StepRecord } from './step.ts';
import { terminalViolations } from './checks.ts';
import { buildTrace, type Trace } from './trace.ts';
import type { Violation } from './types.ts';

export interface RunOptions {
  era?: EraId;
  /** Thread ids, one per micro-step; overrides `scenario.schedule`. */
  schedule?: readonly string[];
  /** Safety bound on micro-steps. */
  maxSteps?: number;
}

export interface Run {
  model: Model;
  /** states[0] is the initial state; states[i] is the state after i micro-steps. */
  states: KState[];
  /** records[i] is micro-step i+1. */
  records: StepRecord[];
  violations: Violation[];
  trace: Trace;
}

export class ScheduleError extends Error {
  constructor(
    message: string,
    readonly index: number,
  ) {
    super(message);
    this.name = 'ScheduleError';
  }
}

/**
 * The default order (the scenario format (README)): the running op continues until it finishes or
 * blocks; an op that blocked resumes as soon as it can, before any further op
 * starts; otherwise the next op in listed order starts (skipping ops whose
 * thread is itself stuck in an earlier op).
 */
export function defaultPick(m: Model, s: KState, current: number | null): number | null {
  if (current !== null && s.t[current]!.status === 'ready' && s.t[current]!.frames.length > 0) return current;
  let best: number | null = null;
  let bestStep = Infinity;
  for (let i = 0; i < s.t.length; i++) {
    const th = s.t[i]!;
    if (th.frames.length === 0 || !canRun(m, s, i)) continue;
    const st = m.threads[i]!.steps[th.op]!;
    if (st < bestStep) {
      best = i;
      bestStep = st;
    }
  }
  if (best !== null) return best;
  for (let i = 0; i < s.t.length; i++) {
    const th = s.t[i]!;
    if (th.frames.length > 0 || th.status !== 'ready') continue;
    const st = m.threads[i]!.steps[th.op]!;
    if (st < bestStep) {
      best = i;
      bestStep = st;
    }
  }
  return best;
}

export function runModel(m: Model, schedule: readonly string[] = [], maxSteps = 100_000): Run {
  const states: KState[] = [initialState(m)];
  const records: StepRecord[] = [];
  const violations: Violation[] = [];
  const deadlocked = new Set<string>();
  let s = states[0]!;
  let current: number | null = null;

  const advance = (ti: number) => {
    const { state, record } = step(m, s, ti);
    records.push(record);
    states.push(state);
    for (const v of record.violations) {
      violations.push({ ...v, step: records.length });
      if (v.kind === 'deadlock') deadlocked.add(v.thread);
    }
    s = state;
    current = state.t[ti]!.status === 'ready' && state.t[ti]!.frames.length > 0 ? ti : null;
  };

  schedule.forEach((id, i) => {
    const ti = m.threadIndex.get(id);
    if (ti === undefined)
      throw new ScheduleError(
        `schedule[${i}]: unknown thread "${id}"; threads are ${m.threads.map((t) => t.id).join(', ')}`,
        i,
      );
    if (!canRun(m, s, ti)) {
      const th = s.t[ti]!;
      const why =
        th.status === 'blocked'
          ? 'it is blocked on a lock'
          : th.status === 'crashed'
            ? 'it crashed'
            : 'it has finished';
      const can = runnable(m, s).map((j) => m.threads[j]!.id);
      throw new ScheduleError(
        `schedule[${i}]: thread "${id}" cannot move at micro-step ${i + 1}: ${why}${can.length ? `; runnable: ${can.join(', ')}` : '; nothing can move'}`,
        i,
      );
    }
    advance(ti);
  });

  for (;;) {
    const ti = defaultPick(m, s, current);
    if (ti === null) break;
    if (records.length >= maxSteps)
      throw new Error(`scenario ${m.scenario.id} did not finish within ${maxSteps} micro-steps`);
    advance(ti);
  }

  for (const v of terminalViolations(m, s, deadlocked)) violations.push({ ...v, step: records.length });
  return { model: m, states, records, violations, trace: buildTrace(m, records, s, violations) };
}

export function runScenario(scenario: Scenario, opts: RunOptions = {}): Run {
  const m = compileModel(scenario, opts.era);
  return runModel(m, opts.schedule ?? scenario.schedule ?? [], opts.maxSteps);
}
