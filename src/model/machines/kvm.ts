/**
 * `struct kvm` (docs/kernel-reference.md): `users_count` and its lifecycle
 * alive → destroying → freed.
 *
 * - `get` is kvm_get_kvm, `get_safe` kvm_get_kvm_safe (fails on 0), `put`
 *   kvm_put_kvm; the put that reaches 0 reports `destroy`, and the thread
 *   that made it runs kvm_destroy_vm synchronously.
 * - `users_count` is a refcount_t: an increment on 0 or a decrement below 0
 *   saturates it (include/linux/refcount.h), so the count never goes
 *   negative and the VM is then never freed by a put. Those misuses are
 *   reported as `get-from-zero` and `unbalanced-put`.
 * - Holders are tracked by name ("fds", "gvt:D", "vfio-ap:D", "core:D", ...)
 *   so a put by a holder that never got a reference is `unbalanced-put`.
 * - Any get, put or dereference of a freed VM is `use-after-free`.
 */
import { assertEvent, assign, setup } from 'xstate';
import type { WithOut } from './table.ts';

export type KvmFault = 'get-from-zero' | 'use-after-free' | 'unbalanced-put';
export interface KvmOut {
  fault?: KvmFault;
  /** This put dropped the last reference: the caller runs kvm_destroy_vm. */
  destroy?: boolean;
  /** Result of get_safe. */
  ok?: boolean;
}

export interface KvmCtx extends WithOut<KvmOut> {
  users: number;
  /** [holder, count], sorted by holder. */
  holders: [string, number][];
  saturated: boolean;
  archDestroyed: boolean;
}

export type KvmEvent =
  | { type: 'get'; h: string }
  | { type: 'get_safe'; h: string }
  | { type: 'put'; h: string }
  | { type: 'deref' }
  | { type: 'arch_destroy' }
  | { type: 'free' };

export function holderCount(c: Pick<KvmCtx, 'holders'>, h: string): number {
  for (const [name, n] of c.holders) if (name === h) return n;
  return 0;
}

function addHolder(holders: [string, number][], h: string, d: number): [string, number][] {
  const m = new Map(holders);
  const n = (m.get(h) ?? 0) + d;
  if (n === 0) m.delete(h);
  else m.set(h, n);
  return [...m.entries()].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
}

export const kvmMachine = setup({
  types: {} as { context: KvmCtx; events: KvmEvent },
  guards: {
    lastRef: ({ context }) => !context.saturated && context.users === 1,
    zero: ({ context }) => context.users === 0,
    saturated: ({ context }) => context.saturated,
    stranger: ({ context, event }) => 'h' in event && holderCount(context, event.h) === 0,
  },
  actions: {
    ok: assign({ out: {} as KvmOut }),
    uaf: assign({ out: { fault: 'use-after-free' } as KvmOut }),
    get: assign(({ context, event }) => {
      assertEvent(event, ['get', 'get_safe']);
      return {
        users: context.saturated ? context.users : context.users + 1,
        holders: addHolder(context.holders, event.h, 1),
        out: { ok: true } as KvmOut,
      };
    }),
    getFromZero: assign(({ context, event }) => {
      assertEvent(event, ['get', 'get_safe']);
      return {
        saturated: true,
        holders: addHolder(context.holders, event.h, 1),
        out: { fault: 'get-from-zero' } as KvmOut,
      };
    }),
    safeFails: assign({ out: { ok: false } as KvmOut }),
    put: assign(({ context, event }) => {
      assertEvent(event, 'put');
      const h = event.h;
      const stranger = holderCount(context, h) === 0;
      const holders = stranger ? context.holders : addHolder(context.holders, h, -1);
      const out: KvmOut = stranger ? { fault: 'unbalanced-put' } : {};
      if (context.saturated) return { holders, out };
      if (context.users === 0)
        return { holders, saturated: true, out: { fault: 'unbalanced-put' } as KvmOut };
      const users = context.users - 1;
      return { users, holders, out: users === 0 ? { ...out, destroy: true } : out };
    }),
    archDestroy: assign({ archDestroyed: true, out: {} as KvmOut }),
  },
}).createMachine({
  id: 'kvm',
  initial: 'alive',
  context: { users: 1, holders: [['fds', 1]], saturated: false, archDestroyed: false, out: null },
  states: {
    alive: {
      on: {
        get: { actions: 'get' },
        get_safe: { actions: 'get' },
        deref: { actions: 'ok' },
        put: [{ guard: 'lastRef', target: 'destroying', actions: 'put' }, { actions: 'put' }],
      },
    },
    destroying: {
      on: {
        get: [{ guard: 'zero', actions: 'getFromZero' }, { actions: 'get' }],
        get_safe: [{ guard: 'zero', actions: 'safeFails' }, { actions: 'get' }],
        deref: { actions: 'ok' },
        put: { actions: 'put' },
        arch_destroy: { actions: 'archDestroy' },
        free: { target: 'freed', actions: 'ok' },
      },
    },
    freed: {
      on: {
        get: { actions: 'uaf' },
        get_safe: { actions: 'uaf' },
        put: { actions: 'uaf' },
        deref: { actions: 'uaf' },
      },
    },
  },
});
