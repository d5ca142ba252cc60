/**
 * `struct vfio_group` (docs/kernel-reference.md): UNBOUND (kvm = NULL) ↔ BOUND(K).
 * `kvm` is a raw pointer, not a counted reference. `notifier` is the SET_KVM
 * chain's membership (the notifier eras only). Its locks are separate
 * objects (group_rwsem, the chain's rwsem).
 */
import { assertEvent, assign, setup } from 'xstate';
import type { WithOut } from './table.ts';

export interface GroupCtx extends WithOut<Record<string, never>> {
  kvm: string | null;
  /** Devices whose driver registered a SET_KVM callback, in registration order. */
  notifier: string[];
  /** Open device fds that use the group's container (`container_users`). */
  containerUsers: number;
}

export type GroupEvent =
  | { type: 'set_kvm'; k: string | null }
  | { type: 'nb_register'; d: string }
  | { type: 'nb_unregister'; d: string }
  | { type: 'assign_container' }
  | { type: 'unassign_container' };

export const vfioGroupMachine = setup({
  types: {} as { context: GroupCtx; events: GroupEvent },
  guards: {
    bound: ({ context }) => context.kvm !== null,
  },
  actions: {
    setKvm: assign(({ event }) => {
      assertEvent(event, 'set_kvm');
      return { kvm: event.k };
    }),
    register: assign(({ context, event }) => {
      assertEvent(event, 'nb_register');
      return { notifier: [...context.notifier, event.d] };
    }),
    unregister: assign(({ context, event }) => {
      assertEvent(event, 'nb_unregister');
      return { notifier: context.notifier.filter((d) => d !== event.d) };
    }),
    assignContainer: assign(({ context }) => ({ containerUsers: context.containerUsers + 1 })),
    unassignContainer: assign(({ context }) => ({ containerUsers: Math.max(0, context.containerUsers - 1) })),
  },
}).createMachine({
  id: 'vfio_group',
  initial: 'unbound',
  context: { kvm: null, notifier: [], containerUsers: 0, out: null },
  on: {
    set_kvm: { actions: 'setKvm' },
    nb_register: { actions: 'register' },
    nb_unregister: { actions: 'unregister' },
    assign_container: { actions: 'assignContainer' },
    unassign_container: { actions: 'unassignContainer' },
  },
  states: {
    unbound: { always: { guard: 'bound', target: 'bound' } },
    bound: { always: { guard: ({ context }) => context.kvm === null, target: 'unbound' } },
  },
});
