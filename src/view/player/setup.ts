/**
 * The player machine's vocabulary: context and events (types.ts), the
 * actions and guards every state file uses, the delay of autoplay and the
 * explorer actor. States live in ./states/, the machine in ./machine.ts.
 */
import { assign, enqueueActions, fromCallback, raise, setup } from 'xstate';
import { isEraId, type EraId, type Scenario } from '../../model/index.ts';
import { builtin } from '../../scenarios/index.ts';
import { THEMES } from '../url.ts';
import { loadExplorer, type ExploreFn } from '../deps/explorer.ts';
import {
  initialContext,
  leaveStory,
  loadRun,
  openChapter,
  switchEra,
  switchScenario,
  emptyExplore,
  tryChapter,
} from './load.ts';
import { getRun, type Derived } from './runs.ts';
import { moveTo, replaySpeed } from './moves.ts';
import { ALERT_MS, SPEEDS, type PlayerContext, type PlayerEvent, type PlayerInput } from './types.ts';

const clamp = (ctx: PlayerContext, n: number) => Math.max(0, Math.min(ctx.total, Math.floor(n)));
const run = (ctx: PlayerContext): Derived => getRun(ctx.scenario, ctx.era, ctx.schedule);
/** Move to step n (clamped), announcing the violations reached on the way. */
const go = (ctx: PlayerContext, n: number) => moveTo(ctx, run(ctx), clamp(ctx, n));

export interface ExplorerInput {
  scenario: Scenario;
  era: EraId;
}

/** Runs one exploration through the lazily loaded client; stopping the actor cancels it. */
export function explorerActor(load: () => Promise<ExploreFn> = loadExplorer) {
  return fromCallback<PlayerEvent, ExplorerInput>(({ sendBack, input }) => {
    let stopped = false;
    let cancel: (() => void) | null = null;
    load().then(
      (explore) => {
        if (stopped) return;
        const job = explore(input.scenario, input.era, (progress) => {
          if (!stopped) sendBack({ type: 'explore.progress', progress });
        });
        cancel = job.cancel;
        job.promise.then(
          (result) => {
            if (!stopped) sendBack({ type: 'explore.done', result });
          },
          (e: unknown) => {
            if (!stopped)
              sendBack({ type: 'explore.error', message: e instanceof Error ? e.message : String(e) });
          },
        );
      },
      (e: unknown) => {
        if (!stopped)
          sendBack({ type: 'explore.error', message: e instanceof Error ? e.message : String(e) });
      },
    );
    return () => {
      stopped = true;
      cancel?.();
    };
  });
}

