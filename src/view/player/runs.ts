/**
 * The heavy, derived data: a Run (every kernel state and micro-step record)
 * for (scenario, era, schedule), memoized outside the player machine, and
 * per-step views memoized inside each entry so that stepping (and autoplay)
 * only describes the one state it shows.
 */
import {
  describeState,
  describeStep,
  runScenario,
  runnable,
  ScheduleError,
  type EraId,
  type KernelView,
  type Run,
  type Scenario,
  type StepView,
  type Violation,
} from '../../model/index.ts';

export interface Derived {
  readonly run: Run;
  /** Number of micro-steps. */
  readonly total: number;
  /** opOf[i]: scenario step index of the op that micro-step i+1 belongs to. */
  readonly opOf: readonly number[];
  /** Violations seen on micro-steps (not the end-of-run checks), by step number. */
  readonly stepViolations: ReadonlyMap<number, readonly Violation[]>;
  /** Violations found by the end-of-run checks (refcount-leak, …). */
  readonly terminalViolations: readonly Violation[];
  /** The kernel state after `step` micro-steps (memoized). */
  view(step: number): KernelView;
  /** Micro-step `n` (1-based; memoized). */
  stepView(n: number): StepView;
  /** Thread ids that can move after `step` micro-steps. */
  runnableAt(step: number): string[];
  /** The schedule that reproduces the first `step` micro-steps exactly. */
  prefix(step: number): string[];
}

const LIMIT_PER_SCENARIO = 24;
const cache = new WeakMap<Scenario, Map<string, Derived>>();
/** The key last put at the end of each scenario's map. */
const last = new WeakMap<Map<string, Derived>, string>();

function derive(run: Run): Derived {
  const m = run.model;
  const views: (KernelView | undefined)[] = [];
  const stepViews: (StepView | undefined)[] = [];
  const opOf = run.records.map((r, i) => {
    const th = run.states[i]!.t[r.ti]!;
    return r.opStart ?? m.threads[r.ti]!.steps[th.op]!;
  });
  const stepViolations = new Map<number, Violation[]>();
  let inSteps = 0;
  run.records.forEach((r, i) => {
    if (r.violations.length) {
      stepViolations.set(
        i + 1,
        r.violations.map((v) => ({ ...v, step: i + 1 })),
      );
      inSteps += r.violations.length;
    }
  });
  const total = run.records.length;
  const clamp = (s: number) => Math.max(0, Math.min(total, Math.floor(s)));
  return {
    run,
    total,
    opOf,
    stepViolations,
    terminalViolations: run.violations.slice(inSteps),
    view(step) {
      const s = clamp(step);
      return (views[s] ??= describeState(m, run.states[s]!));
    },
    stepView(n) {
      const s = Math.max(1, Math.min(total, Math.floor(n)));
      return (stepViews[s] ??= describeStep(m, run.records[s - 1]!, run.states[s]!, s));
    },
    runnableAt(step) {
      return runnable(m, run.states[clamp(step)]!).map((i) => m.threads[i]!.id);
    },
    prefix(step) {
      return run.records.slice(0, clamp(step)).map((r) => r.thread);
    },
  };
}

/**
 * The run's key, from the schedule's contents every time: a cache keyed by the array itself would go stale
 * when a caller extends its schedule in place (the scheduler's tests do), and serve the previous run.
 */
function keyOf(era: EraId, schedule: readonly string[]): string {
  return `${era}|${schedule.join(',')}`;
}

/**
 * The run of a scenario in an era with an exact schedule prefix (then the
 * default order). Throws ScheduleError when the schedule cannot replay, or
 * Error when the model fails; callers that take untrusted input use
 * `resolveRun`.
 */
export function getRun(scenario: Scenario, era: EraId, schedule: readonly string[]): Derived {
  let byKey = cache.get(scenario);
  if (!byKey) cache.set(scenario, (byKey = new Map()));
  const key = keyOf(era, schedule);
  let d = byKey.get(key);
  if (d) {
    // Most recently used last (it nearly always is already: the page asks for the run it shows).
    if (last.get(byKey) !== key) {
      byKey.delete(key);
      byKey.set(key, d);
      last.set(byKey, key);
    }
    return d;
  }
  d = derive(runScenario(scenario, { era, schedule: [...schedule] }));
  byKey.set(key, d);
  last.set(byKey, key);
  if (byKey.size > LIMIT_PER_SCENARIO) byKey.delete(byKey.keys().next().value!);
  return d;
}

export type Resolved =
  { ok: true; derived: Derived; schedule: string[]; problem: string | null } | { ok: false; error: string };

/**
 * `getRun` for untrusted input: a schedule that cannot replay is cut at the
 * first entry that cannot move (with the model's explanation); a model error
 * is returned, never thrown.
 */
export function resolveRun(scenario: Scenario, era: EraId, schedule: readonly string[]): Resolved {
  let sched = [...schedule];
  let problem: string | null = null;
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      return { ok: true, derived: getRun(scenario, era, sched), schedule: sched, problem };
    } catch (e) {
      if (e instanceof ScheduleError && attempt === 0) {
        problem = e.message;
        sched = sched.slice(0, e.index);
        continue;
      }
      return { ok: false, error: e instanceof Error ? e.message : String(e) };
    }
  }
  return { ok: false, error: 'the schedule could not be replayed' };
}
