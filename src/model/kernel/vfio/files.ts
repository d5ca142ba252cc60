/**
 * Where the VFIO core's code lived at each era: drivers/vfio/vfio.c until
 * v6.0 renamed it vfio_main.c (0f3e72b5c8cf); from v6.2 the group-facing
 * functions are in drivers/vfio/group.c (9eefba8002c2).
 */
import type { Variant } from '../../era.ts';

/** The file of a core function that stays in the main file. */
export const coreFile = (v: Variant): string => v.coreFile;

/** The file of a group-facing function: group.c from v6.2 on. */
export const groupFile = (v: Variant): string =>
  v.core === 'group_open' ? 'drivers/vfio/group.c' : v.coreFile;

/** The device's group, from the scenario. */
export const groupOfDevice = (x: { model: { groupOf(d: string): string }; str(n: string): string }): string =>
  x.model.groupOf(x.str('d'));
