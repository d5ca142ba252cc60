/**
 * Autoplay. `playing` advances one micro-step per tick (1000/speed ms) and
 * stops at the end of the run, or at `stopAt` (a counterexample's replay
 * stops at its violation); any move by the user, a scenario or era change,
 * pauses it (they raise internal.moved / internal.reloaded). A replay
 * (internal.replay) starts it from wherever it is; so does a counterexample
 * link with no step, or a story chapter (`autoplay`). Play in the story goes
 * on to the chapter's moment, or, from the moment on, leaves the story.
 */
import { playerSetup } from '../setup.ts';

const stop = { target: 'paused', actions: 'clearStop' } as const;

export const playback = playerSetup.createStateConfig({
  initial: 'paused',
  states: {
    paused: {
      always: { guard: 'autoplay', target: 'playing', actions: 'clearAutoplay' },
      on: {
        play: [
          { guard: 'atEnd', target: 'playing', actions: ['storyPlay', 'reset'] },
          { target: 'playing', actions: 'storyPlay' },
        ],
        toggle: [
          { guard: 'atEnd', target: 'playing', actions: ['storyPlay', 'reset'] },
          { target: 'playing', actions: 'storyPlay' },
        ],
        'internal.replay': 'playing',
      },
    },
    playing: {
      always: [
        { guard: 'atEnd', ...stop },
        { guard: 'atStop', ...stop },
      ],
      after: {
        tick: { target: 'playing', reenter: true, actions: ['tick', 'announceFresh'] },
      },
      on: {
        pause: stop,
        toggle: stop,
        'internal.moved': stop,
        'internal.reloaded': stop,
        'internal.replay': { target: 'playing', reenter: true },
      },
    },
  },
});
