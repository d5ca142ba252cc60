/**
 * Why a hunk of `diff <A> <B>` mattered, as a moment of a run: among the
 * given scenarios, one whose run in A executes a removed line of the hunk, or
 * whose run in B executes an added one, and the micro-step where it does.
 * Scenarios whose outcome (the violation kinds of their run) differs between
 * the two eras come first: there the changed line makes a difference.
 *
 * Which instructions a micro-step executes is read off the interpreter
 * itself: the step is replayed from its stored state on a copy of the model
 * whose instructions note when they run, and the replay must end exactly as
 * the recorded step did. Nothing here is written by hand per hunk.
 */
import type { EraDiff, FnDiff, Hunk } from './diff.ts';
import { ERA_IDS, type EraId } from './era.ts';
import type { Model } from './model.ts';
import type { CompiledFn, CompiledInstr } from './program.ts';
import { runScenario, type Run } from './run.ts';
import type { Scenario } from './scenario.ts';
import { step } from './step.ts';

/** One moment: scenario × era × micro-step, and the changed line that runs there. */
export interface Moment {
  scenario: string;
  era: EraId;
  /** The micro-step (1-based, the page's `step=`) that executes the line. */
  step: number;
  thread: string;
  /** The function (its name in `era`) and the changed line, as the diff shows it. */
  fn: string;
  line: string;
  /** Added in B ('+') or removed from A ('-'). */
  op: '+' | '-';
  /** The violation kinds of the scenario's run in each era of the diff (sorted, unique). */
  outcome: { a: string[]; b: string[] };
  /** The outcomes differ: the change makes a difference in this scenario. */
  differs: boolean;
  /** The hunk's own change altered this scenario's outcome (its era, the era before, both outcomes). */
  because: Because | null;
}

/** A changed line of a hunk: the side it is on and its index among the function's instructions there. */
export interface ChangedLine {
  op: '+' | '-';
  /** 0-based instruction index in the function at era A ('-') or B ('+'). */
  pc: number;
  text: string;
}

const HEADER = /^@@ -(\d+),(\d+) \+(\d+),(\d+) @@/;

/** The changed lines of a hunk, with their positions (from the hunk's `@@ -a,b +c,d @@` header). */
export function changedLines(h: Hunk): ChangedLine[] {
  const m = HEADER.exec(h.header);
  if (!m) throw new Error(`not a hunk header: ${h.header}`);
  let a = Number(m[1]);
  let b = Number(m[3]);
  const out: ChangedLine[] = [];
  for (const l of h.lines) {
    if (l.op === ' ') {
      a++;
      b++;
    } else if (l.op === '-') out.push({ op: '-', pc: a++ - 1, text: l.text });
    else out.push({ op: '+', pc: b++ - 1, text: l.text });
  }
  return out;
}

/** What each micro-step of a run executed: for step i+1, the instructions as fn id × pc. */
export type Executed = readonly (readonly { fn: number; pc: number }[] | null)[];

const executedCache = new WeakMap<Run, Executed>();

/**
 * The instructions each micro-step of `run` executed, in order (locals, the
 * visible one, the locals after it). A step whose replay does not end as
 * recorded gives null (unknown), never a guess.
 */
export function executedSteps(run: Run): Executed {
  const hit = executedCache.get(run);
  if (hit) return hit;
  let log: { fn: number; pc: number }[] = [];
  const m = run.model;
  const fns: CompiledFn[] = m.fns.map((f) => ({
    ...f,
    instrs: f.instrs.map((ins, pc): CompiledInstr => ({
      ...ins,
      run: (x) => {
        log.push({ fn: f.id, pc });
        return ins.run ? ins.run(x) : undefined;
      },
    })),
  }));
  const traced: Model = { ...m, fns };
  const out = run.records.map((rec, i) => {
    log = [];
    try {
      const { record } = step(traced, run.states[i]!, rec.ti);
      const same =
        record.fn === rec.fn &&
        record.pc === rec.pc &&
        record.thread === rec.thread &&
        record.blocked === rec.blocked &&
        record.violations.length === rec.violations.length;
      return same ? log : null;
    } catch {
      return null;
    }
  });
  executedCache.set(run, out);
  return out;
}

