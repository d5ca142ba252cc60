/**
 * Scheduler mode (The Deadlock Empire): the user picks the next thread; only
 * runnable threads are offered, the others say why they cannot move, and the
 * picks become the URL's schedule.
 */
import { test, expect } from './support/fixtures.ts';
import { expectMoment, runOf, threadCard } from './support/model.ts';
import type { Page } from '@playwright/test';
import type { Derived } from '../src/view/player/runs.ts';

/** "Run T" buttons on the page = the model's runnable threads at step n. */
async function expectOffers(page: Page, d: Derived, n: number) {
  const runnable = d.runnableAt(n);
  const threads = d.run.model.threads.map((t) => t.id);
  for (const t of threads) {
    const card = threadCard(page, t);
    if (runnable.includes(t)) {
      await expect(card.getByRole('button', { name: `Run ${t}` })).toBeVisible();
      await expect(card.getByTestId('cannot-move')).toHaveCount(0);
    } else {
      await expect(card.getByRole('button', { name: `Run ${t}` })).toHaveCount(0);
      await expect(card.getByTestId('cannot-move')).toHaveText(/^Cannot move: /);
    }
  }
  await expect(page.getByRole('button', { name: /^Run / })).toHaveCount(runnable.length);
}

test('only runnable threads are offered, at every step of a hand-made interleaving', async ({
  app,
  page,
}) => {
  await app.open('?scenario=open-vs-teardown-race&era=after');
  await page.getByRole('checkbox', { name: 'Scheduler mode' }).check();
  // Let KV start its DEL first, then Q, then X, then whoever the model allows, round-robin.
  const order = ['KV', 'Q', 'X'];
  const schedule: string[] = [];
  for (let n = 0; n < 40; n++) {
    const d = runOf('open-vs-teardown-race', 'after', schedule);
    await expectOffers(page, d, n);
    const can = d.runnableAt(n);
    if (can.length === 0) break;
    const pick = order.find((t) => can.includes(t) && t !== schedule[schedule.length - 1]) ?? can[0]!;
    await threadCard(page, pick)
      .getByRole('button', { name: `Run ${pick}` })
      .click();
    schedule.push(pick);
    const next = runOf('open-vs-teardown-race', 'after', schedule);
    await expect(page.getByTestId('step-counter')).toHaveText(String(n + 1));
    await expect(page.getByTestId('narration')).toContainText(next.stepView(n + 1).text);
    if (n % 5 === 4) await expectMoment(page, next, n + 1);
  }
  await app.shot('scheduler-mode');
  // The picks are the URL's schedule (the default continuation needs no entry).
  const search = await page.evaluate(() => location.search);
  expect(search).toMatch(/schedule=KV,/);
  // Reloading the address replays the same interleaving.
  const step = await app.step();
  await page.reload();
  await expect(page.getByTestId('step-counter')).toHaveText(String(step));
});

test('a blocked thread says why it cannot move; a deadlock leaves nothing to run', async ({ app, page }) => {
  const d = runOf('last-ref-deadlock', 'after');
  await app.open(`?scenario=last-ref-deadlock&era=after&step=${d.total}`);
  await page.getByRole('checkbox', { name: 'Scheduler mode' }).check();
  await expectOffers(page, d, d.total);
  const q = d.view(d.total).threads.find((t) => t.id === 'Q')!;
  expect(q.status).toBe('blocked');
  await expect(threadCard(page, 'Q').getByTestId('cannot-move')).toHaveText(`Cannot move: ${q.reason}.`);
  await expect(threadCard(page, 'Q').getByTestId('thread-reason')).toHaveText(
    /^waits for G\.group_rwsem \(write\): Q holds it for read/,
  );
  await expect(page.getByTestId('nothing-runnable')).toBeVisible();
  await app.shot('deadlock-scheduler');
});

test('scheduler picks are undone by "Back to the default order"', async ({ app, page }) => {
  await app.open('?scenario=del-while-open&era=after');
  await page.getByRole('checkbox', { name: 'Scheduler mode' }).check();
  await threadCard(page, 'KV').getByRole('button', { name: 'Run KV' }).click();
  await expect.poll(() => page.evaluate(() => location.search)).toContain('schedule=KV');
  await page.getByRole('button', { name: 'Back to the default order' }).click();
  await expect.poll(() => page.evaluate(() => location.search)).not.toContain('schedule=');
  await expectMoment(page, runOf('del-while-open', 'after'), 1);
});
