/**
 * The counterexample search: every interleaving of the scenario's threads,
 * in a Web Worker (the `explorer` actor). Its result belongs to one scenario
 * and era: a change of either cancels a search and clears the result.
 */
import { playerSetup } from '../setup.ts';

const restart = { target: '#player.explorer.running', actions: 'exploreBegin' } as const;

export const explorer = playerSetup.createStateConfig({
  initial: 'idle',
  on: {
    'internal.reloaded': { target: '.idle', actions: 'exploreClear' },
  },
  states: {
    idle: {
      on: { 'explore.start': restart },
    },
    running: {
      invoke: {
        src: 'explorer',
        input: ({ context }) => ({ scenario: context.scenario, era: context.era }),
      },
      on: {
        'explore.progress': { actions: 'exploreProgress' },
        'explore.done': { target: 'done', actions: 'exploreDone' },
        'explore.error': { target: 'failed', actions: 'exploreFailed' },
        'explore.cancel': { target: 'idle', actions: 'exploreClear' },
      },
    },
    done: {
      on: { 'explore.start': restart },
    },
    failed: {
      on: { 'explore.start': restart },
    },
  },
});
