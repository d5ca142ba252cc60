/**
 * What views read from the player: plain functions of the machine's snapshot
 * (the heavy parts through the memoized run cache). The React views and the
 * headless driver use the same functions, so tests check what the page shows.
 */
import type { SnapshotFrom } from 'xstate';
import { ERAS, type KernelView, type StepView } from '../../model/index.ts';
import { serializeUrlState } from '../url.ts';
import type { PlayerMachine } from './machine.ts';
import { getRun, type Derived } from './runs.ts';
import {
  alignStep,
  compareOptions,
  firstDifference,
  type Aligned,
  type CompareOptions,
  type Difference,
} from './align.ts';
import { FRAME_SPEED, type PlayerContext } from './types.ts';

export type PlayerSnapshot = SnapshotFrom<PlayerMachine>;

export function derivedOf(ctx: Pick<PlayerContext, 'scenario' | 'era' | 'schedule'>): Derived {
  return getRun(ctx.scenario, ctx.era, ctx.schedule);
}

/** The last run `runShown` returned, with the context fields it came from. */
let shown: { ctx: Pick<PlayerContext, 'scenario' | 'era' | 'schedule'>; d: Derived } | null = null;

/**
 * The run the snapshot shows, as a selector: the same object for as long as scenario, era and schedule
 * are (the context replaces them, never changes them in place), so a view subscribes once for all three,
 * and a step costs three comparisons, not the run cache's key.
 */
export function runShown(s: PlayerSnapshot): Derived {
  const c = s.context;
  if (
    shown &&
    shown.ctx.scenario === c.scenario &&
    shown.ctx.era === c.era &&
    shown.ctx.schedule === c.schedule
  )
    return shown.d;
  const d = derivedOf(c);
  shown = { ctx: { scenario: c.scenario, era: c.era, schedule: c.schedule }, d };
  return d;
}

export function kernelView(ctx: PlayerContext): KernelView {
  return derivedOf(ctx).view(ctx.step);
}

/** The micro-step that led to the state shown, or null at step 0. */
export function lastStep(ctx: PlayerContext): StepView | null {
  return ctx.step > 0 ? derivedOf(ctx).stepView(ctx.step) : null;
}

/** The sentence of the live region. */
export function narration(ctx: PlayerContext): string {
  const s = lastStep(ctx);
  if (s) return s.text;
  const threads = derivedOf(ctx)
    .run.model.threads.map((t) => t.id)
    .join(', ');
  return `Step 0 of ${ctx.total}: nothing has run yet (era ${ctx.era}; threads ${threads}). Press Play, or →, to run it one kernel micro-step at a time.`;
}

/**
 * The state of each of the player's parallel regions (./machine.ts), read off the snapshot's value: every
 * view's selector runs on every snapshot (each step of an autoplay), and `snapshot.matches` parses its
 * argument into a state value each time.
 */
interface Regions {
  playback: 'paused' | 'playing';
  mode: 'auto' | 'scheduler';
  compare: 'off' | 'on';
  explorer: 'idle' | 'running' | 'done' | 'failed';
}
function regions(s: PlayerSnapshot): Regions {
  return s.value as unknown as Regions;
}

export function isPlaying(s: PlayerSnapshot): boolean {
  return regions(s).playback === 'playing';
}
/** Autoplay above FRAME_SPEED steps/s: (nearly) every frame draws a step. */
export function isFastPlaying(s: PlayerSnapshot): boolean {
  return isPlaying(s) && s.context.speed > FRAME_SPEED;
}
export function isScheduler(s: PlayerSnapshot): boolean {
  return regions(s).mode === 'scheduler';
}
export function isComparing(s: PlayerSnapshot): boolean {
  return regions(s).compare === 'on';
}
export function explorerState(s: PlayerSnapshot): Regions['explorer'] {
  return regions(s).explorer;
}

export function urlOf(ctx: PlayerContext): { search: string; hash: string } {
  return serializeUrlState({
    scenario: ctx.origin === 'builtin' ? ctx.scenario.id : null,
    scenarioJson: ctx.origin === 'user' ? ctx.userJson : null,
    era: ctx.era,
    step: ctx.step,
    schedule: ctx.schedule,
    theme: ctx.theme,
    compare: ctx.comparing ? ctx.compareEra : null,
    counterexample: ctx.counterexample?.kind ?? null,
    chapter: ctx.story?.on ? ctx.story.chapter : null,
  });
}

/** The chapter of the story the page shows (playing to its moment or at it), or null when exploring. */
export function storyChapter(s: PlayerSnapshot): string | null {
  return s.context.story?.on ? s.context.story.chapter : null;
}

/** A counterexample replay is under way (playing towards its violation). */
export function isReplaying(s: PlayerSnapshot): boolean {
  return s.context.stopAt !== null && isPlaying(s);
}

export interface CompareView {
  other: Derived;
  aligned: Aligned;
  difference: Difference | null;
  options: CompareOptions;
}

export function compareView(ctx: PlayerContext): CompareView {
  const a = derivedOf(ctx);
  const other = getRun(ctx.scenario, ctx.compareEra, ctx.scenario.schedule ?? []);
  return {
    other,
    aligned: alignStep(a, other, ctx.step),
    difference: firstDifference(a, other),
    options: compareOptions(a, other),
  };
}

export function eraTitle(id: PlayerContext['era']): string {
  return ERAS[id].title;
}

export type OpState =
  | { state: 'pending' }
  | { state: 'running' }
  | { state: 'blocked'; on: string }
  | { state: 'done'; result: string }
  | { state: 'crashed' };

/** Where each scenario op stands after `step` micro-steps. */
export function opStates(d: Derived, step: number): OpState[] {
  const m = d.run.model;
  const out: OpState[] = m.scenario.steps.map(() => ({ state: 'pending' }));
  for (let i = 0; i < Math.min(step, d.total); i++) {
    const r = d.run.records[i]!;
    if (r.opStart !== null) out[r.opStart] = { state: 'running' };
    if (r.opDone)
      out[r.opDone.step] =
        r.opDone.status === 'crashed'
          ? { state: 'crashed' }
          : { state: 'done', result: String(r.opDone.result ?? 0) };
  }
  const view = d.view(step);
  view.threads.forEach((t) => {
    if (t.op && out[t.op.index]!.state === 'running' && t.status === 'blocked')
      out[t.op.index] = { state: 'blocked', on: t.reason ?? '' };
    if (t.op && t.status === 'crashed') out[t.op.index] = { state: 'crashed' };
  });
  return out;
}

/**
 * The thread whose call stack the page opens: the one a violation at this
 * step names (the thread that crashed or is stuck), else the thread that ran
 * this step, else (step 0) the first thread.
 */
export function activeThread(d: Derived, step: number): string | null {
  const view = d.view(step);
  const here = [...(d.stepViolations.get(step) ?? []), ...(step === d.total ? d.terminalViolations : [])];
  const named = here.map((v) => v.thread).find((t) => view.threads.some((x) => x.id === t));
  if (named) return named;
  if (step > 0) return d.stepView(step).thread;
  return view.threads[0]?.id ?? null;
}
