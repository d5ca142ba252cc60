/** axe (wcag2a/aa, wcag21a/aa) on the main states of the page, light and dark, wide and phone: zero violations. */
import AxeBuilder from '@axe-core/playwright';
import { test, expect } from './support/fixtures.ts';
import { OOPS } from './support/model.ts';

const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

async function scan(page: import('@playwright/test').Page, what: string) {
  const r = await new AxeBuilder({ page }).withTags(TAGS).analyze();
  const summary = r.violations.map(
    (v) =>
      `${v.id} (${v.impact}): ${v.help}\n  ${v.nodes
        .map((n) => n.target.join(' '))
        .slice(0, 5)
        .join('\n  ')}`,
  );
  expect(summary, `axe violations in ${what}`).toEqual([]);
  expect(r.passes.length, 'the scan ran').toBeGreaterThan(10);
}

for (const scheme of ['light', 'dark'] as const) {
  test.describe(`${scheme} theme`, () => {
    test.use({ colorScheme: scheme });

    // One page state a test (three loads and scans in one test outgrew its minute on a busy machine).
    for (const [what, query] of [
      ['the default page', ''],
      ['mid-run with a blocked thread (a deadlock)', '?scenario=last-ref-deadlock&era=after&step=32'],
      ['at a violation (the GVT oops)', `?scenario=del-while-open&era=before&step=${OOPS.step}`],
    ] as const)
      test(what, async ({ app, page }) => {
        await app.open(query);
        await scan(page, what);
      });

    test('scheduler mode, side by side, explorer results, editor errors, notices', async ({ app, page }) => {
      // An exhaustive exploration runs in it: room for a busy machine.
      test.setTimeout(120_000);
      await app.open('?scenario=open-vs-teardown-race&era=after&step=3&bogus=1');
      await page.getByRole('checkbox', { name: 'Scheduler mode' }).check();
      await page.getByRole('button', { name: 'Compare eras' }).click();
      await expect(page.getByTestId('diff-banner')).toBeVisible();
      await page.getByRole('button', { name: 'Explore all interleavings' }).click();
      await expect(page.getByTestId('explore-result')).toBeVisible({ timeout: 30_000 });
      await page.getByText('Your own scenario').click();
      await page.getByRole('textbox', { name: 'Scenario JSON' }).fill('{"schema": 1}');
      await page.getByRole('button', { name: 'Check and run' }).click();
      await expect(page.getByRole('alert').filter({ hasText: 'nothing was loaded' })).toBeVisible();
      await scan(page, 'everything open');
    });

    test('a phone, 360 px wide', async ({ app, page }) => {
      await page.setViewportSize({ width: 360, height: 780 });
      await app.open('?scenario=del-while-open&era=before&step=41');
      await page.locator('details.as-text').evaluate((d) => ((d as HTMLDetailsElement).open = true));
      await expect(page.getByTestId('flow-nodes')).toBeVisible();
      await scan(page, 'a phone');
    });
  });
}

test('the diagram as text is written when it is opened, one line per object and arrow, and follows the step', async ({
  app,
  page,
}) => {
  await app.open(`?scenario=del-while-open&era=before&step=${OOPS.step - 3}`);
  const flow = page.locator('svg[data-diagram="reference-flow"]');
  const nodes = page.getByTestId('flow-nodes').locator('li');
  const edges = page.getByTestId('flow-edges').locator('li');
  await expect(page.getByTestId('flow-nodes')).toHaveCount(0);
  await page.locator('details.as-text summary').click();
  const check = async () => {
    await expect(nodes).toHaveCount(await flow.locator('[data-node]').count());
    await expect(edges).toHaveCount(await flow.locator('[data-edge]').count());
  };
  await check();
  const before = await page.getByTestId('flow-edges').innerText();
  await page.getByRole('button', { name: 'Step forward' }).click();
  await page.getByRole('button', { name: 'Step forward' }).click();
  await page.getByRole('button', { name: 'Step forward' }).click();
  await expect(flow).toHaveAttribute('data-step', String(OOPS.step));
  await check();
  await expect(page.getByTestId('flow-nodes')).toContainText(/./);
  expect(await page.getByTestId('flow-edges').innerText()).not.toBe(before);
});
