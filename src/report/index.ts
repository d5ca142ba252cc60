/**
 * Kernel-style reports of a run: for each violation and for the lock
 * validator's warning, the text the kernel would have printed and the
 * interleaving as a commit-message diagram. Pure: a Run in, text out.
 */
import type { Run, Violation } from '../model/index.ts';
import { validateLocks, type LockdepWarning } from '../model/lockdep.ts';
import { circularReport, recursiveReport } from './lockdep.ts';
import { hungTaskReport } from './hungTask.ts';
import { kasanReport, oopsReport, refcountReport } from './crash.ts';
import { leakReport } from './leak.ts';
import { interleaving, lockdepWindow, markText, violationWindow, type Diagram } from './diagram.ts';
import { MAX_COLS, wrapText } from './text.ts';

export { MAX_COLS, escapeInline, escapeUnsafe, wrapText, displayWidth, widestLine } from './text.ts';
export { interleaving, type Diagram, type DiagramRow } from './diagram.ts';

export const REPORT_SCHEMA = 'vfio-kvm-report/1';

export type ReportKind =
  | 'lockdep-circular'
  | 'lockdep-recursive'
  | 'hung-task'
  | 'kasan'
  | 'oops'
  | 'refcount'
  | 'leak'
  /** A guarantee of the patch broken (explore's invariant kinds): the kernel prints nothing. */
  | 'invariant';

export interface ReportItem {
  kind: ReportKind;
  /** A few words for a list: "deadlock: Q blocked for good". */
  title: string;
  /** The micro-step where it shows. */
  step: number;
  thread: string;
  violation: Violation | null;
  lockdep: { kind: 'circular' | 'recursive'; chain: string[]; steps: number[] } | null;
  /** The kernel-style report (lines of at most 75 columns). */
  text: string;
  /** The interleaving that leads to it. */
  diagram: Diagram;
}

const KIND_OF: Record<Violation['kind'], ReportKind> = {
  'null-deref': 'oops',
  'use-after-free': 'kasan',
  'get-from-zero': 'refcount',
  'unbalanced-put': 'refcount',
  deadlock: 'hung-task',
  'refcount-leak': 'leak',
};

function reportText(run: Run, v: Violation): string {
  switch (v.kind) {
    case 'null-deref':
      return oopsReport(run, v);
    case 'use-after-free':
      return kasanReport(run, v);
    case 'get-from-zero':
    case 'unbalanced-put':
      return refcountReport(run, v);
    case 'deadlock':
      return hungTaskReport(run, v);
    case 'refcount-leak':
      return leakReport(run, v);
  }
}

/** The last micro-step of `thread` up to `s`: where its mark goes. */
function lastStepOf(run: Run, thread: string, s: number): number {
  for (let i = Math.min(s, run.records.length); i >= 1; i--)
    if (run.records[i - 1]!.thread === thread) return i;
  return s;
}

function titleOf(v: Violation): string {
  switch (v.kind) {
    case 'deadlock':
      return `deadlock: ${v.thread} blocked for good in ${v.at}`;
    case 'refcount-leak':
      return `refcount-leak: ${v.vm ?? 'a VM'} is never destroyed`;
    default:
      return `${v.kind} in ${v.at} (${v.thread})`;
  }
}

/** The report of one violation of the run. */
export function violationReport(run: Run, v: Violation): ReportItem {
  const w = violationWindow(run, v);
  const marks = [{ step: lastStepOf(run, v.thread, v.step), thread: v.thread, text: markText(v) }];
  return {
    kind: KIND_OF[v.kind],
    title: titleOf(v),
    step: v.step,
    thread: v.thread,
    violation: v,
    lockdep: null,
    text: wrapText(reportText(run, v), MAX_COLS, 4),
    diagram: interleaving(run, { from: w.from, to: w.to, threads: w.threads, steps: w.steps, marks }),
  };
}

/** The report of the lock validator's warning. */
export function lockdepReport(run: Run, w: LockdepWarning): ReportItem {
  const win = lockdepWindow(run, w);
  const text = w.kind === 'circular' ? circularReport(run, w) : recursiveReport(run, w);
  const marks = [
    {
      step: w.step,
      thread: w.thread,
      text: `// lockdep: ${w.kind === 'circular' ? 'circular dependency' : 'recursive locking'}`,
    },
  ];
  return {
    kind: w.kind === 'circular' ? 'lockdep-circular' : 'lockdep-recursive',
    title: `lockdep: possible ${w.kind === 'circular' ? 'circular locking dependency' : 'recursive locking'} (${w.thread})`,
    step: w.step,
    thread: w.thread,
    violation: null,
    lockdep: { kind: w.kind, chain: w.chain, steps: w.steps },
    text: wrapText(text, MAX_COLS, 4),
    diagram: interleaving(run, { from: win.from, to: win.to, threads: win.threads, steps: win.steps, marks }),
  };
}

/**
 * Every report of a run, in the order they show: the lockdep warning (if
 * any) and one per violation; with `upTo`, only those shown by that step.
 */
export function runReports(run: Run, opts: { upTo?: number } = {}): ReportItem[] {
  const upTo = opts.upTo ?? run.records.length;
  const out: ReportItem[] = [];
  const w = validateLocks(run.records);
  if (w && w.step <= upTo) out.push(lockdepReport(run, w));
  for (const v of run.violations) if (v.step <= upTo) out.push(violationReport(run, v));
  return out.sort((a, b) => a.step - b.step || (a.violation ? 1 : 0) - (b.violation ? 1 : 0));
}

/** The interleaving of every thread from the first micro-step to `step`. */
export function interleavingSoFar(run: Run, step: number): Diagram {
  return interleaving(run, { from: 1, to: step });
}

/** The diagram with a heading line, as pasted. */
export function diagramBlock(d: Diagram): string {
  const span =
    d.from > d.to
      ? 'no micro-steps'
      : d.from === d.to
        ? `micro-step ${d.from}`
        : `micro-steps ${d.from}-${d.to}`;
  return `The interleaving (${span}):\n\n${d.text}`;
}