/** The run's outcome: its violation kinds, sorted and unique. */
export function outcomeOf(run: Run): string[] {
  return [...new Set(run.violations.map((v) => v.kind))].sort();
}

/** How the finder gets a scenario's run in an era (the page passes its cached runs). */
export type Runner = (scenario: Scenario, era: EraId) => Run;

const defaultRunner: Runner = (sc, era) => runScenario(sc, { era });

interface EraRuns {
  era: EraId;
  /** Per scenario (same order as given): its run, or null where it cannot run in this era. */
  runs: (Run | null)[];
}

/** Where a hunk's own change made the difference: its era and the era just before it. */
export interface Because {
  /** The era whose commit (or posted version) made the change: a label's `via`, else its `era`. */
  era: EraId;
  /** The era just before it. */
  prev: EraId;
  /** The scenario's violation kinds in each. */
  before: string[];
  after: string[];
}

/** The changes of a hunk, by the era that made each: [that era, the era before it]. */
function labelEras(h: Hunk): [EraId, EraId][] {
  const out: [EraId, EraId][] = [];
  for (const l of h.labels) {
    const e = l.via ?? l.era;
    const i = ERA_IDS.indexOf(e);
    if (i > 0 && !out.some(([x]) => x === e)) out.push([e, ERA_IDS[i - 1]!]);
  }
  return out;
}

/**
 * Finds moments for the hunks of one diff. Runs each scenario once in each
 * era of the diff and in the eras around each change its labels name
 * (`prepare`, which a page can spread over several tasks), and replays steps
 * only as far as it needs.
 *
 * Preference, for each hunk: a scenario whose outcome changed with the
 * hunk's own change and differs between the two eras; then one whose
 * outcome differs between the two eras; then one whose outcome changed with
 * the hunk's change; then any scenario that runs a changed line.
 */
export class MomentFinder {
  private readonly a: EraRuns;
  private readonly b: EraRuns;
  /** Violation kinds per era, per scenario (null: it cannot run there). */
  private readonly outcomes = new Map<EraId, (string[] | null)[]>();
  private ready = false;

  constructor(
    readonly diff: EraDiff,
    private readonly scenarios: readonly Scenario[],
    private readonly runner: Runner = defaultRunner,
  ) {
    this.a = { era: diff.a, runs: [] };
    this.b = { era: diff.b, runs: [] };
  }

  private tryRun(sc: Scenario, era: EraId): Run | null {
    try {
      return this.runner(sc, era);
    } catch {
      // A scenario whose own schedule cannot replay in this era, or a driver the era lacks.
      return null;
    }
  }

  /** The eras the finder runs every scenario in: the diff's two, then those around each change, oldest first. */
  eras(): EraId[] {
    const others = new Set<EraId>();
    for (const f of this.diff.functions)
      for (const h of f.hunks) for (const [e, p] of labelEras(h)) others.add(e).add(p);
    others.delete(this.a.era);
    others.delete(this.b.era);
    return [this.a.era, this.b.era, ...ERA_IDS.filter((e) => others.has(e))];
  }

  /** How many runs `prepare` makes. */
  plannedRuns(): number {
    return this.eras().length * this.scenarios.length;
  }

  /** Runs the scenarios in every era needed, yielding after each run. */
  *prepare(): Generator<void, void, void> {
    if (this.ready) return;
    for (const era of this.eras()) {
      const side = era === this.a.era ? this.a : era === this.b.era ? this.b : null;
      const kinds: (string[] | null)[] = [];
      for (let i = 0; i < this.scenarios.length; i++) {
        const run = this.tryRun(this.scenarios[i]!, era);
        // Only the outcome is kept for the eras around a change: those runs are not shown.
        if (side) side.runs[i] = run;
        kinds[i] = run ? outcomeOf(run) : null;
        yield;
      }
      this.outcomes.set(era, kinds);
    }
    this.ready = true;
  }

