/**
 * The patch as a diff: for two eras, the model's pseudo-code diff function by
 * function, each hunk labelled with the commit that made it and linked to the
 * moment (scenario × era × step) the model finds for it; and each call-stack
 * frame links to the kernel source at the era's commit.
 */
import { test, expect } from './support/fixtures.ts';
import { BUILTINS, diffEras, ERAS, MomentFinder, sourceOf, getRun, builtin } from './support/app.ts';
import { runOf } from './support/model.ts';

const FIXED = ERAS.fixed.commit!;

test('after → fixed: a 2b48f52f2bff hunk, its label, and its moment link opens that moment', async ({
  app,
  page,
}) => {
  // The model's own answer: the first hunk labelled 2b48f52f2bff that has a moment.
  const d = diffEras('after', 'fixed');
  const finder = new MomentFinder(d, BUILTINS);
  const target = d.functions
    .flatMap((f) => f.hunks.map((h) => ({ f, h, m: finder.find(f, h) })))
    .find(({ h, m }) => m && h.labels.some((l) => l.commit === FIXED))!;
  expect(target).toBeTruthy();
  const m = target.m!;

  await app.open('?scenario=last-ref-deadlock&era=fixed&compare=after&step=0');
  const panel = page.getByRole('region', { name: 'What changed in the code' });
  await expect(panel.getByLabel('Diff from')).toHaveValue('after');
  await expect(panel.getByLabel('Diff to')).toHaveValue('fixed');
  await panel.getByRole('button', { name: 'Show the diff' }).click();
  const diff = page.getByRole('region', { name: 'Diff after → fixed' });
  await expect(diff).toBeVisible();
  await expect(diff.getByRole('status')).toContainText('Moments found for', { timeout: 30_000 });

  const fn = diff.locator(`article[data-fn="${(target.f.b ?? target.f.a)!.name}"]`);
  const hunk = fn.locator(`.hunk[data-hunk="${target.h.header}"]`);
  await expect(hunk).toHaveCount(1);
  // The label names the commit and links to it.
  const label = hunk.getByRole('link', { name: '2b48f52f2bff' });
  await expect(label).toHaveAttribute(
    'href',
    `https://git.kernel.org/pub/scm/linux/kernel/git/torvalds/linux.git/commit/?id=${FIXED}`,
  );
  // Added and removed lines carry + / − as well as colour.
  for (const l of target.h.lines.filter((x) => x.op !== ' ').slice(0, 3)) {
    const row = hunk.locator(`.dl.${l.op === '+' ? 'add' : 'del'}`).filter({ hasText: l.text.slice(0, 30) });
    await expect(row.first().locator('.op')).toHaveText(l.op === '+' ? '+' : '−');
  }

  const link = hunk.getByRole('link', { name: /^See it run:/ });
  await expect(link).toHaveText(`See it run: ${m.scenario} in ${m.era}, step ${m.step}`);
  await expect(link).toHaveAttribute(
    'href',
    new RegExp(`scenario=${m.scenario}&era=${m.era}&step=${m.step}&`),
  );
  await link.click();
  await expect.poll(() => app.step()).toBe(m.step);
  await expect(page).toHaveURL(new RegExp(`[?&]scenario=${m.scenario}&era=${m.era}&step=${m.step}(&|$)`));
  // At that moment the thread that runs the changed line is the one that just moved.
  const run = runOf(m.scenario, m.era, builtin(m.scenario)!.schedule ?? []);
  expect(run.run.records[m.step - 1]!.thread).toBe(m.thread);
  await expect(page.getByRole('region', { name: `Call stack of ${m.thread}` })).toBeVisible();
});

test('a frame of the call stack links to the kernel source at the era commit', async ({ app, page }) => {
  const step = 20;
  await app.open(`?scenario=last-ref-deadlock&era=fixed&step=${step}`);
  const d = getRun(builtin('last-ref-deadlock')!, 'fixed', builtin('last-ref-deadlock')!.schedule ?? []);
  const view = d.view(step);
  const t = view.threads.find((x) => x.stack.length > 0)!;
  const stack = page.getByRole('region', { name: `Call stack of ${t.id}` });
  // The active thread's stack is open; another thread's opens on request.
  if (!(await stack.isVisible()))
    await page
      .getByRole('article', { name: `Thread ${t.id}`, exact: true })
      .getByRole('button', { name: /Show the call stack/ })
      .click();
  await expect(stack).toBeVisible();
  const inner = t.stack[t.stack.length - 1]!;
  const src = sourceOf(d.run.model.v, d.run.model.fns[inner.fnId]!, inner.pc);
  const link = stack.getByRole('link', { name: new RegExp(`^${inner.fn}, `) }).first();
  await expect(link).toHaveAttribute('href', src.url);
  const href = (await link.getAttribute('href'))!;
  expect(href.startsWith('https://git.kernel.org/pub/scm/linux/kernel/git/torvalds/linux.git/tree/')).toBe(
    true,
  );
  expect(href).toContain(`?id=${FIXED}`);
  if (src.line !== null) {
    expect(href).toContain(`#n${src.line}`);
    await expect(link).toContainText(`:${src.line}`);
  } else await expect(link).not.toContainText(':');
});

test('the diff is keyboard reachable and fits a phone', async ({ app, page }) => {
  await page.setViewportSize({ width: 375, height: 740 });
  await app.open('?scenario=del-while-open&era=after&step=0');
  const panel = page.getByRole('region', { name: 'What changed in the code' });
  const show = panel.getByRole('button', { name: 'Show the diff' });
  await show.focus();
  await page.keyboard.press('Enter');
  const diff = page.getByRole('region', { name: 'Diff v2 → after' });
  await expect(diff).toBeVisible();
  await expect(diff.getByRole('status')).toContainText('Moments found for', { timeout: 30_000 });
  // The panel fits the phone's width: long lines scroll inside their hunk, not the panel.
  const box = (await panel.boundingBox())!;
  expect(box.x).toBeGreaterThanOrEqual(0);
  expect(box.x + box.width).toBeLessThanOrEqual(375);
  const inner = await diff.evaluate((el) => ({
    over: [...el.querySelectorAll('*')].filter(
      (e) => !e.closest('pre') && e.getBoundingClientRect().right > el.getBoundingClientRect().right + 1,
    ).length,
  }));
  expect(inner.over).toBe(0);
  // Tab reaches a hunk's commit link.
  await diff.getByRole('link', { name: '421cfe6596f6' }).first().focus();
  await expect(diff.getByRole('link', { name: '421cfe6596f6' }).first()).toBeFocused();
});
