/**
 * A chapter of the guided story (src/scenarios/story.ts) as the player shows
 * it: its run, and the step of its moment, found by running the model.
 */
import type { EraId, Scenario } from '../../model/index.ts';
import { builtin } from '../../scenarios/index.ts';
import { chapterById, type Chapter, type Moment } from '../../scenarios/story.ts';
import { getRun, type Derived } from './runs.ts';
import { replaySpeed } from './moves.ts';

/** The step of a moment in a run, or null when the run never gets there. */
export function momentStep(d: Derived, moment: Moment): number | null {
  if ('violation' in moment) {
    for (let n = 1; n <= d.total; n++)
      if (d.stepViolations.get(n)?.some((v) => v.kind === moment.violation)) return n;
    return d.terminalViolations.some((v) => v.kind === moment.violation) ? d.total : null;
  }
  for (let n = 1; n <= d.total; n++) {
    const s = d.stepView(n);
    if (s.text.includes(moment.text) && (moment.thread === undefined || s.thread === moment.thread)) return n;
  }
  return null;
}

export interface ChapterRun {
  chapter: Chapter;
  scenario: Scenario;
  era: EraId;
  schedule: string[];
  derived: Derived;
  /** The step the chapter plays to. */
  moment: number;
  /** The autoplay speed that reaches it in a few seconds. */
  speed: number;
}

/**
 * Run a chapter. Throws when the chapter does not fit the model (an unknown
 * scenario, a schedule that does not replay, a moment the run never
 * reaches): the unit tests run every chapter, so the page never meets one.
 */
export function chapterRun(id: string): ChapterRun {
  const chapter = chapterById(id);
  if (!chapter) throw new Error(`no chapter "${id}"`);
  const scenario = builtin(chapter.scenario);
  if (!scenario) throw new Error(`chapter ${id}: no built-in scenario "${chapter.scenario}"`);
  const schedule = [...(chapter.schedule ?? scenario.schedule ?? [])];
  const derived = getRun(scenario, chapter.era, schedule);
  const moment = momentStep(derived, chapter.moment);
  if (moment === null) throw new Error(`chapter ${id}: the run never reaches its moment`);
  return { chapter, scenario, era: chapter.era, schedule, derived, moment, speed: replaySpeed(moment) };
}
