/**
 * The lock validator's two warnings, laid out as kernel/locking/lockdep.c
 * prints them (print_circular_bug, print_deadlock_bug), without the
 * addresses, pids and offsets the model does not have.
 */
import type { Run } from '../model/index.ts';
import type { HeldLock, LockdepWarning } from '../model/lockdep.ts';
import {
  callTrace,
  eraIdent,
  heldLocksLines,
  innermostFirst,
  lockLine,
  traceLines,
  usageString,
} from './common.ts';
import { frameInfo, lockPrimitive, stackAt, type FrameInfo } from './frames.ts';

/** The frames of an acquisition, innermost first, the lock primitive on top. */
function acquisitionFrames(run: Run, h: HeldLock): FrameInfo[] {
  return [lockPrimitive(h.key, h.mode, 'lock'), ...innermostFirst(run.model, stackAt(run, h.step - 1))];
}

function at(run: Run, h: HeldLock): FrameInfo {
  const s = stackAt(run, h.step - 1);
  return frameInfo(run.model, s[s.length - 1]!);
}

function tail(run: Run, w: LockdepWarning): string[] {
  return [
    ...heldLocksLines(run, w.thread, w.heldLocks, w.usage, stackAt),
    '',
    'stack backtrace:',
    `Comm: ${w.thread}`,
    ...callTrace(acquisitionFrames(run, w.acquiring)),
  ];
}

/** WARNING: possible circular locking dependency detected */
export function circularReport(run: Run, w: LockdepWarning): string {
  const bar = '='.repeat(54);
  const dash = '-'.repeat(54);
  const src = w.acquiring;
  const tgt = w.held;
  const lines = [
    bar,
    'WARNING: possible circular locking dependency detected',
    eraIdent(run.model),
    dash,
    `${w.thread} is trying to acquire lock:`,
    ...lockLine('', src.cls, w.usage[src.cls], at(run, src)),
    '',
    'but task is already holding lock:',
    ...lockLine('', tgt.cls, w.usage[tgt.cls], at(run, tgt)),
    '',
    'which lock already depends on the new lock.',
    '',
    '',
    'the existing dependency chain (in reverse order) is:',
  ];
  // #0 is the new lock (this acquisition); #k is path[k-1].to, the lock taken while holding #k-1.
  const entries: HeldLock[] = [src, ...w.path.map((d) => d.to)];
  for (let k = entries.length - 1; k >= 0; k--) {
    const e = entries[k]!;
    lines.push(
      '',
      `-> #${k} (${e.cls})${usageString(w.usage[e.cls])}:`,
      ...traceLines(acquisitionFrames(run, e), 7),
    );
  }
  const parent = w.path[w.path.length - 1]!.from.cls;
  lines.push('', 'other info that might help us debug this:', '');
  if (parent !== src.cls) lines.push('Chain exists of:', `  ${src.cls} --> ${parent} --> ${tgt.cls}`, '');
  const left = (mode: HeldLock['mode'], cls: string) => `  ${mode === 'read' ? 'rlock' : 'lock'}(${cls});`;
  const right = (cls: string) => `${' '.repeat(31)}lock(${cls});`;
  lines.push(
    ' Possible unsafe locking scenario:',
    '',
    '       CPU0                    CPU1',
    '       ----                    ----',
    left(tgt.mode, tgt.cls),
    right(parent),
    right(tgt.cls),
    left(src.mode, src.cls),
    '',
    ' *** DEADLOCK ***',
    '',
    ...tail(run, w),
  );
  return lines.join('\n');
}

/** WARNING: possible recursive locking detected */
export function recursiveReport(run: Run, w: LockdepWarning): string {
  const bar = '='.repeat(44);
  const dash = '-'.repeat(44);
  return [
    bar,
    'WARNING: possible recursive locking detected',
    eraIdent(run.model),
    dash,
    `${w.thread} is trying to acquire lock:`,
    ...lockLine('', w.acquiring.cls, w.usage[w.acquiring.cls], at(run, w.acquiring)),
    '',
    'but task is already holding lock:',
    ...lockLine('', w.held.cls, w.usage[w.held.cls], at(run, w.held)),
    '',
    'other info that might help us debug this:',
    ' Possible unsafe locking scenario:',
    '',
    '       CPU0',
    '       ----',
    `  lock(${w.held.cls});`,
    `  lock(${w.acquiring.cls});`,
    '',
    ' *** DEADLOCK ***',
    '',
    ' May be due to missing lock nesting notation',
    '',
    ...tail(run, w),
  ].join('\n');
}
