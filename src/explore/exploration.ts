/**
 * A scenario's exploration, `vfio-kvm-exploration/1` (the exploration format (README)): what
 * `explore --json` prints and what the worker posts back.
 *
 * Fields of the exploration format (README): schema, era, complete, states, transitions,
 * interleavings, ms, violations[{kind, schedule, trace}], and `reason` when
 * incomplete. Extras, each for a reason:
 * - `scenario`: the id explored (several explorations side by side: bench, page);
 * - `terminals`: how many end states there are;
 * - `depth`: the greatest distance (in micro-steps) from the initial state to any state, i.e. the
 *   longest of the shortest schedules; `longest`: the micro-steps of the longest schedule;
 * - `interleavingsExact: false` only when the count passed 2^53 and is rounded;
 * - `error`: a model exception inside a transition, with the schedule that triggers it;
 * - per violation: `step` (the micro-step where it shows: the page's `step=`),
 *   `thread`, `at`, `vm`, `detail` (as in the trace's violations), and
 *   `invariant: true` on the patch's guarantees (docs/kernel-reference.md) kinds (invariants.ts), which are
 *   not trace kinds; `trace.violations` lists only trace kinds.
 *
 * `interleavings` counts maximal schedules of the full, unreduced state graph
 * (count.ts); no reduction is applied. When `complete` is false it is a lower
 * bound.
 */
import {
  compileModel,
  runModel,
  VIOLATION_KINDS,
  type EraId,
  type Model,
  type Scenario,
  type Trace,
} from '../model/index.ts';
import { traceWithMicro } from '../model/micro.ts';
import { INVARIANT_KINDS, relaxedIn } from './invariants.ts';
import { EXPLORATION_SCHEMA } from './schema.ts';
import { kernelSystem, type KernelSystem } from './kernel.ts';
import { Search, type Counterexample, type SearchOptions, type SearchResult } from './search.ts';

export { EXPLORATION_SCHEMA };

export interface ExplorationViolation {
  kind: string;
  /** Thread ids, one per micro-step: paste into `run --schedule`. */
  schedule: string[];
  /** `runModel(model, schedule).trace`: the schedule, then the default order to the end. */
  trace: Trace;
  /** Micro-step (1-based) after which it shows; equals schedule.length. */
  step: number;
  /** Present (true) only on the patch's guarantees (docs/kernel-reference.md) invariant kinds. */
  invariant?: true;
  thread?: string;
  at?: string;
  vm?: string;
  detail?: string;
}

export interface Exploration {
  schema: typeof EXPLORATION_SCHEMA;
  scenario: string;
  era: EraId;
  complete: boolean;
  reason?: string;
  states: number;
  transitions: number;
  interleavings: number | null;
  interleavingsExact?: false;
  terminals: number;
  /** The greatest breadth-first distance of any state: the longest of the shortest schedules. */
  depth: number;
  /** Micro-steps of the longest schedule (null with a cycle; a lower bound when incomplete). Always set by exploreScenario. */
  longest?: number | null;
  ms: number;
  violations: ExplorationViolation[];
  /**
   * Every function where each kind shows, with a shortest schedule to it:
   * one kind can have several causes in one scenario (the violations list
   * keeps the shortest of them).
   */
  sites: { kind: string; at: string | null; schedule: string[]; step: number; invariant?: true }[];
  /** Guarantees of the patch this era gave up by design, not checked here, and why. */
  relaxed: { kind: string; why: string }[];
  error?: { message: string; schedule: string[] };
}

export interface ExploreOptions extends SearchOptions {
  era?: EraId;
  /** Check the patch's invariants (default true). */
  invariants?: boolean;
  /** Memoize transitions (default true; tests compare with false). */
  cache?: boolean;
}

/** Order of kinds in the output: the trace format (README), then patch's invariants, then anything else. */
const KIND_ORDER: readonly string[] = [...VIOLATION_KINDS, ...INVARIANT_KINDS];
function kindRank(k: string): number {
  const i = KIND_ORDER.indexOf(k);
  return i < 0 ? KIND_ORDER.length : i;
}

/** A started exploration: drive `search` (in slices, or to the end), then `finish()`. */
export interface ExplorationRun {
  readonly model: Model;
  readonly system: KernelSystem;
  readonly search: Search;
  finish(): Exploration;
}

export function startExploration(scenario: Scenario, opts: ExploreOptions = {}): ExplorationRun {
  const t0 = performance.now();
  const model = compileModel(scenario, opts.era);
  const system = kernelSystem(model, { invariants: opts.invariants, cache: opts.cache });
  const search = new Search(system, opts);
  return {
    model,
    system,
    search,
    finish: () => toExploration(model, search.result(), performance.now() - t0),
  };
}

/** Explore every interleaving of the scenario's threads (synchronously). */
export function exploreScenario(scenario: Scenario, opts: ExploreOptions = {}): Exploration {
  const run = startExploration(scenario, opts);
  run.search.run();
  return run.finish();
}

function toExploration(m: Model, r: SearchResult, msSoFar: number): Exploration {
  const t0 = performance.now();
  const ids = m.threads.map((t) => t.id);
  let error = r.error
    ? { message: r.error.message, schedule: r.error.schedule.map((t) => ids[t]!) }
    : undefined;
  const violations: ExplorationViolation[] = [];
  for (const c of [...r.counterexamples].sort(
    (a, b) => kindRank(a.kind) - kindRank(b.kind) || (a.kind < b.kind ? -1 : a.kind > b.kind ? 1 : 0),
  )) {
    try {
      violations.push(violation(m, c, ids));
    } catch (e) {
      // Only possible when the search stopped early: the default order after the schedule ran into
      // states it had not explored, and the model threw there (or never finished).
      error ??= {
        message: `building the trace of ${c.kind}: ${(e as Error).message}`,
        schedule: c.schedule.map((t) => ids[t]!),
      };
    }
  }
  const ms = msSoFar + (performance.now() - t0);
  return {
    schema: EXPLORATION_SCHEMA,
    scenario: m.scenario.id,
    era: m.v.id,
    complete: r.complete,
    ...(r.reason !== undefined ? { reason: r.reason } : {}),
    states: r.states,
    transitions: r.transitions,
    interleavings: r.interleavings,
    ...(r.interleavingsExact || r.interleavings === null ? {} : { interleavingsExact: false as const }),
    terminals: r.terminals,
    depth: r.depth,
    longest: r.longest,
    ms: Math.round(ms * 10) / 10,
    violations,
    sites: r.sites.map((c) => ({
      kind: c.kind,
      at: c.finding.at ?? null,
      schedule: c.schedule.map((t) => ids[t]!),
      step: c.schedule.length,
      ...(c.invariant ? { invariant: true as const } : {}),
    })),
    relaxed: relaxedIn(m.v),
    ...(error ? { error } : {}),
  };
}

function violation(m: Model, c: Counterexample, ids: readonly string[]): ExplorationViolation {
  const schedule = c.schedule.map((t) => ids[t]!);
  const f = c.finding;
  return {
    kind: c.kind,
    schedule,
    trace: traceWithMicro(runModel(m, schedule)),
    step: schedule.length,
    ...(c.invariant ? { invariant: true as const } : {}),
    ...(f.thread !== undefined ? { thread: f.thread } : {}),
    ...(f.at !== undefined ? { at: f.at } : {}),
    ...(f.vm !== undefined ? { vm: f.vm } : {}),
    ...(f.detail !== undefined ? { detail: f.detail } : {}),
  };
}
