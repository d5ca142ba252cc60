/**
 * The main states at 360, 768 and 1400 px, light and dark, attached to the
 * report; no layout is wider than the screen (no horizontal scroll on phones).
 */
import { test, expect } from './support/fixtures.ts';
import { OOPS } from './support/model.ts';

const WIDTHS = [
  { w: 360, h: 780, name: 'phone' },
  { w: 768, h: 1024, name: 'tablet' },
  { w: 1400, h: 900, name: 'wide' },
];

for (const scheme of ['light', 'dark'] as const) {
  for (const { w, h, name } of WIDTHS) {
    test(`${name} ${w}px, ${scheme}`, async ({ app, page }) => {
      await page.emulateMedia({ colorScheme: scheme });
      await page.setViewportSize({ width: w, height: h });
      const noOverflow = async (what: string) =>
        expect(
          await page.evaluate(() => document.documentElement.scrollWidth),
          `no horizontal scroll: ${what}`,
        ).toBeLessThanOrEqual(w);

      await app.open();
      await expect(page.locator('html')).toHaveAttribute('data-theme', scheme);
      await app.shot(`${name}-${scheme}-first-view`);
      await noOverflow('first view');

      await app.open(`?scenario=del-while-open&era=before&step=${OOPS.step}`);
      await expect(page.getByTestId('violation-alert')).toContainText('null-deref');
      await app.shot(`${name}-${scheme}-oops`);
      await app.shot(`${name}-${scheme}-oops-full`, { fullPage: true });
      await noOverflow('the oops');

      await app.open('?scenario=last-ref-deadlock&era=after&step=32');
      await page.getByRole('checkbox', { name: 'Scheduler mode' }).check();
      await page.getByRole('region', { name: 'Threads' }).scrollIntoViewIfNeeded();
      await app.shot(`${name}-${scheme}-deadlock-threads`);
      await noOverflow('the deadlock');

      await page.getByRole('button', { name: 'Compare eras' }).click();
      await expect(page.getByTestId('diff-banner')).toBeVisible();
      await page.getByRole('heading', { name: 'Side by side' }).scrollIntoViewIfNeeded();
      await app.shot(`${name}-${scheme}-compare`);
      await noOverflow('side by side');

      await page.getByRole('button', { name: 'Explore all interleavings' }).click();
      await expect(page.getByTestId('explore-result')).toBeVisible({ timeout: 30_000 });
      await page.getByTestId('explore-result').scrollIntoViewIfNeeded();
      await app.shot(`${name}-${scheme}-explorer`);
      await noOverflow('explorer results');

      await page.getByText('Your own scenario').click();
      await page
        .getByRole('textbox', { name: 'Scenario JSON' })
        .fill(
          '{"schema":"vfio-kvm-scenario/1","id":"x","title":"t","era":"after","vms":["K"],"devices":[],"steps":[{"thread":"Q","op":"open_device","device":"D"}]}',
        );
      await page.getByRole('button', { name: 'Check and run' }).click();
      await page.getByRole('alert').filter({ hasText: 'nothing was loaded' }).scrollIntoViewIfNeeded();
      await app.shot(`${name}-${scheme}-editor`);
      await noOverflow('editor');
    });
  }
}
