/**
 * Side-by-side lock-step of one scenario in two eras.
 *
 * Micro-step counts differ per era (the notifier chain, the read lock around
 * open, the core's reference…), so step n of one era is not step n of the
 * other. Both runs execute the same scenario ops, so they are aligned by op:
 * at step n the primary run is inside op o, j micro-steps into its tA
 * micro-steps; the other run is shown at the same op, at the same fraction
 * (round(j/tA · tB), at least 1) of its own tB micro-steps of o. Op
 * boundaries therefore line up exactly: the end of o on the left is the end
 * of o on the right. An op the other era never starts (its thread crashed or
 * is blocked for good) shows that run's final state.
 *
 * Outcomes are compared per op, in the order the primary run completes them:
 * the op's result, the violations on its micro-steps, and the kernel facts
 * right after it (VM users_count and state, group->kvm, open_count, the
 * driver's pointer and reference, and device->kvm where both eras have it).
 * Against `fixed`, users_count leaves out the VFIO core's own reference
 * (2b48f52f2bff), which would otherwise make every first open differ.
 */
import { opLabel, type EraId, type KernelView } from '../../model/index.ts';
import type { Derived } from './runs.ts';

export const ALIGNMENT_NOTE =
  'Aligned by scenario op: both columns show the same op, each at the same fraction of its own micro-steps; op ends line up exactly.';

export interface OpSpan {
  /** Micro-step numbers (1-based) that belong to the op, in order. */
  steps: number[];
  /** The step at which the op returned or crashed; null if it never finished. */
  end: number | null;
}

export function opSpans(d: Derived): Map<number, OpSpan> {
  const spans = new Map<number, OpSpan>();
  d.opOf.forEach((op, i) => {
    let s = spans.get(op);
    if (!s) spans.set(op, (s = { steps: [], end: null }));
    s.steps.push(i + 1);
    if (d.run.records[i]!.opDone) s.end = i + 1;
  });
  return spans;
}

const spanCache = new WeakMap<Derived, Map<number, OpSpan>>();
function spansOf(d: Derived): Map<number, OpSpan> {
  let s = spanCache.get(d);
  if (!s) spanCache.set(d, (s = opSpans(d)));
  return s;
}

export interface Aligned {
  /** Step to show in the other run. */
  step: number;
  /** Scenario op index both columns are at, or null at step 0. */
  op: number | null;
  /** True when the other run never starts that op. */
  missing: boolean;
}

/** The other run's step that corresponds to step `n` of the primary run. */
export function alignStep(primary: Derived, other: Derived, n: number): Aligned {
  if (n <= 0 || primary.total === 0) return { step: 0, op: null, missing: false };
  const k = Math.min(n, primary.total);
  const op = primary.opOf[k - 1]!;
  const a = spansOf(primary).get(op)!;
  const b = spansOf(other).get(op);
  if (!b || b.steps.length === 0) return { step: other.total, op, missing: true };
  const j = a.steps.filter((s) => s <= k).length;
  const idx = Math.max(1, Math.round((j / a.steps.length) * b.steps.length));
  return { step: b.steps[Math.min(idx, b.steps.length) - 1]!, op, missing: false };
}

export interface OpOutcome {
  status: 'done' | 'blocked' | 'crashed' | 'not started';
  result: string | null;
  violations: string[];
  facts: Map<string, string>;
}

export interface CompareOptions {
  /** Compare device->kvm (only when both eras have the field). */
  deviceKvm: boolean;
  /**
   * Leave the VFIO core's own reference out of users_count (when only one era
   * has it, 2b48f52f2bff): otherwise every first open differs by one.
   */
  withoutCoreRef: boolean;
}

