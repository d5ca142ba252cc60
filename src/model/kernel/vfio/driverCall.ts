/**
 * `device->ops->open_device(device)` / `close_device(device)`: the VFIO core
 * calling into the driver, and what the device's lifecycle records about it.
 */
import type { Exec, Flow, Instr, Say } from '../../program.ts';
import type { Variant } from '../../era.ts';
import { slot } from '../../slots.ts';

export function driverCall(hook: 'open_device' | 'close_device') {
  return (x: Exec): Flow => {
    const d = x.str('d');
    const fn = x.model.driverFn(d, hook);
    if (hook === 'close_device') x.send(slot.device(d), { type: 'close_begin' });
    if (!fn) {
      if (hook === 'open_device') x.set('r', 0);
      return;
    }
    return { call: fn, args: { d }, into: hook === 'open_device' ? 'r' : undefined };
  };
}

export const sayDriverCall = (hook: string) => (n: Say) =>
  `${n.t}: ${n.fn} calls the driver's ${hook}(${n.l.d})`;

/** The driver call as a line: a visible step (the driver runs from here). */
export function callDriver(
  line: string,
  hook: 'open_device' | 'close_device',
  o: { when?: (v: Variant) => boolean; src?: string; why?: Instr['why'] } = {},
): Instr {
  return { line, when: o.when, src: o.src, why: o.why, run: driverCall(hook), say: sayDriverCall(hook) };
}

/** After a successful first open: the device is open (the lifecycle leaves `opening`). */
export function firstOpenDone(x: Exec): void {
  const d = slot.device(x.str('d'));
  if (x.l.r === 0 && x.state(d) === 'opening') x.send(d, { type: 'first_open_done' });
}

export function incOpenCount(x: Exec): void {
  x.send(slot.device(x.str('d')), { type: 'open_count_inc' });
}
export function decOpenCount(x: Exec): void {
  x.send(slot.device(x.str('d')), { type: 'open_count_dec' });
}
export const sayOpenCount = (n: Say) =>
  `${n.t}: ${n.l.d}'s open_count is now ${n.ctx<{ openCount: number }>(`device:${String(n.l.d)}`).openCount}`;

/** device->kvm = group->kvm, read now (under the group's lock, in the eras that have one). */
export function captureKvm(x: Exec): void {
  const g = x.str('g');
  const k = x.ctx(slot.group(g)).kvm;
  x.send(slot.device(x.str('d')), { type: 'capture_kvm', k });
  x.effect({ kind: 'ptr', from: `group:${g}`, to: `device:${x.str('d')}`, vm: k });
}

/** device->kvm = NULL (the pointer only; the reference, if any, is put separately). */
export function clearKvm(x: Exec): void {
  const d = x.str('d');
  if (x.ctx(slot.device(d)).kvm === null) return;
  x.send(slot.device(d), { type: 'clear_kvm' });
  x.effect({ kind: 'ptr', from: `group:${x.str('g')}`, to: `device:${d}`, vm: null });
}

export const sayCapture = (n: Say) =>
  `${n.t}: ${n.fn} copies ${n.l.g}->kvm into ${n.l.d}->kvm = ${n.ctx<{ kvm: string | null }>(`device:${String(n.l.d)}`).kvm ?? 'NULL'}`;
