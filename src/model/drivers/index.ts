/** The drivers (spec'd by name in scenario files): one descriptor per file. */
import { addDriverName, type DriverName } from '../types.ts';
import type { AnyDriver, DriverDescriptor } from './descriptor.ts';
import { gvt } from './gvt/index.ts';
import { vfioAp } from './vfioAp.ts';
import { vfioPci } from './vfioPci.ts';

export type { AnyDriver as Driver, DriverDescriptor } from './descriptor.ts';

export const DRIVER_IMPLS: Record<DriverName, AnyDriver> = {
  gvt: gvt as unknown as AnyDriver,
  'vfio-ap': vfioAp as unknown as AnyDriver,
  'vfio-pci': vfioPci as unknown as AnyDriver,
};

/** The descriptor of a driver by the name scenario files use, or undefined. */
export function driverByName(name: string): AnyDriver | undefined {
  return Object.hasOwn(DRIVER_IMPLS, name) ? DRIVER_IMPLS[name as DriverName] : undefined;
}

/**
 * Add a driver at run time: scenario files may then name it, and the model,
 * the view, the diagrams and the reports read everything about it from its
 * descriptor. Its code paths are registered by its own defineFn calls, which
 * must run before the first model of an era is compiled.
 */
export function registerDriver<C>(d: DriverDescriptor<C>): void {
  if (driverByName(d.name)) throw new Error(`a driver named ${d.name} is registered already`);
  (DRIVER_IMPLS as Record<string, AnyDriver>)[d.name] = d as unknown as AnyDriver;
  addDriverName(d.name);
}
