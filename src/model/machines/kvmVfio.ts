/**
 * The KVM-VFIO pseudo-device `V` of one VM (domain.md §1.2): its group list,
 * and the state of its fd. In every era but `fixed` it has no `release` op
 * and lives until kvm_destroy_vm; in `fixed` (51cdc8bc120e) closing its fd
 * runs `release`, which clears the groups' kvm.
 *
 * `fdOpen` stands for the VM's own fds (VM, vCPUs, this device's fd), closed
 * together by the `close_vm` op. `inflight` counts ADD/DEL ioctls in
 * progress: each holds the device's file (fget), so a release waits for them.
 */
import { assign, setup } from 'xstate';
import type { WithOut } from './table.ts';

export interface KvmVfioCtx extends WithOut<Record<string, never>> {
  groups: string[];
  fdOpen: boolean;
  inflight: number;
  released: boolean;
}

export type KvmVfioEvent =
  | { type: 'add'; g: string }
  | { type: 'del'; g: string }
  | { type: 'fget' }
  | { type: 'fput' }
  | { type: 'close_fd' }
  | { type: 'release' }
  | { type: 'destroy' };

export const kvmVfioMachine = setup({
  types: {} as { context: KvmVfioCtx; events: KvmVfioEvent },
  actions: {
    add: assign(({ context, event }) => ({ groups: [...context.groups, (event as { g: string }).g] })),
    del: assign(({ context, event }) => ({
      groups: context.groups.filter((g) => g !== (event as { g: string }).g),
    })),
    fget: assign(({ context }) => ({ inflight: context.inflight + 1 })),
    fput: assign(({ context }) => ({ inflight: Math.max(0, context.inflight - 1) })),
  },
}).createMachine({
  id: 'kvm_vfio',
  initial: 'live',
  context: { groups: [], fdOpen: true, inflight: 0, released: false, out: null },
  // Userspace closes its fds whatever became of the device behind them.
  on: { close_fd: { actions: assign({ fdOpen: false }) } },
  states: {
    live: {
      on: {
        add: { actions: 'add' },
        del: { actions: 'del' },
        fget: { actions: 'fget' },
        fput: { actions: 'fput' },
        release: { target: 'released', actions: assign({ released: true }) },
        destroy: { target: 'destroyed' },
      },
    },
    released: {
      on: {
        del: { actions: 'del' },
        fput: { actions: 'fput' },
        destroy: { target: 'destroyed' },
      },
    },
    destroyed: {
      on: { del: { actions: 'del' } },
    },
  },
});
