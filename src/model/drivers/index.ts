/** The drivers (spec'd by name in scenario files): one descriptor per file. */
import type { DriverName } from '../types.ts';
import type { AnyDriver } from './descriptor.ts';
import { gvt } from './gvt/index.ts';
import { vfioAp } from './vfioAp.ts';
import { vfioPci } from './vfioPci.ts';

export type { AnyDriver as Driver, DriverDescriptor } from './descriptor.ts';

export const DRIVER_IMPLS: Record<DriverName, AnyDriver> = {
  gvt: gvt as unknown as AnyDriver,
  'vfio-ap': vfioAp as unknown as AnyDriver,
  'vfio-pci': vfioPci as unknown as AnyDriver,
};
