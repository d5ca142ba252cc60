/**
 * Turning untrusted input (the URL, a dropped file) into a valid player
 * context. Every problem becomes a notice and a fallback, never an exception.
 */
import { ERA_LIST, ERAS, isEraId, LEGACY_ERAS, type EraId, type Scenario } from '../../model/index.ts';
import { BUILTIN_IDS, builtin } from '../../scenarios/index.ts';
import { parseScenarioText } from '../../scenarios/validate.ts';
import { pastEndNotice, type Notice } from '../url.ts';
import { alignStep } from './align.ts';
import { getRun, resolveRun } from './runs.ts';
import { moveTo, reaches, replaySpeed } from './moves.ts';
import { chapterRun, type ChapterRun } from './story.ts';
import {
  DEFAULT_SCENARIO,
  DEFAULT_SPEED,
  type Counterexample,
  type PlayerContext,
  type PlayerInput,
  type StoryState,
} from './types.ts';

function defaultScenario(): Scenario {
  return builtin(DEFAULT_SCENARIO)!;
}

/**
 * The other era the side-by-side view starts with: the patch's base for the
 * patch, otherwise the era just before (the first era: the one after).
 */
export function defaultCompareEra(era: EraId): EraId {
  if (era === 'after') return 'before';
  if (era === 'before') return 'after';
  const i = ERAS[era].order;
  return ERA_LIST[i > 0 ? i - 1 : 1]!.id;
}

/** Eras whose behaviour was corrected since links to them were first made (era.ts LEGACY_ERAS). */
const CORRECTED: readonly EraId[] = ['v5.18', 'fixed'];

export function emptyExplore(): PlayerContext['explore'] {
  return { key: '', progress: null, result: null, error: null };
}

interface Loaded {
  scenario: Scenario;
  era: EraId;
  schedule: string[];
  step: number;
  total: number;
}

/**
 * Resolve a scenario with an era, schedule and step: the schedule is cut
 * where it cannot replay, the step is clamped to the run. Returns null (and a
 * notice) when the model cannot run the scenario at all.
 */
export function loadRun(
  scenario: Scenario,
  era: EraId,
  schedule: readonly string[],
  step: number,
  notices: Notice[],
): Loaded | null {
  const r = resolveRun(scenario, era, schedule);
  if (!r.ok) {
    notices.push({
      id: 'run-error',
      text: `The scenario "${scenario.id}" cannot run in era ${era}: ${r.error}`,
    });
    return null;
  }
  if (r.problem)
    notices.push({
      id: 'schedule',
      text: `The schedule cannot be replayed (${r.problem}); it was cut to its first ${r.schedule.length} entries.`,
    });
  const total = r.derived.total;
  let s = step;
  if (s > total) {
    notices.push(pastEndNotice(step, total));
    s = total;
  }
  return { scenario, era, schedule: r.schedule, step: Math.max(0, s), total };
}

/** A chapter's run, or null with a notice (a chapter the model cannot run: the unit tests rule it out). */
export function tryChapter(id: string, notices: Notice[]): ChapterRun | null {
  try {
    return chapterRun(id);
  } catch (e) {
    notices.push({
      id: 'chapter-run',
      text: `The story's chapter "${id}" cannot be shown: ${e instanceof Error ? e.message : String(e)}.`,
    });
    return null;
  }
}

/** The story after the reader explored away from it (the chapter is kept, to come back to). */
export function leaveStory(story: StoryState | null): StoryState | null {
  return story && story.on ? { ...story, on: false } : story;
}

/** A chapter from its step 0, about to play to its moment (the caller starts the playing). */
export function openChapter(ctx: PlayerContext, c: ChapterRun): Partial<PlayerContext> {
  return {
    scenario: c.scenario,
    origin: 'builtin',
    userJson: null,
    era: c.era,
    schedule: c.schedule,
    step: 0,
    total: c.derived.total,
    compareEra: ctx.compareEra === c.era ? defaultCompareEra(c.era) : ctx.compareEra,
    explore: emptyExplore(),
    generation: ctx.generation + 1,
    counterexample: null,
    stopAt: null,
    autoplay: false,
    announce: null,
    story: { chapter: c.chapter.id, moment: c.moment, on: true },
  };
}

