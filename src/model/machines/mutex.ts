/**
 * A sleeping mutex (`struct mutex`): `dev_set->lock`, the KVM-VFIO device's
 * `lock`, `kvm->lock`, `matrix_dev->lock`. Owner plus FIFO waiters; unlock
 * hands the mutex to the first waiter. Locking a mutex one already owns
 * queues behind oneself, which is a deadlock.
 */
import { assign, setup } from 'xstate';
import type { WithOut } from './table.ts';
import type { LockOut } from './rwsem.ts';

export interface MutexCtx extends WithOut<LockOut> {
  kind: 'mutex';
  owner: string | null;
  waiters: string[];
}

export type MutexEvent = { type: 'lock'; t: string } | { type: 'unlock'; t: string };

export const mutexMachine = setup({
  types: {} as { context: MutexCtx; events: MutexEvent },
  guards: {
    free: ({ context }) => context.owner === null,
    owns: ({ context, event }) => context.owner === event.t,
    locked: ({ context }) => context.owner !== null,
  },
  actions: {
    grant: assign(({ event }) => ({ owner: event.t, out: { granted: true } as LockOut })),
    queue: assign(({ context, event }) => ({
      waiters: [...context.waiters, event.t],
      out: { granted: false } as LockOut,
    })),
    handOff: assign(({ context }) => ({
      owner: context.waiters[0] ?? null,
      waiters: context.waiters.slice(1),
      out: { granted: true } as LockOut,
    })),
    notOwner: assign({ out: { fault: 'not-owner' } as LockOut }),
  },
}).createMachine({
  id: 'mutex',
  initial: 'unlocked',
  context: { kind: 'mutex', owner: null, waiters: [], out: null },
  on: {
    lock: [{ guard: 'free', actions: 'grant' }, { actions: 'queue' }],
    unlock: [{ guard: 'owns', actions: 'handOff' }, { actions: 'notOwner' }],
  },
  states: {
    unlocked: { always: { guard: 'locked', target: 'locked' } },
    locked: { always: { guard: 'free', target: 'unlocked' } },
  },
});
