/** struct intel_vgpu (and, in v5.18, struct kvmgt_vdev / kvmgt_guest_info): GVT's private state. */
import { assign, assertEvent, setup } from 'xstate';
import type { WithOut } from '../../machines/table.ts';

/** struct intel_vgpu (and, in v5.18, struct kvmgt_vdev / kvmgt_guest_info), the fields that matter here. */
export interface VgpuCtx extends WithOut<Record<string, never>> {
  /** The notifier's raw pointer: vdev->kvm (v5.18) or vgpu->kvm (until the patch). */
  kvm: string | null;
  /** v5.18: info->kvm, GVT's own counted copy. */
  infoKvm: string | null;
  /** vgpu->handle is valid (v5.18 – 10ddb96) / vgpu->attached (later). */
  attached: boolean;
  released: number;
  /** The VM whose page-track notifier list holds the vGPU's track_node. */
  track: string | null;
}

export type VgpuEvent =
  | { type: 'set_kvm'; k: string | null }
  | { type: 'set_info_kvm'; k: string | null }
  | { type: 'attach' }
  | { type: 'detach' }
  | { type: 'set_released'; v: number }
  | { type: 'track'; k: string | null };

export const vgpuMachine = setup({
  types: {} as { context: VgpuCtx; events: VgpuEvent },
}).createMachine({
  id: 'intel_vgpu',
  initial: 'detached',
  context: { kvm: null, infoKvm: null, attached: false, released: 0, track: null, out: null },
  on: {
    set_kvm: {
      actions: assign(({ event }) => {
        assertEvent(event, 'set_kvm');
        return { kvm: event.k };
      }),
    },
    set_info_kvm: {
      actions: assign(({ event }) => {
        assertEvent(event, 'set_info_kvm');
        return { infoKvm: event.k };
      }),
    },
    set_released: {
      actions: assign(({ event }) => {
        assertEvent(event, 'set_released');
        return { released: event.v };
      }),
    },
    track: {
      actions: assign(({ event }) => {
        assertEvent(event, 'track');
        return { track: event.k };
      }),
    },
  },
  states: {
    detached: { on: { attach: { target: 'attached', actions: assign({ attached: true }) } } },
    attached: { on: { detach: { target: 'detached', actions: assign({ attached: false }) } } },
  },
});
