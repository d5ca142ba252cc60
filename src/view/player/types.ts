/** The player's context, events and input: the small things (the Run lives in runs.ts). */
import type { EraId, Scenario, Violation } from '../../model/index.ts';
import type { Notice, Theme, UrlState } from '../url.ts';
import type { Exploration, ExploreProgress } from '../deps/explorer.ts';

/** Steps per second offered by the speed control; the last is "full speed". */
export const SPEEDS = [0.5, 1, 2, 4, 8, 16, 30, 60] as const;
export const DEFAULT_SPEED = 2;
/**
 * Above this many steps per second autoplay draws a step in (nearly) every frame, and a frame has no room
 * for extras: the diagrams do not animate, and the address is written when play stops, not while it plays.
 */
export const FRAME_SPEED = 16;
/** What a page with no parameters shows: the GVT oops the patch removes (GROUP_DEL while the vGPU is open). */
export const DEFAULT_SCENARIO = 'del-while-open';

export interface ExploreSlot {
  /** scenario key + era the result belongs to. */
  key: string;
  progress: ExploreProgress | null;
  result: Exploration | null;
  error: string | null;
}

/** The exploration's counterexample the schedule is: the kind it reaches, after `step` micro-steps. */
export interface Counterexample {
  kind: string;
  step: number;
}

/**
 * Violations just reached: at the step shown, or passed on the way there by
 * a jump (a permalink, "Go to step", End, a fast run of clicks). They stay
 * announced for a moment (ALERT_MS) however the reader moves on, so each is
 * announced once.
 */
export interface Announcement {
  violations: Violation[];
  /** Set by the move that reached them; false on the moves after. */
  fresh: boolean;
}

/**
 * Where the reader is in the guided story: the chapter last opened, its
 * moment's step, and whether the page still shows it (playing to the moment
 * or at it). Exploring (another scenario, era, schedule or step) leaves the
 * story (`on` false); the chapter stays, so the reader can come back.
 */
export interface StoryState {
  chapter: string;
  moment: number;
  on: boolean;
}

/** How long a violation passed on the way stays in the alert. */
export const ALERT_MS = 2000;

export interface PlayerContext {
  scenario: Scenario;
  /** Built-in scenarios travel as ?scenario=<id>, a user's as #scenario=<base64url>. */
  origin: 'builtin' | 'user';
  /** Compact JSON of a user's scenario (what the hash carries). */
  userJson: string | null;
  era: EraId;
  /** Exact schedule prefix (thread ids), then the default order. */
  schedule: string[];
  step: number;
  /** Micro-steps in the current run (derived; kept here to clamp and to stop autoplay). */
  total: number;
  speed: number;
  theme: Theme;
  /** The other era of the side-by-side view. */
  compareEra: EraId;
  notices: Notice[];
  explore: ExploreSlot;
  /** Bumped on every scenario/era change (views reset their scroll, the explorer its result). */
  generation: number;
  /** The side-by-side view is open (mirrors the compare region, so that the address can say so). */
  comparing: boolean;
  /** The schedule is this counterexample (from the explorer's Replay, or the address). */
  counterexample: Counterexample | null;
  /** Autoplay stops here (a replay stops at its violation). */
  stopAt: number | null;
  /** Start playing as soon as the player starts (a counterexample link with no step replays). */
  autoplay: boolean;
  announce: Announcement | null;
  /** The guided story, once a chapter was opened (null before). */
  story: StoryState | null;
}

export type PlayerEvent =
  | { type: 'step.forward' }
  | { type: 'step.back' }
  | { type: 'goto'; step: number }
  | { type: 'reset' }
  | { type: 'end' }
  | { type: 'play' }
  | { type: 'pause' }
  | { type: 'toggle' }
  | { type: 'speed'; speed: number }
  | { type: 'scenario.select'; id: string }
  | { type: 'scenario.load'; scenario: Scenario }
  | { type: 'era.select'; era: EraId }
  | { type: 'scheduler.on' }
  | { type: 'scheduler.off' }
  | { type: 'thread.run'; thread: string }
  | { type: 'schedule.clear' }
  | { type: 'compare.open' }
  | { type: 'compare.close' }
  | { type: 'compare.era'; era: EraId }
  | { type: 'explore.start' }
  | { type: 'explore.cancel' }
  | { type: 'explore.progress'; progress: ExploreProgress }
  | { type: 'explore.done'; result: Exploration }
  | { type: 'explore.error'; message: string }
  /** Play a counterexample from step 0 to its violation (`kind`, after `step` micro-steps). */
  | { type: 'replay'; schedule: string[]; step: number; kind?: string }
  /** Leave the counterexample replay, or a chapter's play: go to its violation or moment at once. */
  | { type: 'replay.skip' }
  /** Open a chapter of the story: its scenario, era and schedule, played from step 0 to its moment. */
  | { type: 'chapter.open'; id: string }
  | { type: 'theme'; theme: Theme }
  | { type: 'notice.dismiss'; id: string }
  /** A notice about a setting changed in place (the element's live `step` and `theme` attributes); replaces one of the same id. */
  | { type: 'notice.show'; notice: Notice }
  // Raised by the machine itself, never sent by views:
  | { type: 'internal.moved' }
  | { type: 'internal.reloaded' }
  | { type: 'internal.announce' }
  | { type: 'internal.replay' }
  | { type: 'internal.chapter' };

export interface PlayerInput {
  url: UrlState;
  notices?: Notice[];
}
