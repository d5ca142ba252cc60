/** The three drivers (spec §2), by scenario name. */
import type { AnyStateMachine } from 'xstate';
import type { Variant } from '../era.ts';
import type { DriverHook } from '../program.ts';
import type { DriverName } from '../types.ts';
import type { DeviceCtx } from '../machines/vfioDevice.ts';
import { gvt } from './gvt.ts';
import { vfioAp } from './vfioAp.ts';
import { vfioPci } from './vfioPci.ts';

export interface Driver {
  name: DriverName;
  title: string;
  machine: AnyStateMachine;
  hooks(v: Variant): Record<DriverHook, string | null>;
  driverKvm(ctx: never, dev: DeviceCtx, v: Variant): string | null;
  /** Fails open_device without a VM (after the patch). */
  requiresKvm: boolean;
}

export const DRIVER_IMPLS: Record<DriverName, Driver> = {
  gvt: gvt as unknown as Driver,
  'vfio-ap': vfioAp as unknown as Driver,
  'vfio-pci': vfioPci as unknown as Driver,
};
