/**
 * Autoplay. `playing` advances one micro-step per tick (1000/speed ms) and
 * stops at the end of the run; any move by the user, a scenario or era
 * change, pauses it (they raise internal.moved / internal.reloaded).
 */
import { playerSetup } from '../setup.ts';

export const playback = playerSetup.createStateConfig({
  initial: 'paused',
  states: {
    paused: {
      on: {
        play: [{ guard: 'atEnd', target: 'playing', actions: 'reset' }, { target: 'playing' }],
        toggle: [{ guard: 'atEnd', target: 'playing', actions: 'reset' }, { target: 'playing' }],
      },
    },
    playing: {
      always: { guard: 'atEnd', target: 'paused' },
      after: {
        tick: { target: 'playing', reenter: true, actions: 'tick' },
      },
      on: {
        pause: 'paused',
        toggle: 'paused',
        'internal.moved': 'paused',
        'internal.reloaded': 'paused',
      },
    },
  },
});
