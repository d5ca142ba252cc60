/**
 * What the sequence chart says, before any geometry: the run's ops as spans
 * per thread (with their results), the spans where a thread sleeps on a
 * lock, the violations by step, and the words for assistive technology.
 */
import type { Violation } from '../model/types.ts';
import type { StepView } from '../model/view.ts';

/** What the chart needs of a StepView (a StepView is one). */
export type SequenceStep = Pick<
  StepView,
  'n' | 'thread' | 'text' | 'blocked' | 'violations' | 'opStart' | 'opDone'
> & {
  effects?: StepView['effects'];
};

export interface OpSpan {
  thread: string;
  start: number;
  end: number | null;
  label: string;
  result: string | null;
  status: 'done' | 'crashed' | 'running';
}

export interface BlockSpan {
  thread: string;
  from: number;
  to: number | null;
}

export interface SequenceModel {
  ops: OpSpan[];
  blocks: BlockSpan[];
  violations: Map<number, { kind: string; thread: string; detail?: string }[]>;
}

function resultText(v: unknown): string {
  return v === null || v === undefined ? '' : String(v);
}

export function sequenceModel(
  steps: readonly SequenceStep[],
  threads: readonly string[],
  opLabels: readonly string[] = [],
  extra: readonly Violation[] = [],
): SequenceModel {
  const ops: OpSpan[] = [];
  const open = new Map<string, OpSpan>();
  const blocks: BlockSpan[] = [];
  const openBlock = new Map<string, BlockSpan>();
  const violations: SequenceModel['violations'] = new Map();
  for (const s of steps) {
    const b = openBlock.get(s.thread);
    if (b) {
      b.to = s.n;
      openBlock.delete(s.thread);
    }
    if (s.opStart !== null) {
      const span: OpSpan = {
        thread: s.thread,
        start: s.n,
        end: null,
        label: opLabels[s.opStart] ?? `op ${s.opStart + 1}`,
        result: null,
        status: 'running',
      };
      ops.push(span);
      open.set(s.thread, span);
    }
    if (s.opDone) {
      const span = open.get(s.thread);
      if (span) {
        span.end = s.n;
        span.status = s.opDone.status;
        span.result = s.opDone.status === 'crashed' ? 'crashed' : resultText(s.opDone.result);
        open.delete(s.thread);
      }
    }
    if (s.blocked) {
      const nb: BlockSpan = { thread: s.thread, from: s.n, to: null };
      blocks.push(nb);
      openBlock.set(s.thread, nb);
    }
    for (const v of s.violations) {
      if (!violations.has(s.n)) violations.set(s.n, []);
      violations.get(s.n)!.push({ kind: v.kind, thread: v.thread, detail: v.detail });
    }
  }
  for (const v of extra) {
    const list = violations.get(v.step) ?? [];
    if (!list.some((x) => x.kind === v.kind && x.thread === v.thread)) {
      list.push({ kind: v.kind, thread: v.thread, detail: v.detail });
      violations.set(v.step, list);
    }
  }
  const known = new Set(threads);
  return {
    ops: ops.filter((o) => known.has(o.thread)),
    blocks: blocks.filter((b) => known.has(b.thread)),
    violations,
  };
}

/** The accessible name of one step's option. */
export function optionLabel(
  n: number,
  s: SequenceStep | undefined,
  viol: { kind: string }[] | undefined,
  total: number,
): string {
  if (n === 0 || !s) return `Initial state (before step 1 of ${total})`;
  const text = s.text.startsWith(`${s.thread}: `) ? s.text.slice(s.thread.length + 2) : s.text;
  const parts = [`Step ${n} of ${total}, thread ${s.thread}: ${text}`];
  if (s.blocked) parts.push('the thread blocks here');
  if (viol?.length) parts.push(`violation: ${viol.map((v) => v.kind).join(', ')}`);
  return parts.join('; ');
}

/** The chart in words (its `<desc>`). */
export function describeSequence(
  model: SequenceModel,
  threads: readonly string[],
  total: number,
  interactive: boolean,
): string {
  return (
    `${total} micro-steps in ${threads.length} thread${threads.length === 1 ? '' : 's'} (${threads.join(', ')}). ` +
    model.ops
      .map(
        (o) =>
          `${o.thread}: ${o.label} from step ${o.start}${o.end !== null ? ` to ${o.end}${o.result ? `, ${o.result === 'crashed' ? 'crashed' : `returns ${o.result}`}` : ''}` : ', never finishes'}.`,
      )
      .join(' ') +
    (model.blocks.length
      ? ' ' +
        model.blocks
          .map((b) => `${b.thread} blocked from step ${b.from}${b.to ? ` to ${b.to}` : ' to the end'}.`)
          .join(' ')
      : '') +
    [...model.violations]
      .map(([n, vs]) => ` Violation at step ${n}: ${vs.map((v) => `${v.kind} (${v.thread})`).join(', ')}.`)
      .join('') +
    (interactive ? ' Use the arrow keys to move between steps.' : '')
  );
}
