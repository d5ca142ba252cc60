/**
 * A kernel reader-writer semaphore (`struct rw_semaphore`): `group_rwsem`,
 * and the rwsem inside a blocking notifier chain.
 *
 * - many readers or one writer; a writer waits until all readers leave;
 * - a reader that arrives while anyone waits queues behind them (docs/kernel-reference.md),
 *   so taking the read side twice in one thread deadlocks if a writer queued in
 *   between (scenario recursive-rlock); read-then-write in one thread deadlocks itself (last-ref-deadlock);
 * - on release the lock is handed to the queue: a writer at the head gets it
 *   once no reader holds it; when a reader is at the head, every queued reader
 *   gets it at once ("reader phase", kernel/locking/rwsem.c rwsem_mark_wake,
 *   since "locking/rwsem: Wake up almost all readers in wait queue", v5.3).
 *   Writers keep their FIFO order.
 */
import { assign, setup } from 'xstate';
import type { WithOut } from './table.ts';

export type LockMode = 'read' | 'write';
export interface Waiter {
  t: string;
  mode: LockMode;
}
export type LockOut = { granted: boolean; fault?: undefined } | { fault: 'not-owner'; granted?: undefined };

export interface RwsemCtx extends WithOut<LockOut> {
  kind: 'rwsem';
  /** Threads holding the read side (a thread appears once per hold). */
  readers: string[];
  writer: string | null;
  /** FIFO wait queue. */
  waiters: Waiter[];
}

export type RwsemEvent =
  | { type: 'down_read'; t: string }
  | { type: 'down_write'; t: string }
  | { type: 'up_read'; t: string }
  | { type: 'up_write'; t: string };

function handOff(c: RwsemCtx): RwsemCtx {
  if (c.writer !== null || c.waiters.length === 0) return c;
  const head = c.waiters[0]!;
  if (head.mode === 'write') {
    if (c.readers.length > 0) return c;
    return { ...c, writer: head.t, waiters: c.waiters.slice(1) };
  }
  const readers = [...c.readers, ...c.waiters.filter((w) => w.mode === 'read').map((w) => w.t)].sort();
  return { ...c, readers, waiters: c.waiters.filter((w) => w.mode === 'write') };
}

function without(list: string[], t: string): string[] {
  const i = list.indexOf(t);
  return i < 0 ? list : [...list.slice(0, i), ...list.slice(i + 1)];
}

export const rwsemMachine = setup({
  types: {} as { context: RwsemCtx; events: RwsemEvent },
  guards: {
    readFree: ({ context }) => context.writer === null && context.waiters.length === 0,
    writeFree: ({ context }) =>
      context.writer === null && context.readers.length === 0 && context.waiters.length === 0,
    holdsRead: ({ context, event }) => context.readers.includes(event.t),
    holdsWrite: ({ context, event }) => context.writer === event.t,
    hasWriter: ({ context }) => context.writer !== null,
    hasReaders: ({ context }) => context.writer === null && context.readers.length > 0,
    unheld: ({ context }) => context.writer === null && context.readers.length === 0,
  },
  actions: {
    grantRead: assign(({ context, event }) => ({
      readers: [...context.readers, event.t].sort(),
      out: { granted: true },
    })),
    grantWrite: assign(({ event }) => ({ writer: event.t, out: { granted: true } })),
    queue: assign(({ context, event }) => ({
      waiters: [
        ...context.waiters,
        { t: event.t, mode: event.type === 'down_read' ? 'read' : 'write' } as Waiter,
      ],
      out: { granted: false },
    })),
    releaseRead: assign(({ context, event }) => ({
      ...handOff({ ...context, readers: without(context.readers, event.t) }),
      out: { granted: true },
    })),
    releaseWrite: assign(({ context }) => ({
      ...handOff({ ...context, writer: null }),
      out: { granted: true },
    })),
    notOwner: assign({ out: { fault: 'not-owner' } as LockOut }),
  },
}).createMachine({
  id: 'rwsem',
  initial: 'free',
  context: { kind: 'rwsem', readers: [], writer: null, waiters: [], out: null },
  on: {
    down_read: [{ guard: 'readFree', actions: 'grantRead' }, { actions: 'queue' }],
    down_write: [{ guard: 'writeFree', actions: 'grantWrite' }, { actions: 'queue' }],
    up_read: [{ guard: 'holdsRead', actions: 'releaseRead' }, { actions: 'notOwner' }],
    up_write: [{ guard: 'holdsWrite', actions: 'releaseWrite' }, { actions: 'notOwner' }],
  },
  states: {
    free: {
      always: [
        { guard: 'hasWriter', target: 'writeLocked' },
        { guard: 'hasReaders', target: 'readLocked' },
      ],
    },
    readLocked: {
      always: [
        { guard: 'hasWriter', target: 'writeLocked' },
        { guard: 'unheld', target: 'free' },
      ],
    },
    writeLocked: {
      always: [
        { guard: 'hasReaders', target: 'readLocked' },
        { guard: 'unheld', target: 'free' },
      ],
    },
  },
});
