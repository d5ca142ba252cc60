/**
 * The side-by-side view: the same scenario in a second era, in lock-step (see
 * ../align.ts). `comparing` in the context mirrors this region (the address
 * carries it as compare=<era>); an address with compare= starts it open.
 */
import { playerSetup } from '../setup.ts';

export const compare = playerSetup.createStateConfig({
  initial: 'off',
  states: {
    off: {
      always: { guard: 'startComparing', target: 'on' },
      on: { 'compare.open': 'on' },
    },
    on: {
      entry: 'compareOpened',
      exit: 'compareClosed',
      on: {
        'compare.close': 'off',
        'compare.era': { guard: 'otherEra', actions: 'setCompareEra' },
      },
    },
  },
});
