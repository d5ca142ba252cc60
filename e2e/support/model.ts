/** Expectations from the model: what the page must show at step n of a run. */
import type { Page } from '@playwright/test';
import { expect } from '@playwright/test';
import { builtin, getRun, opStates } from './app.ts';
import type { Derived } from '../../src/view/player/runs.ts';
import type { EraId, KernelView } from '../../src/model/index.ts';
import { expectFlow, expectLocks } from './diagrams.ts';

export function runOf(id: string, era: EraId, schedule: readonly string[] = []): Derived {
  const sc = builtin(id);
  if (!sc) throw new Error(`no built-in scenario ${id}`);
  return getRun(sc, era, schedule);
}

/** The sentence the live region must hold after n steps. */
export function narrationAt(d: Derived, n: number): string {
  return n > 0
    ? d.stepView(n).text
    : `Step 0 of ${d.total}: nothing has run yet (era ${d.run.model.v.id}; threads ${d.run.model.threads.map((t) => t.id).join(', ')}).`;
}

export function threadCard(page: Page, id: string) {
  return page.getByRole('article', { name: `Thread ${id}`, exact: true });
}

/** Threads panel = the model's ThreadView: status, op, blocked reason, held locks. */
export async function expectThreads(page: Page, view: KernelView): Promise<void> {
  for (const t of view.threads) {
    const card = threadCard(page, t.id);
    await expect(card.getByTestId('thread-status')).toHaveText(t.status);
    if (t.op) await expect(card.getByTestId('thread-op')).toContainText(t.op.label);
    if (t.reason) await expect(card.getByTestId('thread-reason')).toHaveText(t.reason);
    else await expect(card.getByTestId('thread-reason')).toHaveCount(0);
    if (t.holds.length)
      await expect(card.getByTestId('thread-holds')).toHaveText(`holds ${t.holds.join(', ')}`);
    else await expect(card.getByTestId('thread-holds')).toHaveCount(0);
  }
}

/** The ops table's "Now" column = where each op stands in the model. */
export async function expectOps(page: Page, d: Derived, n: number): Promise<void> {
  const states = opStates(d, n);
  const rows = page.locator('table.ops tbody tr');
  await expect(rows).toHaveCount(states.length);
  for (let i = 0; i < states.length; i++) {
    const s = states[i]!;
    const want =
      s.state === 'pending'
        ? 'not started'
        : s.state === 'running'
          ? 'under way'
          : s.state === 'blocked'
            ? 'blocked'
            : s.state === 'done'
              ? `returned ${s.result}`
              : 'crashed (oops)';
    await expect(rows.nth(i).locator('.op-state')).toHaveText(want);
  }
}

/** Everything the page derives from step n: counter, narration, alert, threads, ops. */
export async function expectMoment(page: Page, d: Derived, n: number): Promise<void> {
  await expect(page.getByTestId('step-counter')).toHaveText(String(n));
  await expect(page.getByTestId('narration')).toContainText(narrationAt(d, n));
  const violations = [...(d.stepViolations.get(n) ?? []), ...(n === d.total ? d.terminalViolations : [])];
  const alert = page.getByTestId('violation-alert');
  if (violations.length)
    for (const v of violations) await expect(alert).toContainText(`Violation (${v.kind})`);
  else await expect(alert).toHaveText('');
  await expectThreads(page, d.view(n));
  await expectOps(page, d, n);
  await expectFlow(page, d, n);
  await expectLocks(page, d, n);
}

/** The step at which a built-in scenario's run in an era first finds a violation of `kind`. */
export function violationStep(id: string, era: EraId, kind: string): number {
  const v = runOf(id, era).run.violations.find((x) => x.kind === kind);
  if (!v) throw new Error(`${id}@${era} shows no ${kind}`);
  return v.step;
}

/**
 * The GVT oops the specs step onto: del-while-open in era before, the step of its null-deref and the
 * run's length, read from the model (so a change of the model's micro-steps moves them with it).
 */
export const OOPS = {
  step: violationStep('del-while-open', 'before', 'null-deref'),
  total: runOf('del-while-open', 'before').total,
};

/** A RegExp source matching `s` literally. */
export function literal(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
