/** The side-by-side view: the same scenario in a second era, in lock-step (see ../align.ts). */
import { playerSetup } from '../setup.ts';

export const compare = playerSetup.createStateConfig({
  initial: 'off',
  states: {
    off: {
      on: { 'compare.open': 'on' },
    },
    on: {
      on: {
        'compare.close': 'off',
        'compare.era': { guard: 'otherEra', actions: 'setCompareEra' },
      },
    },
  },
});
