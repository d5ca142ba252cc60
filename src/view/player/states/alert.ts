/**
 * The violation alert: `shown` while violations just reached are announced
 * (context.announce), for ALERT_MS, restarted by each move that reaches new
 * ones; then the alert shows only the violations of the step shown again.
 */
import { playerSetup } from '../setup.ts';

export const alert = playerSetup.createStateConfig({
  initial: 'quiet',
  states: {
    quiet: {
      always: { guard: 'announcing', target: 'shown' },
    },
    shown: {
      after: { alert: { target: 'quiet', actions: 'endAnnouncement' } },
      on: { 'internal.announce': { target: 'shown', reenter: true } },
    },
  },
});