function factsOf(v: KernelView, o: CompareOptions): Map<string, string> {
  const f = new Map<string, string>();
  for (const vm of v.vms) {
    const core = o.withoutCoreRef
      ? vm.holders.filter((h) => h.holder.startsWith('core:')).reduce((n, h) => n + h.count, 0)
      : 0;
    f.set(
      o.withoutCoreRef ? `${vm.id} users_count (without the core's reference)` : `${vm.id} users_count`,
      String(vm.users - core),
    );
    f.set(`${vm.id} state`, vm.state);
  }
  for (const g of v.groups) f.set(`${g.id}->kvm`, g.kvm.vm ?? 'NULL');
  for (const d of v.devices) {
    f.set(`${d.id}.open_count`, String(d.openCount));
    if (o.deviceKvm) f.set(`${d.id}->kvm`, d.kvm.vm ?? 'NULL');
    f.set(`${d.id}'s driver pointer`, d.driver.kvm.vm ?? 'NULL');
    f.set(`${d.id}'s driver reference`, d.driver.ref ? `held on ${d.driver.refVm ?? '?'}` : 'none');
  }
  for (const t of v.threads)
    if (t.status === 'blocked' || t.status === 'crashed') f.set(`thread ${t.id}`, t.status);
  return f;
}

export function opOutcome(d: Derived, op: number, o: CompareOptions): OpOutcome {
  const span = spansOf(d).get(op);
  const ts = d.run.trace.steps[op]!;
  const status: OpOutcome['status'] = ts.started === false ? 'not started' : ts.status;
  const violations: string[] = [];
  for (const s of span?.steps ?? []) for (const v of d.stepViolations.get(s) ?? []) violations.push(v.kind);
  const at = span ? (span.end ?? span.steps[span.steps.length - 1]!) : d.total;
  return {
    status,
    result: ts.status === 'done' ? String(ts.result ?? 0) : null,
    violations,
    facts: factsOf(d.view(at), o),
  };
}

export interface Difference {
  op: number;
  label: string;
  thread: string;
  /** Where to look: the end (or last step) of the op in each run. */
  stepA: number;
  stepB: number;
  /** "result: 0 vs -ESRCH", "D's driver pointer: NULL vs K", … */
  items: { what: string; a: string; b: string }[];
}

/** Ops in the order the primary run finishes (or last touches) them; never-started ops last. */
function opOrder(d: Derived): number[] {
  const spans = spansOf(d);
  const started = [...spans.entries()]
    .map(([op, s]) => ({ op, at: s.end ?? s.steps[s.steps.length - 1]! }))
    .sort((x, y) => x.at - y.at)
    .map((x) => x.op);
  const rest = d.run.model.scenario.steps.map((_, i) => i).filter((i) => !spans.has(i));
  return [...started, ...rest];
}

export function compareOptions(a: Derived, b: Derived): CompareOptions {
  return {
    deviceKvm: a.view(0).devices.every((d) => d.kvm.exists) && b.view(0).devices.every((d) => d.kvm.exists),
    withoutCoreRef: (a.run.model.v.capture === 'safe') !== (b.run.model.v.capture === 'safe'),
  };
}

/** The first op (in the primary run's order) whose outcome differs between the eras, or null. */
export function firstDifference(a: Derived, b: Derived): Difference | null {
  const o = compareOptions(a, b);
  const sa = spansOf(a);
  const sb = spansOf(b);
  for (const op of opOrder(a)) {
    const x = opOutcome(a, op, o);
    const y = opOutcome(b, op, o);
    const items: Difference['items'] = [];
    if (x.status !== y.status) items.push({ what: 'outcome', a: x.status, b: y.status });
    else if (x.result !== y.result) items.push({ what: 'result', a: x.result ?? '—', b: y.result ?? '—' });
    const vx = x.violations.join(', ') || 'none';
    const vy = y.violations.join(', ') || 'none';
    if (vx !== vy) items.push({ what: 'violations', a: vx, b: vy });
    for (const [k, va] of x.facts) {
      const vb = y.facts.get(k) ?? '—';
      if (va !== vb) items.push({ what: k, a: va, b: vb });
    }
    for (const [k, vb] of y.facts) if (!x.facts.has(k)) items.push({ what: k, a: '—', b: vb });
    if (items.length) {
      const st = a.run.model.scenario.steps[op]!;
      const ea = sa.get(op);
      const eb = sb.get(op);
      return {
        op,
        label: opLabel(st),
        thread: st.thread,
        stepA: ea ? (ea.end ?? ea.steps[ea.steps.length - 1]!) : a.total,
        stepB: eb ? (eb.end ?? eb.steps[eb.steps.length - 1]!) : b.total,
        items,
      };
    }
  }
  return null;
}

/** "before vs after" for headings. */
export function pairTitle(a: EraId, b: EraId): string {
  return `${a} vs ${b}`;
}
