/**
 * refcount-leak: the VM that outlives everything that should hold it. The
 * kernel prints nothing for it; the report says who still holds each
 * reference and where it was taken (the stack of that kvm_get_kvm).
 */
import type { Run, Violation } from '../model/index.ts';
import type { KvmCtx } from '../model/machines/kvm.ts';
import { ctxOf } from '../model/state.ts';
import { holderWords, innermostFirst, traceLines } from './common.ts';
import { stackAt } from './frames.ts';

/** For each holder of VM `k` after `upTo` micro-steps: the micro-steps of the gets it has not put yet. */
export function openGets(run: Run, k: string, upTo = run.records.length): Map<string, number[]> {
  const open = new Map<string, number[]>();
  for (let i = 0; i < Math.min(upTo, run.records.length); i++)
    for (const e of run.records[i]!.effects) {
      if (e.kind !== 'get' && e.kind !== 'put') continue;
      if (e.vm !== k) continue;
      const list = open.get(e.holder) ?? [];
      if (e.kind === 'get') list.push(i + 1);
      else list.pop();
      open.set(e.holder, list);
    }
  return open;
}

export function leakReport(run: Run, v: Violation): string {
  const k = v.vm!;
  const m = run.model;
  const c = ctxOf<KvmCtx>(m, run.states[v.step]!, `kvm:${k}`);
  const gets = openGets(run, k, v.step);
  const lines = [`VM ${k} is never destroyed: users_count ${c.users}`];
  const closed = run.records.findIndex(
    (r) =>
      r.opStart !== null &&
      m.scenario.steps[r.opStart]!.op === 'close_vm' &&
      m.scenario.steps[r.opStart]!.thread === v.thread,
  );
  lines.push(
    closed >= 0
      ? `Its fds were closed by ${v.thread} (micro-step ${closed + 1}) and its devices are closed.`
      : 'Its fds and its devices are closed.',
    'References still held:',
  );
  for (const [h, n] of c.holders) {
    const steps = (gets.get(h) ?? []).slice(-n);
    if (steps.length === 0) {
      lines.push(` ${holderWords(h)}${n > 1 ? ` (${n})` : ''}: taken before the run`);
      continue;
    }
    for (const s of steps) {
      lines.push(` ${holderWords(h)}: kvm_get_kvm by ${run.records[s - 1]!.thread} at micro-step ${s}:`);
      lines.push(...traceLines(innermostFirst(m, stackAt(run, s - 1)), 3));
    }
  }
  return lines.join('\n');
}