export function initialContext(input: PlayerInput): PlayerContext {
  const notices: Notice[] = [...(input.notices ?? [])];
  const u = input.url;
  const chapter = u.chapter !== undefined ? tryChapter(u.chapter, notices) : null;
  if (chapter) return chapterContext(u, chapter, notices);
  let scenario: Scenario | null = null;
  let origin: PlayerContext['origin'] = 'builtin';
  let userJson: string | null = null;

  if (u.scenarioJson !== null) {
    const v = parseScenarioText(u.scenarioJson);
    if (v.ok) {
      scenario = v.scenario;
      origin = 'user';
      userJson = JSON.stringify(v.scenario);
    } else {
      const more = v.errors.length > 3 ? ` (and ${v.errors.length - 3} more)` : '';
      notices.push({
        id: 'hash-invalid',
        text: `The scenario in the address is not valid: ${v.errors.slice(0, 3).map(clip).join('; ')}${more}. Showing ${DEFAULT_SCENARIO} instead.`,
      });
    }
  }
  if (!scenario && u.scenario !== null) {
    scenario = builtin(u.scenario) ?? null;
    if (!scenario)
      notices.push({
        id: 'scenario',
        text: `There is no built-in scenario "${u.scenario}"; showing ${DEFAULT_SCENARIO}. The scenarios are: ${BUILTIN_IDS.join(', ')}.`,
      });
  }
  if (!scenario) scenario = defaultScenario();

  const era = u.era ?? scenario.era;
  if (u.era && CORRECTED.includes(u.era) && LEGACY_ERAS[u.era])
    notices.push({ id: 'era-corrected', text: LEGACY_ERAS[u.era]! });
  let loaded = loadRun(scenario, era, u.schedule ?? scenario.schedule ?? [], u.step ?? 0, notices);
  if (!loaded) {
    scenario = defaultScenario();
    origin = 'builtin';
    userJson = null;
    loaded = loadRun(scenario, scenario.era, [], 0, notices)!;
  }
  // compare=<era>: side by side from the start.
  let comparing = false;
  let compareEra = defaultCompareEra(loaded.era);
  if (u.compare !== undefined) {
    if (u.compare === loaded.era)
      notices.push({
        id: 'compare',
        text: `compare=${u.compare} is the era shown; showing one era. Compare with another era, such as ${defaultCompareEra(loaded.era)}.`,
      });
    else {
      comparing = true;
      compareEra = u.compare;
    }
  }
  // counterexample=<kind>: the schedule reaches it after its last micro-step; with no step, replay it.
  let counterexample: Counterexample | null = null;
  let step = loaded.step;
  let autoplay = false;
  let stopAt: number | null = null;
  let speed = DEFAULT_SPEED;
  if (u.counterexample !== undefined) {
    const d = getRun(loaded.scenario, loaded.era, loaded.schedule);
    const at = loaded.schedule.length;
    if (at === 0)
      notices.push({
        id: 'counterexample',
        text: `counterexample=${u.counterexample} needs the schedule= it is the counterexample of; it was ignored.`,
      });
    else if (!reaches(d, u.counterexample, at))
      notices.push({
        id: 'counterexample',
        text: `This schedule does not reach ${u.counterexample} in ${loaded.era} by its last micro-step (${at}); it is shown as a plain schedule.`,
      });
    else {
      counterexample = { kind: u.counterexample, step: at };
      if (u.step === null) {
        step = 0;
        autoplay = true;
        stopAt = at;
        speed = replaySpeed(at);
      }
    }
  }
  return {
    scenario: loaded.scenario,
    origin,
    userJson,
    era: loaded.era,
    schedule: loaded.schedule,
    step,
    total: loaded.total,
    speed,
    theme: u.theme ?? 'auto',
    compareEra,
    notices,
    explore: emptyExplore(),
    generation: 0,
    comparing,
    counterexample,
    stopAt,
    autoplay,
    // A permalink that lands at or past violations announces them.
    announce: moveTo({ step: 0, announce: null }, getRun(loaded.scenario, loaded.era, loaded.schedule), step)
      .announce,
    story: null,
  };
}

