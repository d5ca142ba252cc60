/**
 * `struct vfio_device`, the core's side (docs/kernel-reference.md):
 *
 *   closed (open_count 0, kvm NULL)
 *     --open_count_inc--> opening (first open: capture, driver open_device)
 *        --first_open_done--> open(n)      --open_count_dec--> closed (failed first open)
 *   open(n) --open_count_inc--> open(n+1)   (no capture, no driver call)
 *   open(n>1) --open_count_dec--> open(n-1)
 *   open(1) --close_begin--> closing (driver close_device) --open_count_dec--> closed
 *
 * `kvm` is `device->kvm` (after the patch only). Writing it outside the first
 * open, or clearing it while open, breaks the patch's guarantees (docs/kernel-reference.md) and is reported
 * as the fault `kvm-written-while-open`; the code never does it.
 * `fds` is userspace's view: the device fds installed and not yet closed.
 */
import { assertEvent, assign, setup } from 'xstate';
import type { WithOut } from './table.ts';

export interface DeviceOut {
  fault?: 'kvm-written-while-open' | 'open-count-underflow';
}

export interface DeviceCtx extends WithOut<DeviceOut> {
  openCount: number;
  kvm: string | null;
  fds: number;
}

export type DeviceEvent =
  | { type: 'open_count_inc' }
  | { type: 'open_count_dec' }
  | { type: 'capture_kvm'; k: string | null }
  | { type: 'clear_kvm' }
  | { type: 'first_open_done' }
  | { type: 'close_begin' }
  | { type: 'fd_install' }
  | { type: 'fd_release' };

export const vfioDeviceMachine = setup({
  types: {} as { context: DeviceCtx; events: DeviceEvent },
  guards: {
    last: ({ context }) => context.openCount === 1,
    zero: ({ context }) => context.openCount === 0,
  },
  actions: {
    inc: assign(({ context }) => ({ openCount: context.openCount + 1, out: {} })),
    dec: assign(({ context }) => ({ openCount: context.openCount - 1, out: {} })),
    underflow: assign({ out: { fault: 'open-count-underflow' } as DeviceOut }),
    capture: assign(({ event }) => {
      assertEvent(event, 'capture_kvm');
      return { kvm: event.k, out: {} };
    }),
    clear: assign({ kvm: null, out: {} }),
    badWrite: assign({ out: { fault: 'kvm-written-while-open' } as DeviceOut }),
    fdInstall: assign(({ context }) => ({ fds: context.fds + 1, out: {} })),
    fdRelease: assign(({ context }) => ({ fds: Math.max(0, context.fds - 1), out: {} })),
  },
}).createMachine({
  id: 'vfio_device',
  initial: 'closed',
  context: { openCount: 0, kvm: null, fds: 0, out: null },
  on: {
    fd_install: { actions: 'fdInstall' },
    fd_release: { actions: 'fdRelease' },
    capture_kvm: { actions: 'badWrite' },
    clear_kvm: { actions: 'badWrite' },
    open_count_dec: { actions: 'underflow' },
  },
  states: {
    closed: {
      on: {
        open_count_inc: { target: 'opening', actions: 'inc' },
        // v6.3: the core takes its own reference before the first open (open_count 0).
        capture_kvm: { actions: 'capture' },
        clear_kvm: { actions: 'clear' },
      },
    },
    opening: {
      on: {
        capture_kvm: { actions: 'capture' },
        clear_kvm: { actions: 'clear' },
        first_open_done: { target: 'open' },
        open_count_dec: { target: 'closed', actions: 'dec' },
      },
    },
    open: {
      on: {
        open_count_inc: { actions: 'inc' },
        close_begin: { guard: 'last', target: 'closing' },
        open_count_dec: [{ guard: 'last', target: 'closed', actions: 'dec' }, { actions: 'dec' }],
      },
    },
    closing: {
      on: {
        // v6.2: vfio_device_last_close clears device->kvm before open_count drops to 0.
        clear_kvm: { actions: 'clear' },
        open_count_dec: { target: 'closed', actions: 'dec' },
      },
    },
  },
});
