/**
 * The Report panel: at a violation (and for an explored counterexample) the
 * kernel-style report and the commit-message diagram, with "Copy report" and
 * "Copy interleaving"; "Copy the interleaving so far" at any step. What lands
 * on the clipboard (or in the manual-copy field) is exactly the model's text.
 */
import type { Page } from '@playwright/test';
import { test, expect } from './support/fixtures.ts';
import { builtin, exploreScenario, interleavingSoFar, runReports } from './support/app.ts';
import { runOf } from './support/model.ts';

const panel = (page: Page) => page.getByRole('region', { name: 'Report' });

async function copied(page: Page, button: string, status: string): Promise<string> {
  await panel(page).getByRole('button', { name: button, exact: true }).click();
  await expect(page.getByTestId('report-status')).toHaveText(status);
  return page.evaluate(() => navigator.clipboard.readText());
}

test.describe('with the Clipboard API', () => {
  test.beforeEach(async ({ context, baseURL }) => {
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: baseURL });
  });

  test('an oops: Copy report and Copy interleaving put the exact texts on the clipboard', async ({
    app,
    page,
  }) => {
    const d = runOf('del-while-open', 'before');
    const [oops] = runReports(d.run).filter((x) => x.kind === 'oops');
    await app.open(`?scenario=del-while-open&era=before&step=${oops!.step - 1}`);
    await expect(page.getByTestId('report-none')).toHaveText(
      `No violation and no lockdep warning up to step ${oops!.step - 1}.`,
    );
    await page.getByRole('button', { name: 'Step forward' }).click();
    await expect(page.getByTestId('report-text')).toHaveText(oops!.text, { useInnerText: true });
    expect(await copied(page, 'Copy report', 'Report copied as plain text.')).toBe(oops!.text);
    expect(await copied(page, 'Copy interleaving', 'Interleaving copied as plain text.')).toBe(
      oops!.diagram.text,
    );
    expect(oops!.text.split('\n')[0]).toBe('BUG: kernel NULL pointer dereference, address: 0000000000000000');
    await panel(page).scrollIntoViewIfNeeded();
    await app.shot('report-oops');
  });

  test('a deadlock: the hung task, and lockdep’s warning as a second finding and in the player bar', async ({
    app,
    page,
  }) => {
    const d = runOf('last-ref-deadlock', 'after');
    const items = runReports(d.run);
    expect(items.map((x) => x.kind)).toEqual(['lockdep-recursive', 'hung-task']);
    await app.open(`?scenario=last-ref-deadlock&era=after&step=${d.total}`);
    await expect(page.getByTestId('lockdep-note')).toContainText('lockdep warning');
    await expect(page.getByTestId('lockdep-note')).toHaveAttribute('role', 'status');
    expect(await copied(page, 'Copy report', 'Report copied as plain text.')).toBe(items[1]!.text);
    await panel(page).getByLabel('Finding').selectOption({ index: 0 });
    await expect(panel(page)).toContainText('Warning (lockdep, nothing crashed)');
    expect(await copied(page, 'Copy report', 'Report copied as plain text.')).toBe(items[0]!.text);
    expect(await copied(page, 'Copy interleaving', 'Interleaving copied as plain text.')).toBe(
      items[0]!.diagram.text,
    );
    await panel(page).scrollIntoViewIfNeeded();
    await app.shot('report-deadlock');
  });

  test('an explored counterexample: Replay, then the report of that schedule', async ({ app, page }) => {
    const x = exploreScenario(builtin('last-ref-deadlock')!, { era: 'after' });
    const uaf = x.violations.find((v) => v.kind === 'use-after-free')!;
    const d = runOf('last-ref-deadlock', 'after', uaf.schedule);
    const kasan = runReports(d.run).find((r) => r.kind === 'kasan')!;
    await app.open('?scenario=last-ref-deadlock&era=after');
    await page.getByRole('button', { name: 'Explore all interleavings' }).click();
    const result = page.getByTestId('explore-result');
    await expect(result).toBeVisible({ timeout: 30_000 });
    await result
      .getByRole('button', { name: `Replay use-after-free (${uaf.schedule.length} steps)` })
      .click();
    await expect(page.getByTestId('step-counter')).toHaveText(String(uaf.step));
    expect(await copied(page, 'Copy report', 'Report copied as plain text.')).toBe(kasan.text);
    expect(kasan.text).toContain('BUG: KASAN: use-after-free in ');
    expect(await copied(page, 'Copy interleaving', 'Interleaving copied as plain text.')).toBe(
      kasan.diagram.text,
    );
  });

  test('Copy the interleaving so far, at any step', async ({ app, page }) => {
    const d = runOf('happy-path', 'after');
    await app.open('?scenario=happy-path&era=after&step=7');
    const text = await copied(
      page,
      'Copy the interleaving so far',
      'Interleaving so far copied as plain text.',
    );
    expect(text).toBe(interleavingSoFar(d.run, 7).text);
    for (const line of text.split('\n')) expect([...line].length).toBeLessThanOrEqual(75);
  });
});

test('without the Clipboard API, the report appears selected in a field', async ({ app, page }) => {
  await page.addInitScript(() =>
    Object.defineProperty(Navigator.prototype, 'clipboard', { get: () => undefined, configurable: true }),
  );
  const d = runOf('gvt-ref-leak', 'after');
  const leak = runReports(d.run).find((x) => x.kind === 'leak')!;
  await app.open(`?scenario=gvt-ref-leak&era=after&step=${d.total}`);
  await panel(page).getByRole('button', { name: 'Copy report', exact: true }).click();
  const field = page.getByRole('textbox', { name: /^Report: this browser did not let the page copy it/ });
  await expect(field).toBeFocused();
  await expect(field).toHaveValue(leak.text);
  await expect(page.getByTestId('report-status')).toHaveText('');
  await panel(page).getByRole('button', { name: 'Copy interleaving', exact: true }).click();
  await expect(page.getByRole('textbox', { name: /^Interleaving: / })).toHaveValue(leak.diagram.text);
  await page.getByRole('button', { name: 'Close the interleaving' }).click();
  await expect(page.getByTestId('report-fallback')).toHaveCount(0);
});
