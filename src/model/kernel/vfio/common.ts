/**
 * What the open and close paths share: dev_set->lock, open_count, the
 * device's state, the core's holder name for its own reference.
 */
import type { Exec, Instr } from '../../program.ts';
import type { Variant } from '../../era.ts';
import { slot } from '../../slots.ts';
import { acquire, lockKey, release } from '../lib.ts';
import { decOpenCount, incOpenCount, sayOpenCount } from './driverCall.ts';

export const devSet = (x: Pick<Exec, 'str'>) => lockKey.devSet(x.str('d'));
export const dev = (x: Pick<Exec, 'ctx' | 'str'>) => x.ctx(slot.device(x.str('d')));
/** The holder name of the core's own reference (patch v1, and 2b48f52f2bff on). */
export const core = (x: Pick<Exec, 'str'>) => `core:${x.str('d')}`;
export const shape = (s: Variant['core']) => (v: Variant) => v.core === s;
export const cap =
  (...c: Variant['capture'][]) =>
  (v: Variant) =>
    c.includes(v.capture);

export const lockDevSet = (o: { label?: string; src?: string; when?: (v: Variant) => boolean } = {}) =>
  acquire('mutex_lock(&device->dev_set->lock)', devSet, 'mutex', o);
export const unlockDevSet = (
  o: { label?: string; src?: string; when?: (v: Variant) => boolean; also?: (x: Exec) => void } = {},
) => release('mutex_unlock(&device->dev_set->lock)', devSet, 'mutex', o);

export const countUp: Instr = { line: 'device->open_count++', run: incOpenCount, say: sayOpenCount };
export const countDown: Instr = { line: 'device->open_count--', run: decOpenCount, say: sayOpenCount };
