/**
 * Shareable moments in the browser: compare mode round-trips through the
 * address; a permalink, a jump or a fast run of clicks past a violation
 * announces it once (role="alert"), then the alert goes back to the step's own.
 */
import { test, expect } from './support/fixtures.ts';
import { OOPS } from './support/model.ts';
import { ALERT_MS } from '../src/view/player/types.ts';

test('compare=<era> opens side by side, follows the other era, and leaves the address when closed', async ({
  app,
  page,
}) => {
  await app.open('?scenario=del-while-open&era=before&compare=fixed&step=40&v=1');
  await expect(page.getByRole('heading', { name: 'Side by side' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Compare eras' })).toHaveAttribute('aria-pressed', 'true');
  await expect(page.getByLabel('Compare with')).toHaveValue('fixed');
  await expect
    .poll(() => page.evaluate(() => location.search))
    .toBe('?scenario=del-while-open&era=before&compare=fixed&step=40&v=1');
  await page.getByLabel('Compare with').selectOption('after');
  await expect.poll(() => page.evaluate(() => location.search)).toContain('compare=after');
  await page.reload();
  await expect(page.getByLabel('Compare with')).toHaveValue('after');
  await page.getByRole('button', { name: 'Compare eras' }).click();
  await expect(page.getByRole('heading', { name: 'Reference flow' })).toBeVisible();
  await expect
    .poll(() => page.evaluate(() => location.search))
    .toBe('?scenario=del-while-open&era=before&step=40&v=1');
});

test('compare equal to the era: a notice, one era', async ({ app, page }) => {
  await app.open('?scenario=happy-path&era=after&compare=after');
  await expect(page.locator('[data-notice="compare"]')).toContainText('compare=after is the era shown');
  await expect(page.getByRole('heading', { name: 'Reference flow' })).toBeVisible();
});

test('a permalink past a violation announces it once, then the alert shows the step again', async ({
  app,
  page,
}) => {
  const past = OOPS.step + 5;
  expect(past).toBeLessThan(OOPS.total);
  await app.open(`?scenario=del-while-open&era=before&step=${past}&v=1`);
  const alert = page.getByRole('alert').filter({ has: page.getByText('Violation (null-deref)') });
  await expect(alert).toBeVisible();
  await expect(page.getByTestId('violation-alert')).toHaveText('');
  // No new announcement while the reader moves on.
  await app.blur();
  await page.keyboard.press('ArrowRight');
  await expect(page.getByTestId('step-counter')).toHaveText(String(past + 1));
  await expect(page.getByTestId('violation-alert')).toHaveText('');
});

test('a fast run of clicks over a violation lands past it and announces it', async ({ app, page }) => {
  // The announcement lasts ALERT_MS of the page's time from the click that reached the violation. The page's
  // clock is held while the clicks land, so that a slow machine cannot let it run out before they are done.
  await page.clock.install();
  await app.open(`?scenario=del-while-open&era=before&step=${OOPS.step - 1}&v=1`);
  await page.clock.pauseAt((await page.evaluate(() => Date.now())) + 1000);
  const forward = page.getByRole('button', { name: 'Step forward' });
  for (let i = 0; i < 5; i++) await forward.click({ delay: 0 });
  await expect(page.getByTestId('step-counter')).toHaveText(String(OOPS.step + 4));
  await expect(page.getByTestId('violation-alert')).toContainText('Violation (null-deref)');
  // Once: it then clears, as at any step with no violation of its own.
  await page.clock.runFor(ALERT_MS + 500);
  await expect(page.getByTestId('violation-alert')).toHaveText('');
});

test('the slider dragged past a violation announces it', async ({ app, page }) => {
  await app.open('?scenario=last-ref-deadlock&era=after&step=0&v=1');
  const total = Number(await page.getByRole('slider', { name: /^Step/ }).getAttribute('max'));
  await page.getByRole('slider', { name: /^Step/ }).fill(String(total));
  await expect(page.getByTestId('violation-alert')).toContainText('Violation (deadlock)');
});
