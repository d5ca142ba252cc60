/**
 * The system workqueue, as far as GVT's `release_work` needs it (v5.18 and
 * before only): schedule_work() on a pending item is a no-op; the worker
 * takes items in FIFO order.
 */
import { assertEvent, assign, setup } from 'xstate';
import type { WithOut } from './table.ts';

export interface WorkqueueCtx extends WithOut<{ took?: string | null }> {
  /** Devices whose release_work is pending. */
  pending: string[];
}

export type WorkqueueEvent = { type: 'schedule'; d: string } | { type: 'take' };

export const workqueueMachine = setup({
  types: {} as { context: WorkqueueCtx; events: WorkqueueEvent },
}).createMachine({
  id: 'workqueue',
  initial: 'idle',
  context: { pending: [], out: null },
  on: {
    schedule: {
      actions: assign(({ context, event }) => {
        assertEvent(event, 'schedule');
        const d = event.d;
        return { pending: context.pending.includes(d) ? context.pending : [...context.pending, d], out: {} };
      }),
    },
    take: {
      actions: assign(({ context }) => ({
        pending: context.pending.slice(1),
        out: { took: context.pending[0] ?? null },
      })),
    },
  },
  states: {
    idle: { always: { guard: ({ context }) => context.pending.length > 0, target: 'pending' } },
    pending: { always: { guard: ({ context }) => context.pending.length === 0, target: 'idle' } },
  },
});