  private prepared(): void {
    const steps = this.prepare();
    while (!steps.next().done);
  }

  private kinds(era: EraId, i: number): string[] | null {
    return this.outcomes.get(era)?.[i] ?? null;
  }

  private static differ(x: string[] | null, y: string[] | null): boolean {
    return x !== null && y !== null && x.join() !== y.join();
  }

  /** The hunk's change that altered scenario i's outcome, if one did. */
  private because(h: Hunk, i: number): Because | null {
    for (const [era, prev] of labelEras(h)) {
      const before = this.kinds(prev, i);
      const after = this.kinds(era, i);
      if (before && after && MomentFinder.differ(before, after)) return { era, prev, before, after };
    }
    return null;
  }

  /** The moment for hunk `h` of function `f`, or null when no scenario runs a changed line of it. */
  find(f: FnDiff, h: Hunk): Moment | null {
    if (f.decl) return null;
    const changed = changedLines(h);
    if (!changed.length) return null;
    this.prepared();
    const ranked = this.scenarios
      .map((_, i) => {
        const differs = MomentFinder.differ(this.kinds(this.a.era, i), this.kinds(this.b.era, i));
        const because = this.because(h, i);
        const rank = because && differs ? 0 : differs ? 1 : because ? 2 : 3;
        return { i, differs, because, rank };
      })
      .sort((x, y) => x.rank - y.rank || x.i - y.i);
    for (const { i, differs, because } of ranked) {
      // Added lines run in B, removed ones in A; the earlier step when both run.
      const sides: [EraRuns, '+' | '-'][] = [
        [this.b, '+'],
        [this.a, '-'],
      ];
      let best: Moment | null = null;
      for (const [side, op] of sides) {
        const run = side.runs[i];
        const lines = changed.filter((c) => c.op === op);
        if (!run || !lines.length) continue;
        const hitStep = firstStepRunning(run, f.key, lines);
        if (!hitStep) continue;
        const fn = run.model.fns[run.model.fnId.get(f.key)!]!;
        const m: Moment = {
          scenario: this.scenarios[i]!.id,
          era: side.era,
          step: hitStep.step,
          thread: run.records[hitStep.step - 1]!.thread,
          fn: fn.name,
          line: hitStep.line.text,
          op,
          outcome: { a: this.kinds(this.a.era, i) ?? [], b: this.kinds(this.b.era, i) ?? [] },
          differs,
          because,
        };
        if (!best || m.step < best.step) best = m;
      }
      if (best) return best;
    }
    return null;
  }

  /** Moments for every hunk: `[function index][hunk index]`. */
  all(): (Moment | null)[][] {
    return this.diff.functions.map((f) => f.hunks.map((h) => this.find(f, h)));
  }
}

/**
 * The first micro-step of `run` that executes one of `lines` of function
 * `key`. Positions are checked against the run's own compiled function: a
 * line counts only where the instruction at that position has that text.
 */
function firstStepRunning(
  run: Run,
  key: string,
  lines: readonly ChangedLine[],
): { step: number; line: ChangedLine } | null {
  const id = run.model.fnId.get(key);
  if (id === undefined) return null;
  const fn = run.model.fns[id]!;
  const wanted = new Map<number, ChangedLine>();
  for (const l of lines) if (fn.instrs[l.pc]?.line === l.text) wanted.set(l.pc, l);
  if (!wanted.size) return null;
  const executed = executedSteps(run);
  for (let i = 0; i < executed.length; i++) {
    const hit = executed[i]?.find((x) => x.fn === id && wanted.has(x.pc));
    if (hit) return { step: i + 1, line: wanted.get(hit.pc)! };
  }
  return null;
}
