/** Pieces every kernel-style report shares: the era line, call traces, lock lines. */
import { ERAS, type Model, type Run } from '../model/index.ts';
import { driverByName } from '../model/drivers/index.ts';
import type { Frame } from '../model/program.ts';
import type { HeldLock } from '../model/lockdep.ts';
import { frameInfo, frameText, type FrameInfo } from './frames.ts';
import { MAX_COLS, wrapLine } from './text.ts';

/**
 * Where the kernel prints its release ("6.2.0-rc2 #1"), a report names the
 * era of the model it comes from.
 */
export function eraIdent(m: Model): string {
  const era = ERAS[m.v.id];
  const base = `era ${m.v.id} (${era?.commit ? era.commit.slice(0, 12) : (era?.title ?? m.v.id)})`;
  return m.v.assume.length ? `${base}, assuming ${m.v.assume.join(', ')}` : base;
}

/** Frames to infos, innermost first. */
export function innermostFirst(m: Model, frames: readonly Frame[]): FrameInfo[] {
  return frames.map((f) => frameInfo(m, f)).reverse();
}

/** Lines of a trace: each frame on its own line with `indent` spaces, wrapped to the width. */
export function traceLines(frames: readonly FrameInfo[], indent = 1): string[] {
  const pad = ' '.repeat(indent);
  return frames.flatMap((f) => wrapLine(`${pad}${frameText(f)}`, MAX_COLS, 4));
}

/** "Call Trace:" with the x86 <TASK> markers, innermost frame first. */
export function callTrace(frames: readonly FrameInfo[]): string[] {
  return ['Call Trace:', ' <TASK>', ...traceLines(frames), ' </TASK>'];
}

/** lockdep's usage string: {write-in-hardirq-enabled, read…, write-in-softirq-enabled, read…}; every lock here is taken in process context with interrupts on. */
export function usageString(u: { write: boolean; read: boolean } | undefined): string {
  const w = u?.write ? '+' : '.';
  const r = u?.read ? '+' : '.';
  return `{${w}${r}${w}${r}}`;
}

/** "(&kvm->lock){+.+.}, at: fn file", wrapped; addresses are not modelled and left out. */
export function lockLine(
  prefix: string,
  cls: string,
  usage: { write: boolean; read: boolean } | undefined,
  at: FrameInfo | null,
): string[] {
  const head = `${prefix}(${cls})${usageString(usage)}`;
  const line = at ? `${head}, at: ${frameText(at)}` : head;
  return wrapLine(line, MAX_COLS, prefix.length + 4);
}

/** The function that took a held lock (the top of the stack at its acquisition). */
export function acquiredAt(run: Run, h: HeldLock, stack: (run: Run, i: number) => Frame[]): FrameInfo {
  const frames = stack(run, h.step - 1);
  return frameInfo(run.model, frames[frames.length - 1]!);
}

/** lockdep_print_held_locks: "N locks held by T:" and one line per lock. */
export function heldLocksLines(
  run: Run,
  thread: string,
  held: readonly HeldLock[],
  usage: Record<string, { write: boolean; read: boolean }>,
  stack: (run: Run, i: number) => Frame[],
): string[] {
  if (held.length === 0) return [`no locks held by ${thread}.`];
  const out = [`${held.length} lock${held.length === 1 ? '' : 's'} held by ${thread}:`];
  held.forEach((h, i) => out.push(...lockLine(` #${i}: `, h.cls, usage[h.cls], acquiredAt(run, h, stack))));
  return out;
}

/** Who holds a VM reference, in words: "fds" → "the VM's own fds". */
export function holderWords(h: string): string {
  const [kind, who] = h.split(':');
  switch (kind) {
    case 'fds':
      return "the VM's own fds (VM, vCPU and KVM-VFIO device)";
    case 'core':
      return `the VFIO core, for device ${who}`;
    case 'ioctl':
      return `a KVM-VFIO ioctl of ${who} (it holds the device's file)`;
    default:
      return (kind && who && driverByName(kind)?.holderWords(who)) || h;
  }
}
