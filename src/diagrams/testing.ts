/**
 * Helpers for the diagram tests (and for anyone rendering the diagrams to
 * files): real states from the built-in scenarios, and an SVG pretty-printer
 * so snapshots diff line by line.
 */
import { runScenario, type Run } from '../model/run.ts';
import { builtin } from '../scenarios/index.ts';
import type { EraId } from '../model/era.ts';
import { describeState, describeStep, type KernelView, type StepView } from '../model/view.ts';
import type { Violation, ViolationKind } from '../model/types.ts';

export interface Moment {
  run: Run;
  n: number;
  view: KernelView;
  step: StepView | null;
  steps: StepView[];
  violations: Violation[];
  threads: string[];
}

const runs = new Map<string, Run>();

/** State n of a built-in scenario (n = -1: the last state). */
export function moment(id: string, era: EraId, n = -1): Moment {
  const key = `${id}@${era}`;
  let run = runs.get(key);
  if (!run) {
    const sc = builtin(id);
    if (!sc) throw new Error(`no built-in scenario ${id}`);
    run = runScenario(sc, { era });
    runs.set(key, run);
  }
  const last = run.records.length;
  const at = n < 0 ? last + 1 + n : n;
  if (at < 0 || at > last) throw new Error(`${id}@${era} has steps 0…${last}, not ${n}`);
  const steps = run.records.map((rec, i) => describeStep(run.model, rec, run.states[i + 1]!, i + 1));
  return {
    run,
    n: at,
    view: describeState(run.model, run.states[at]!),
    step: at === 0 ? null : steps[at - 1]!,
    steps,
    violations: run.violations.filter((v) => v.step <= at),
    threads: run.model.threads.map((t) => t.id),
  };
}

/** The step at which running a built-in scenario in an era first finds a violation of `kind`. */
export function violationStep(id: string, era: EraId, kind: ViolationKind): number {
  const v = moment(id, era).run.violations.find((x) => x.kind === kind);
  if (!v) throw new Error(`${id}@${era} shows no ${kind}`);
  return v.step;
}

/** One element per line, indented by depth; text content kept on the line of its element. */
export function prettySvg(markup: string): string {
  const tokens = markup.match(/<[^>]+>|[^<]+/g) ?? [];
  const out: string[] = [];
  let depth = 0;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.startsWith('</')) {
      depth--;
      out.push(`${'  '.repeat(depth)}${t}`);
    } else if (t.startsWith('<')) {
      const selfClosing = t.endsWith('/>');
      const next = tokens[i + 1];
      const after = tokens[i + 2];
      if (!selfClosing && next?.startsWith('</')) {
        out.push(`${'  '.repeat(depth)}${t}${next}`);
        i += 1;
        continue;
      }
      if (!selfClosing && next && !next.startsWith('<') && after?.startsWith('</')) {
        out.push(`${'  '.repeat(depth)}${t}${next}${after}`);
        i += 2;
        continue;
      }
      out.push(`${'  '.repeat(depth)}${t}`);
      if (!selfClosing) depth++;
    } else if (t.trim()) {
      out.push(`${'  '.repeat(depth)}${t}`);
    }
  }
  return out.join('\n') + '\n';
}
