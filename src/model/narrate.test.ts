import { expect, test } from 'vitest';
import { BUILTINS } from '../scenarios/index.ts';
import { ERA_IDS } from './era.ts';
import { compileModel, opLabel } from './model.ts';
import { narrate } from './narrate.ts';
import { runModel } from './run.ts';

// The sentence of each micro-step, over every built-in in every era (default order): the line it runs
// (its own sentence, or "T: fn: line" without the line's comment), then where an operation starts,
// returns, or never returns because the thread oopsed.

test('every micro-step of every built-in, in every era', () => {
  const seen = { plain: 0, said: 0, starts: 0, returns: 0, oopses: 0, nonzero: 0 };
  for (const sc of BUILTINS)
    for (const era of ERA_IDS) {
      const r = runModel(compileModel(sc, era));
      r.records.forEach((rec, i) => {
        const text = narrate(r.model, rec, r.states[i + 1]!);
        const fn = r.model.fns[rec.fn]!;
        const ins = fn.instrs[rec.pc]!;
        let rest = text;
        if (rec.opDone) {
          const label = opLabel(r.model.scenario.steps[rec.opDone.step]!);
          const tail =
            rec.opDone.status === 'crashed'
              ? ` — ${rec.thread} oopses: ${label} never returns`
              : ` — ${label} returns ${rec.opDone.result ?? 0}`;
          expect(text.endsWith(tail), `${sc.id} ${era} #${i + 1}: ${text}`).toBe(true);
          rest = text.slice(0, -tail.length);
          if (rec.opDone.status === 'crashed') seen.oopses++;
          else seen.returns++;
          if (rec.opDone.status !== 'crashed' && rec.opDone.result) seen.nonzero++;
          expect(text).not.toContain(' [starts ');
        } else if (rec.opStart !== null) {
          const tail = ` [starts ${opLabel(r.model.scenario.steps[rec.opStart]!)}]`;
          expect(text.endsWith(tail), `${sc.id} ${era} #${i + 1}: ${text}`).toBe(true);
          rest = text.slice(0, -tail.length);
          seen.starts++;
        }
        if (!ins.say) {
          const line = ins.line.replace(/\s+#.*$/, '').trim();
          expect(rest).toBe(`${rec.thread}: ${fn.name}: ${line}`);
          expect(rest).not.toMatch(/\s#/);
          seen.plain++;
        } else {
          expect(rest.length).toBeGreaterThan(0);
          seen.said++;
        }
      });
    }
  // each branch is met (every line of the code paths has its own sentence: the plain form is below)
  for (const [k, n] of Object.entries(seen)) if (k !== 'plain') expect(n, k).toBeGreaterThan(0);
});

test('a line without its own sentence: "T: fn: line", the line\'s trailing comment left out', () => {
  const sc = BUILTINS.find((s) => s.id === 'happy-path')!;
  const r = runModel(compileModel(sc, 'after'));
  // the same model, its lines stripped of their sentences; one line given a trailing comment
  const bare = {
    ...r.model,
    fns: r.model.fns.map((f) => ({
      ...f,
      instrs: f.instrs.map((i) => ({ ...i, say: null, line: `  ${i.line}   # a comment  ` })),
    })),
  };
  let n = 0;
  r.records.forEach((rec, i) => {
    const text = narrate(bare, rec, r.states[i + 1]!);
    const fn = r.model.fns[rec.fn]!;
    const head = `${rec.thread}: ${fn.name}: ${fn.instrs[rec.pc]!.line.trim()}`;
    if (!rec.opDone && rec.opStart === null) {
      expect(text).toBe(head);
      n++;
    } else expect(text.startsWith(`${head} `)).toBe(true);
  });
  expect(n).toBeGreaterThan(0);
});
