/**
 * A thread blocked for good, as the hung-task detector prints it
 * (kernel/hung_task.c check_hung_task, then the held locks it shows with
 * lockdep): innermost frame first, the lock primitive it sleeps in on top.
 */
import type { Run, Violation } from '../model/index.ts';
import { lockStateAt } from '../model/lockdep.ts';
import { callTrace, eraIdent, heldLocksLines, innermostFirst } from './common.ts';
import { frozenStack, lockPrimitive, stackAt, type FrameInfo } from './frames.ts';

/** The lock and mode a blocked thread waits for: its last `wait` up to micro-step `s`. */
export function waitOf(run: Run, thread: string, s: number) {
  for (let i = Math.min(s, run.records.length) - 1; i >= 0; i--) {
    const r = run.records[i]!;
    if (r.thread !== thread) continue;
    for (let j = r.locks.length - 1; j >= 0; j--) if (r.locks[j]!.op === 'wait') return r.locks[j]!;
  }
  return null;
}

export function hungTaskReport(run: Run, v: Violation): string {
  const m = run.model;
  const ti = m.threadIndex.get(v.thread)!;
  const wait = waitOf(run, v.thread, v.step);
  const frames: FrameInfo[] = [
    ...(wait ? [lockPrimitive(wait.key, wait.mode, 'lock')] : []),
    ...innermostFirst(m, frozenStack(run, v.step, ti)),
  ];
  const { held, usage } = lockStateAt(run.records, v.step);
  return [
    `INFO: task ${v.thread} blocked for more than 120 seconds.`,
    `      ${eraIdent(m)}`,
    '"echo 0 > /proc/sys/kernel/hung_task_timeout_secs" disables this message.',
    `task:${v.thread.padEnd(15)} state:D`,
    ...callTrace(frames),
    '',
    'Showing all locks held in the system:',
    ...heldLocksLines(run, v.thread, held.get(v.thread) ?? [], usage, stackAt),
  ].join('\n');
}
