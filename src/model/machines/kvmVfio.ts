/**
 * The KVM-VFIO pseudo-device of one VM (virt/kvm/vfio.c): its list of
 * groups, and the files that keep the VM alive.
 *
 * - `fdOpen`: userspace still has the VM's fds (VM fd, vCPU fds, this
 *   device's fd); the `close_vm` op closes them together.
 * - `inflight`: KVM_SET_DEVICE_ATTR ioctls in progress on this device's fd.
 *   Each pins the file (fdget), so its release waits for the last of them.
 * - `fileReleased` / `vmFileReleased`: the device's file and the VM's file
 *   have been released (their `release` ops ran). In this model the VM's
 *   fds hold one reference together: the last of the two files released
 *   drops it.
 * - `released`: the device's own `release` op ran (from 51cdc8bc120e on, it
 *   clears the groups' kvm); `destroy` is kvm_destroy_vm's kvm_vfio_destroy.
 */
import { assertEvent, assign, setup } from 'xstate';
import type { WithOut } from './table.ts';

export interface KvmVfioCtx extends WithOut<Record<string, never>> {
  groups: string[];
  fdOpen: boolean;
  inflight: number;
  fileReleased: boolean;
  vmFileReleased: boolean;
}

export type KvmVfioEvent =
  | { type: 'add'; g: string }
  | { type: 'del'; g: string }
  | { type: 'fget' }
  | { type: 'fput' }
  | { type: 'close_fd' }
  | { type: 'file_release' }
  | { type: 'vm_file_release' }
  | { type: 'release' }
  | { type: 'destroy' };

export const kvmVfioMachine = setup({
  types: {} as { context: KvmVfioCtx; events: KvmVfioEvent },
  actions: {
    add: assign(({ context, event }) => {
      assertEvent(event, 'add');
      return { groups: [...context.groups, event.g] };
    }),
    del: assign(({ context, event }) => {
      assertEvent(event, 'del');
      return { groups: context.groups.filter((g) => g !== event.g) };
    }),
    fget: assign(({ context }) => ({ inflight: context.inflight + 1 })),
    fput: assign(({ context }) => ({ inflight: Math.max(0, context.inflight - 1) })),
  },
}).createMachine({
  id: 'kvm_vfio',
  initial: 'live',
  context: {
    groups: [],
    fdOpen: true,
    inflight: 0,
    fileReleased: false,
    vmFileReleased: false,
    out: null,
  },
  on: {
    // Userspace closes its fds whatever became of the device behind them.
    close_fd: { actions: assign({ fdOpen: false }) },
    file_release: { actions: assign({ fileReleased: true }) },
    vm_file_release: { actions: assign({ vmFileReleased: true }) },
    fput: { actions: 'fput' },
    del: { actions: 'del' },
  },
  states: {
    live: {
      on: {
        add: { actions: 'add' },
        fget: { actions: 'fget' },
        release: { target: 'released' },
        destroy: { target: 'destroyed' },
      },
    },
    released: {
      on: { destroy: { target: 'destroyed' } },
    },
    destroyed: {},
  },
});
