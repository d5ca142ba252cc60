/**
 * Side by side: one scenario in two eras, in lock-step by scenario op; the
 * first op whose outcome differs is named, and at that op the two diagrams
 * show the difference the model computes.
 */
import { test, expect } from './support/fixtures.ts';
import { alignStep, firstDifference, ALIGNMENT_NOTE, ERAS } from './support/app.ts';
import { expectFlow } from './support/diagrams.ts';
import { literal, runOf } from './support/model.ts';

test('del-while-open: before vs after diverge at GROUP_DEL (the driver keeps K after the patch)', async ({
  app,
  page,
}) => {
  const a = runOf('del-while-open', 'before');
  const b = runOf('del-while-open', 'after');
  const diff = firstDifference(a, b)!;
  expect(diff.label).toBe('kvm_del_group(K, G)');
  await app.open('?scenario=del-while-open&era=before&step=10');
  await page.getByRole('button', { name: 'Compare eras' }).click();
  await expect(page.getByRole('button', { name: 'Compare eras' })).toHaveAttribute('aria-pressed', 'true');
  await expect(page.getByRole('heading', { name: 'Side by side' })).toBeVisible();
  await expect(page.getByText(ALIGNMENT_NOTE)).toBeVisible();
  await expect(page.getByRole('combobox', { name: 'Compare with' })).toHaveValue('after');

  const banner = page.getByTestId('diff-banner');
  await expect(banner).toContainText(
    `First difference at op ${diff.op + 1}, ${diff.label} (thread ${diff.thread})`,
  );
  await expect(banner).toContainText("D's driver pointer: before NULL vs after K");

  const left = page.getByRole('region', { name: new RegExp(`^${literal(ERAS.before.title)}`) });
  const right = page.getByRole('region', { name: new RegExp(`^${literal(ERAS.after.title)}`) });
  // Lock-step: at step 10 of `before`, `after` shows the aligned step.
  await expect(left.getByTestId('compare-pos')).toContainText(`step 10 / ${a.total}`);
  await expect(right.getByTestId('compare-pos')).toContainText(
    `step ${alignStep(a, b, 10).step} / ${b.total}`,
  );
  await expectFlow(page, a, 10, left);
  await expectFlow(page, b, alignStep(a, b, 10).step, right);

  // Jump to the op where they differ: both columns end that op.
  await banner.getByRole('button', { name: `Go to the end of op ${diff.op + 1}` }).click();
  await expect(page.getByTestId('step-counter')).toHaveText(String(diff.stepA));
  await expect(right.getByTestId('compare-pos')).toContainText(`step ${diff.stepB} / ${b.total}`);
  await expectFlow(page, a, diff.stepA, left);
  await expectFlow(page, b, diff.stepB, right);
  const drv = (d: typeof a, n: number) => d.view(n).devices[0]!.driver.kvm.vm;
  expect([drv(a, diff.stepA), drv(b, diff.stepB)]).toEqual([null, 'K']);
  await expect(left).toHaveClass(/differs/);
  await expect(right).toHaveClass(/differs/);
  await app.shot('compare-first-difference', { fullPage: true });

  // Stepping keeps both in lock-step, op by op.
  for (let i = 0; i < 5; i++) await page.keyboard.press('ArrowRight');
  const n = diff.stepA + 5;
  await expect(right.getByTestId('compare-pos')).toContainText(
    `step ${alignStep(a, b, n).step} / ${b.total}`,
  );
  // The oops happens only on the left: W's release_work, op 4, which is a no-op after the patch.
  const oops = a.run.violations.find((v) => v.kind === 'null-deref')!;
  await page.getByRole('slider', { name: /^Step/ }).fill(String(oops.step));
  await expect(page.getByTestId('violation-alert')).toContainText('Violation (null-deref)');
  await expect(left).toContainText('null-deref');
  await expect(right).not.toContainText('null-deref');
  await expect(right.getByTestId('compare-pos')).toContainText(
    `step ${alignStep(a, b, oops.step).step} / ${b.total}`,
  );
  expect(b.run.violations).toEqual([]);
});

test('last-ref-deadlock: after vs fixed, and changing the other era', async ({ app, page }) => {
  const a = runOf('last-ref-deadlock', 'after');
  const f = runOf('last-ref-deadlock', 'fixed');
  await app.open(`?scenario=last-ref-deadlock&era=after&step=${a.total}`);
  await page.getByRole('button', { name: 'Compare eras' }).click();
  await expect(page.getByRole('combobox', { name: 'Compare with' })).toHaveValue('before');
  await page.getByRole('combobox', { name: 'Compare with' }).selectOption('fixed');
  const diff = firstDifference(a, f)!;
  await expect(page.getByTestId('diff-banner')).toContainText(`op ${diff.op + 1}, ${diff.label}`);
  const right = page.getByRole('region', { name: /^fixed/ });
  await expect(right.getByTestId('compare-pos')).toContainText(
    `step ${alignStep(a, f, a.total).step} / ${f.total}`,
  );
  await expectFlow(page, f, alignStep(a, f, a.total).step, right);
  // Close: back to the single diagram.
  await page.getByRole('button', { name: 'Compare eras' }).click();
  await expect(page.getByRole('heading', { name: 'Reference flow' })).toBeVisible();
  await expectFlow(page, a, a.total);
});
