/**
 * Call stacks as the reports print them. Every read of a model frame goes
 * through `frameInfo`, so that per-instruction sources (file and line at the
 * era's commit) plug in at one place.
 */
import { opEntry, type Model, type Run } from '../model/index.ts';
import type { Frame } from '../model/program.ts';
import type { LockMode } from '../model/program.ts';
import { lockInstance, lockType } from '../model/lockdep.ts';
import { sourceOf } from '../model/sources/index.ts';

export interface FrameInfo {
  fn: string;
  file: string;
  /** The line at the era's commit, when it was checked; else null. */
  line: number | null;
}

/** What one frame names: its function, file and (where it was checked at the era's commit) line. */
export function frameInfo(m: Model, f: Pick<Frame, 'fn' | 'pc'>): FrameInfo {
  const src = sourceOf(m.v, m.fns[f.fn]!, f.pc);
  return { fn: src.fn, file: src.file, line: src.line };
}

/** "fn file:line" (or "fn file"), as symbolized kernel traces print a frame. */
export function frameText(info: FrameInfo): string {
  return `${info.fn} ${info.file}${info.line !== null ? `:${info.line}` : ''}`;
}

/**
 * The call stack (outermost first) at the visible instruction of micro-step
 * `i + 1` (records[i]). The states hold the frames before and after the
 * step; the instruction's own frame is the deepest one of its function that
 * is still there, or was there before.
 */
export function stackAt(run: Run, i: number): Frame[] {
  const rec = run.records[i]!;
  const before = run.states[i]!.t[rec.ti]!.frames;
  const after = run.states[i + 1]!.t[rec.ti]!.frames;
  const top: Frame = { fn: rec.fn, pc: rec.pc, l: rec.l, into: null };
  const deepest = (fs: readonly Frame[]) => {
    for (let j = fs.length - 1; j >= 0; j--) if (fs[j]!.fn === rec.fn) return j;
    return -1;
  };
  let j = deepest(after);
  if (j >= 0) return [...after.slice(0, j), top];
  j = deepest(before);
  if (j >= 0) return [...before.slice(0, j), top];
  // Entered and left within this micro-step: under it, what the step kept of its caller chain.
  let k = 0;
  while (k < before.length && k < after.length && before[k]!.fn === after[k]!.fn) k++;
  const base: Frame[] = before.length ? before.slice(0, k) : after.slice(0, k);
  if (base.length === 0 && rec.opStart !== null) {
    const entry = run.model.fnId.get(opEntry(run.model.scenario.steps[rec.opStart]!).fn);
    if (entry !== undefined && entry !== rec.fn) base.push({ fn: entry, pc: 0, l: {}, into: null });
  }
  return [...base, top];
}

/** The stack of a thread that stopped (blocked or crashed) in state `s`: exact, outermost first. */
export function frozenStack(run: Run, s: number, ti: number): Frame[] {
  return [...run.states[s]!.t[ti]!.frames];
}

/** The lock primitive an acquisition or release calls, and its file. */
export function lockPrimitive(key: string, mode: LockMode, op: 'lock' | 'unlock'): FrameInfo {
  const type = lockType(key);
  if (type === 'spinlock')
    return {
      fn: op === 'lock' ? '_raw_spin_lock' : '_raw_spin_unlock',
      file: 'kernel/locking/spinlock.c',
      line: null,
    };
  if (type === 'rwsem' || mode !== 'mutex') {
    const fn =
      mode === 'read' ? (op === 'lock' ? 'down_read' : 'up_read') : op === 'lock' ? 'down_write' : 'up_write';
    return { fn, file: 'kernel/locking/rwsem.c', line: null };
  }
  return { fn: op === 'lock' ? 'mutex_lock' : 'mutex_unlock', file: 'kernel/locking/mutex.c', line: null };
}

/** The call a diagram writes for a lock operation: "down_read(&G->group_rwsem)". */
export function lockCall(key: string, mode: LockMode, op: 'lock' | 'unlock'): string {
  const type = lockType(key);
  const inst = lockInstance(key);
  if (type === 'spinlock') return `${op === 'lock' ? 'spin_lock' : 'spin_unlock'}(${inst})`;
  return `${lockPrimitive(key, mode, op).fn}(${inst})`;
}

/** What userspace did to start an op, as commit-message diagrams head a column; null for kernel work. */
export function syscallOf(m: Model, step: number): string | null {
  const st = m.scenario.steps[step]!;
  switch (st.op) {
    case 'kvm_add_group':
      return 'ioctl(KVM_DEV_VFIO_GROUP_ADD)';
    case 'kvm_del_group':
      return 'ioctl(KVM_DEV_VFIO_GROUP_DEL)';
    case 'open_device':
      return 'ioctl(VFIO_GROUP_GET_DEVICE_FD)';
    case 'close_device':
      return 'close(device fd)';
    case 'close_vm':
      return 'close(VM, vCPU and KVM-VFIO fds)';
    case 'run_work':
      return null;
  }
}

/** The micro-step (1-based) where the op of `thread` that is under way at micro-step `s` started. */
export function opStartStep(run: Run, s: number, thread: string): number {
  for (let i = Math.min(s, run.records.length) - 1; i >= 0; i--) {
    const r = run.records[i]!;
    if (r.thread === thread && r.opStart !== null) return i + 1;
  }
  return 1;
}
