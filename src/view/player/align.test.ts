import { describe, expect, it } from 'vitest';
import { ERA_IDS } from '../../model/index.ts';
import { BUILTINS, builtin } from '../../scenarios/index.ts';
import { alignStep, firstDifference, opSpans } from './align.ts';
import { getRun, resolveRun } from './runs.ts';

describe('runs', () => {
  it('memoizes a run and its per-step views', () => {
    const sc = builtin('happy-path')!;
    const a = getRun(sc, 'after', []);
    expect(getRun(sc, 'after', [])).toBe(a);
    expect(a.view(3)).toBe(a.view(3));
    expect(a.stepView(3)).toBe(a.stepView(3));
    expect(a.view(10_000)).toBe(a.view(a.total));
    expect(getRun(sc, 'before', [])).not.toBe(a);
  });

  it('prefix(n) replays the first n micro-steps exactly', () => {
    for (const sc of BUILTINS) {
      const d = getRun(sc, 'after', []);
      const n = Math.floor(d.total / 2);
      const again = getRun(sc, 'after', d.prefix(n));
      expect(again.run.states[n]).toEqual(d.run.states[n]);
      expect(again.total).toBe(d.total);
    }
  });

  it('resolveRun cuts a schedule at the first entry that cannot move', () => {
    const r = resolveRun(builtin('last-ref-deadlock')!, 'after', ['Q', 'Nobody', 'Q']);
    expect(r.ok && r.schedule).toEqual(['Q']);
    expect(r.ok && r.problem).toContain('schedule[1]: unknown thread "Nobody"');
  });

  it('opOf attributes every micro-step to the op its thread is running', () => {
    const d = getRun(builtin('del-while-open')!, 'before', []);
    const spans = opSpans(d);
    expect([...spans.keys()].sort()).toEqual([0, 1, 2, 3, 4]);
    // Every op's span ends at the step where it returns or crashes.
    for (const [op, s] of spans) if (s.end !== null) expect(d.run.records[s.end - 1]!.opDone?.step).toBe(op);
  });
});

describe('alignment', () => {
  it('is monotonic, maps op ends onto op ends, and step 0 onto step 0', () => {
    for (const sc of BUILTINS)
      for (const a of ERA_IDS)
        for (const b of ERA_IDS) {
          if (a === b) continue;
          const A = getRun(sc, a, []);
          const B = getRun(sc, b, []);
          expect(alignStep(A, B, 0).step).toBe(0);
          const sa = opSpans(A);
          const sb = opSpans(B);
          for (const [op, s] of sa) {
            const t = sb.get(op);
            if (s.end !== null && t?.end != null && t.steps.length)
              expect(alignStep(A, B, s.end).step).toBe(t.end);
          }
          // Within one op, moving forward on the left never moves the right backward.
          for (let n = 1; n < A.total; n++)
            if (A.opOf[n - 1] === A.opOf[n])
              expect(alignStep(A, B, n + 1).step).toBeGreaterThanOrEqual(alignStep(A, B, n).step);
        }
  });

  it('names the op where the patch matters', () => {
    const cases: [string, string, string, string][] = [
      ['del-while-open', 'before', 'after', 'kvm_del_group(K, G)'],
      ['open-before-add', 'before', 'after', 'open_device(A)'],
      ['last-ref-deadlock', 'before', 'after', 'close_device(D)'],
      ['gvt-ref-leak', 'after', 'fixed', 'open_device(V2)'],
      ['last-ref-deadlock', 'after', 'fixed', 'close_vm(K)'],
    ];
    for (const [id, a, b, label] of cases) {
      const d = firstDifference(getRun(builtin(id)!, a as never, []), getRun(builtin(id)!, b as never, []));
      expect(d?.label, `${id} ${a}/${b}`).toBe(label);
    }
    const ap = firstDifference(
      getRun(builtin('open-error-unwind')!, 'before', []),
      getRun(builtin('open-error-unwind')!, 'after', []),
    )!;
    expect(ap.items).toContainEqual({ what: 'result', a: '0', b: '-EINVAL' });
  });

  it('finds no difference between an era and itself', () => {
    for (const sc of BUILTINS)
      expect(firstDifference(getRun(sc, 'after', []), getRun(sc, 'after', []))).toBeNull();
  });
});