export const playerSetup = setup({
  types: {
    context: {} as PlayerContext,
    events: {} as PlayerEvent,
    input: {} as PlayerInput,
  },
  actors: {
    explorer: explorerActor(),
  },
  delays: {
    tick: ({ context }) => Math.round(1000 / context.speed),
    alert: ALERT_MS,
  },
  guards: {
    atEnd: ({ context }) => context.step >= context.total,
    atStop: ({ context }) => context.stopAt !== null && context.step >= context.stopAt,
    autoplay: ({ context }) => context.autoplay,
    startComparing: ({ context }) => context.comparing,
    announcing: ({ context }) => context.announce !== null,
    /** A chapter was just opened: it plays from here to its moment. */
    chapterOpened: ({ context }) =>
      context.story !== null && context.story.on && context.step < context.story.moment,
    threadRunnable: ({ context, event }) =>
      event.type === 'thread.run' &&
      getRun(context.scenario, context.era, context.schedule).runnableAt(context.step).includes(event.thread),
    otherEra: ({ context, event }) =>
      event.type === 'compare.era' && isEraId(event.era) && event.era !== context.era,
  },
  actions: {
    stepForward: assign(({ context }) => go(context, context.step + 1)),
    stepBack: assign(({ context }) => go(context, context.step - 1)),
    goto: assign(({ context, event }) =>
      event.type === 'goto' && Number.isFinite(event.step) ? go(context, event.step) : {},
    ),
    reset: assign(({ context }) => go(context, 0)),
    end: assign(({ context }) => go(context, context.total)),
    tick: assign(({ context }) => go(context, context.step + 1)),
    skipReplay: assign(({ context }) => {
      if (context.story?.on) return { ...go(context, context.story.moment), stopAt: null };
      return context.counterexample ? { ...go(context, context.counterexample.step), stopAt: null } : {};
    }),
    // Exploring (a move, another scenario, era or schedule) leaves the story; the chapter is kept.
    leaveStory: assign(({ context }) => (context.story?.on ? { story: leaveStory(context.story) } : {})),
    openChapter: assign(({ context, event }) => {
      if (event.type !== 'chapter.open') return {};
      const notices = [...context.notices];
      const c = tryChapter(event.id, notices);
      return c ? openChapter(context, c) : { notices };
    }),
    // After the reload has paused whatever played: play to the chapter's moment, at a pace that gets there in seconds.
    chapterPlay: assign(({ context }) =>
      context.story ? { stopAt: context.story.moment, speed: replaySpeed(context.story.moment) } : {},
    ),
    // Play in the story: on the way to the moment, go on to it; at or past it, the reader explores on.
    storyPlay: assign(({ context }) => {
      const st = context.story;
      if (!st?.on) return {};
      return context.step < st.moment ? { stopAt: st.moment } : { story: leaveStory(st) };
    }),
    clearStop: assign({ stopAt: null }),
    clearAutoplay: assign({ autoplay: false }),
    compareOpened: assign({ comparing: true }),
    compareClosed: assign({ comparing: false }),
    endAnnouncement: assign({ announce: null }),
    setSpeed: assign({
      speed: ({ context, event }) =>
        event.type === 'speed' && (SPEEDS as readonly number[]).includes(event.speed)
          ? event.speed
          : context.speed,
    }),
    selectScenario: assign(({ context, event }) => {
      if (event.type !== 'scenario.select') return {};
      const sc = builtin(event.id);
      if (!sc)
        return {
          notices: [
            ...context.notices,
            { id: 'scenario', text: `There is no built-in scenario "${event.id}".` },
          ],
        };
      if (sc === context.scenario && context.origin === 'builtin') return {};
      return switchScenario(context, sc, 'builtin');
    }),
    loadUserScenario: assign(({ context, event }) =>
      event.type === 'scenario.load' ? switchScenario(context, event.scenario, 'user') : {},
    ),
    selectEra: assign(({ context, event }) =>
      event.type === 'era.select' ? switchEra(context, event.era) : {},
    ),
    runThread: assign(({ context, event }) => {
      if (event.type !== 'thread.run') return {};
      const d = getRun(context.scenario, context.era, context.schedule);
      // The thread the default order would move next: keep the schedule as it is.
      if (context.step < d.total && d.run.records[context.step]!.thread === event.thread)
        return go(context, context.step + 1);
      const schedule = [...d.prefix(context.step), event.thread];
      const next = getRun(context.scenario, context.era, schedule);
      return {
        schedule,
        total: next.total,
        counterexample: null,
        ...moveTo(context, next, Math.min(next.total, context.step + 1)),
      };
    }),
    clearSchedule: assign(({ context }) => {
      const notices = [...context.notices];
      const l = loadRun(
        context.scenario,
        context.era,
        context.scenario.schedule ?? [],
        context.step,
        notices,
      );
      return l
        ? {
            schedule: l.schedule,
            total: l.total,
            step: Math.min(context.step, l.total),
            counterexample: null,
            stopAt: null,
            announce: null,
          }
        : { notices };
    }),
    // A counterexample from the explorer: its schedule, from step 0, playing to its violation.
    replay: assign(({ context, event }) => {
      if (event.type !== 'replay') return {};
      const notices = [...context.notices];
      const at = Math.max(0, Math.floor(event.step));
      const l = loadRun(context.scenario, context.era, event.schedule, 0, notices);
      if (!l) return { notices };
      const stop = Math.min(at, l.total);
      return {
        schedule: l.schedule,
        total: l.total,
        step: 0,
        notices,
        counterexample: event.kind ? { kind: event.kind, step: stop } : null,
        stopAt: stop,
        speed: replaySpeed(stop),
        announce: null,
      };
    }),
    setCompareEra: assign({
      compareEra: ({ context, event }) => (event.type === 'compare.era' ? event.era : context.compareEra),
    }),
    setTheme: assign({
      theme: ({ context, event }) =>
        event.type === 'theme' && (THEMES as readonly string[]).includes(event.theme)
          ? event.theme
          : context.theme,
    }),
    showNotice: assign({
      notices: ({ context, event }) => {
        if (event.type !== 'notice.show') return context.notices;
        const at = context.notices.findIndex((n) => n.id === event.notice.id);
        return at < 0
          ? [...context.notices, event.notice]
          : context.notices.map((n, i) => (i === at ? event.notice : n));
      },
    }),
    dismissNotice: assign({
      notices: ({ context, event }) =>
        event.type === 'notice.dismiss' ? context.notices.filter((n) => n.id !== event.id) : context.notices,
    }),
    exploreBegin: assign({
      explore: ({ context }) => ({ ...emptyExplore(), key: `${context.generation}` }),
    }),
    exploreProgress: assign({
      explore: ({ context, event }) =>
        event.type === 'explore.progress'
          ? { ...context.explore, progress: event.progress }
          : context.explore,
    }),
    exploreDone: assign({
      explore: ({ context, event }) =>
        event.type === 'explore.done'
          ? { ...context.explore, result: event.result, error: null }
          : context.explore,
    }),
    exploreFailed: assign({
      explore: ({ context, event }) =>
        event.type === 'explore.error' ? { ...context.explore, error: event.message } : context.explore,
    }),
    exploreClear: assign({ explore: () => emptyExplore() }),
    // Pauses autoplay; restarts the alert's time when the move reached a violation.
    announceMoved: enqueueActions(({ context, enqueue }) => {
      enqueue.raise({ type: 'internal.moved' });
      if (context.announce?.fresh) enqueue.raise({ type: 'internal.announce' });
    }),
    announceFresh: enqueueActions(({ context, enqueue }) => {
      if (context.announce?.fresh) enqueue.raise({ type: 'internal.announce' });
    }),
    startReplay: raise({ type: 'internal.replay' }),
    startChapter: raise({ type: 'internal.chapter' }),
    announceReloaded: raise({ type: 'internal.reloaded' }),
  },
});

export { initialContext };
