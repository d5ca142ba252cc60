/**
 * Who chooses the next thread. `auto`: the scenario's schedule, then the
 * default order (ops in the listed order, each to completion unless it blocks). `scheduler`: the user picks, as in The Deadlock
 * Empire; only a runnable thread can be picked, and each pick extends the
 * exact schedule (which then travels in the URL).
 */
import { playerSetup } from '../setup.ts';

export const mode = playerSetup.createStateConfig({
  initial: 'auto',
  states: {
    auto: {
      on: { 'scheduler.on': 'scheduler' },
    },
    scheduler: {
      on: {
        'scheduler.off': 'auto',
        'thread.run': { guard: 'threadRunnable', actions: ['runThread', 'leaveStory', 'announceMoved'] },
      },
    },
  },
});
