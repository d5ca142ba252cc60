/**
 * What the rest of the project knows about a driver comes from its own file:
 * its code paths (registered with defineFn), its private state machine, the
 * hooks the VFIO core calls, and how the page and the trace show it. Adding a
 * driver is one file plus a line in drivers/index.ts (or, for a test, a call
 * to registerDriver).
 */
import type { AnyStateMachine } from 'xstate';
import type { Variant } from '../era.ts';
import type { DriverHook } from '../program.ts';
import type { DeviceCtx } from '../machines/vfioDevice.ts';
import type { LockKey } from '../slots.ts';

export interface DriverDescriptor<C = never> {
  /** The name scenario files use (`"driver": "gvt"`). */
  name: string;
  /** How the page titles it. */
  title: string;
  /** Its name on a small card ("GVT-g"). */
  shortTitle: string;
  /** Who holds its VM reference, in a report's words ("GVT, for vGPU D"). */
  holderWords(device: string): string;
  /** Its per-device object as a report names it ("vgpu(D)"). */
  objectName(device: string): string;
  /** The driver's private state (struct intel_vgpu, struct ap_matrix_mdev, …). */
  machine: AnyStateMachine;
  /** The kernel function behind each hook in an era, or null where the driver has none. */
  hooks(v: Variant): Record<DriverHook, string | null>;
  /** The VM the driver's own pointer names (the trace's `driverKvm`). */
  driverKvm(ctx: C, dev: DeviceCtx, v: Variant): string | null;
  /** Refuses to open without a VM (from the patch on). */
  requiresKvm: boolean;
  /** How the code names the driver's pointer in an era ("vgpu->kvm", "matrix_mdev->kvm"). */
  pointerName(v: Variant): string;
  /** While it holds a reference but its pointer is not set yet, in words (default "<pointer> not set"). */
  unsetWords?(v: Variant): string;
  /** Driver-specific fields for the page's tooltip. */
  fields(ctx: C): { name: string; value: string }[];
  /** The driver's own locks in an era, for one of its devices (shared locks appear once per scenario). */
  locks?(v: Variant, device: string): LockKey[];
}

/** A descriptor with its context type erased, as the model holds them. */
export type AnyDriver = DriverDescriptor<never>;
