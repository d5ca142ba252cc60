/** One plain sentence per micro-step, tied to the kernel function (the page's interface (README)). */
import type { Model } from './model.ts';
import { opLabel } from './model.ts';
import type { Say } from './program.ts';
import { ctxOf, type KState } from './state.ts';
import type { StepRecord } from './step.ts';

export function narrate(m: Model, rec: StepRecord, after: KState): string {
  const fn = m.fns[rec.fn]!;
  const ins = fn.instrs[rec.pc]!;
  const say: Say = {
    t: rec.thread,
    fn: fn.name,
    v: m.v,
    l: rec.l,
    blocked: rec.blocked !== null,
    woke: rec.woke,
    ctx: <C>(key: string) => ctxOf<C>(m, after, key),
  };
  let text = ins.say ? ins.say(say) : `${rec.thread}: ${fn.name}: ${ins.line.replace(/\s+#.*$/, '').trim()}`;
  if (rec.opStart !== null && !rec.opDone)
    text = `${text} [starts ${opLabel(m.scenario.steps[rec.opStart]!)}]`;
  if (rec.opDone) {
    const st = m.scenario.steps[rec.opDone.step]!;
    if (rec.opDone.status === 'crashed') text += ` — ${rec.thread} oopses: ${opLabel(st)} never returns`;
    else text += ` — ${opLabel(st)} returns ${rec.opDone.result ?? 0}`;
  }
  return text;
}