/** `?chapter=<id>`: the chapter from step 0, playing to its moment (compare and theme as the address says). */
function chapterContext(u: PlayerInput['url'], c: ChapterRun, notices: Notice[]): PlayerContext {
  let comparing = false;
  let compareEra = defaultCompareEra(c.era);
  if (u.compare !== undefined) {
    if (u.compare === c.era)
      notices.push({
        id: 'compare',
        text: `compare=${u.compare} is the era of this chapter; showing one era. Compare with another era, such as ${compareEra}.`,
      });
    else {
      comparing = true;
      compareEra = u.compare;
    }
  }
  return {
    scenario: c.scenario,
    origin: 'builtin',
    userJson: null,
    era: c.era,
    schedule: c.schedule,
    step: 0,
    total: c.derived.total,
    speed: c.speed,
    theme: u.theme ?? 'auto',
    compareEra,
    notices,
    explore: emptyExplore(),
    generation: 0,
    comparing,
    counterexample: null,
    stopAt: c.moment,
    autoplay: true,
    announce: null,
    story: { chapter: c.chapter.id, moment: c.moment, on: true },
  };
}

/** A new scenario (built-in or the user's): its own era and schedule, step 0. */
export function switchScenario(
  ctx: PlayerContext,
  scenario: Scenario,
  origin: PlayerContext['origin'],
): Partial<PlayerContext> {
  const notices = [...ctx.notices];
  const loaded = loadRun(scenario, scenario.era, scenario.schedule ?? [], 0, notices);
  if (!loaded) return { notices };
  return {
    scenario,
    origin,
    userJson: origin === 'user' ? JSON.stringify(scenario) : null,
    era: loaded.era,
    schedule: loaded.schedule,
    step: 0,
    total: loaded.total,
    compareEra: ctx.compareEra === loaded.era ? defaultCompareEra(loaded.era) : ctx.compareEra,
    notices,
    explore: emptyExplore(),
    generation: ctx.generation + 1,
    counterexample: null,
    stopAt: null,
    autoplay: false,
    announce: null,
    story: leaveStory(ctx.story),
  };
}

/**
 * Another era for the same scenario: the scenario's own schedule (an explicit
 * one rarely replays in another era), and the step mapped to the same op
 * (see align.ts), so switching keeps your place.
 */
export function switchEra(ctx: PlayerContext, era: EraId): Partial<PlayerContext> {
  if (!isEraId(era) || era === ctx.era) return {};
  const notices = [...ctx.notices];
  const before = getRun(ctx.scenario, ctx.era, ctx.schedule);
  const loaded = loadRun(ctx.scenario, era, ctx.scenario.schedule ?? [], 0, notices);
  if (!loaded) return { notices };
  const after = getRun(ctx.scenario, era, loaded.schedule);
  const step = alignStep(before, after, ctx.step).step;
  return {
    era,
    schedule: loaded.schedule,
    step,
    total: loaded.total,
    compareEra: ctx.compareEra === era ? ctx.era : ctx.compareEra,
    notices,
    explore: emptyExplore(),
    generation: ctx.generation + 1,
    counterexample: null,
    stopAt: null,
    autoplay: false,
    announce: null,
    story: leaveStory(ctx.story),
  };
}

/** One validation error as a notice shows it: at most 140 characters. */
function clip(error: string): string {
  return error.length <= 140 ? error : `${error.slice(0, 139)}…`;
}
