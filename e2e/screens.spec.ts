/**
 * The main states at 360, 768 and 1400 px, light and dark, attached to the
 * report; no layout is wider than the screen (no horizontal scroll on phones).
 * Each state is shot light, then dark: the page follows the system's scheme as it changes.
 */
import { test, expect } from './support/fixtures.ts';
import { OOPS } from './support/model.ts';

const WIDTHS = [
  { w: 360, h: 780, name: 'phone' },
  { w: 768, h: 1024, name: 'tablet' },
  { w: 1400, h: 900, name: 'wide' },
];

for (const { w, h, name } of WIDTHS) {
  test(`${name} ${w}px, light and dark`, async ({ app, page }) => {
    await page.setViewportSize({ width: w, height: h });
    /** The state as it is, light then dark (then light again for the next): shot, and no horizontal scroll. */
    const both = async (what: string, shot: string, opts?: { fullPage: boolean }) => {
      for (const scheme of ['light', 'dark'] as const) {
        await page.emulateMedia({ colorScheme: scheme });
        await expect(page.locator('html')).toHaveAttribute('data-theme', scheme);
        await app.shot(`${name}-${scheme}-${shot}`, opts);
        expect(
          await page.evaluate(() => document.documentElement.scrollWidth),
          `no horizontal scroll: ${what}, ${scheme}`,
        ).toBeLessThanOrEqual(w);
      }
      await page.emulateMedia({ colorScheme: 'light' });
    };

    await page.emulateMedia({ colorScheme: 'light' });
    await app.open();
    await both('first view', 'first-view');
    // Each picker's label is read whole: its text ends before its control begins.
    const labels = await page.evaluate(() =>
      [...document.querySelectorAll('.pickers .field')].map((f) => {
        const label = f.querySelector('label, .field-label')!;
        const range = document.createRange();
        range.selectNodeContents(label);
        const control = f.querySelector('select, button')!.getBoundingClientRect();
        return {
          label: label.textContent,
          textEnd: range.getBoundingClientRect().right,
          control: control.left,
        };
      }),
    );
    expect(labels.length).toBe(3);
    for (const l of labels) expect(l.textEnd, `the "${l.label}" label`).toBeLessThanOrEqual(l.control);

    await app.open(`?scenario=del-while-open&era=before&step=${OOPS.step}`);
    await expect(page.getByTestId('violation-alert')).toContainText('null-deref');
    await both('the oops', 'oops');
    await both('the oops, the whole page', 'oops-full', { fullPage: true });

    await app.open('?scenario=last-ref-deadlock&era=after&step=32');
    await page.getByRole('checkbox', { name: 'Scheduler mode' }).check();
    await page.getByRole('region', { name: 'Threads' }).scrollIntoViewIfNeeded();
    await both('the deadlock', 'deadlock-threads');

    await page.getByRole('button', { name: 'Compare eras' }).click();
    await expect(page.getByTestId('diff-banner')).toBeVisible();
    await page.getByRole('heading', { name: 'Side by side' }).scrollIntoViewIfNeeded();
    await both('side by side', 'compare');

    await page.getByRole('button', { name: 'Explore all interleavings' }).click();
    await expect(page.getByTestId('explore-result')).toBeVisible({ timeout: 30_000 });
    await page.getByTestId('explore-result').scrollIntoViewIfNeeded();
    await both('explorer results', 'explorer');

    await page.getByText('Your own scenario').click();
    await page
      .getByRole('textbox', { name: 'Scenario JSON' })
      .fill(
        '{"schema":"vfio-kvm-scenario/1","id":"x","title":"t","era":"after","vms":["K"],"devices":[],"steps":[{"thread":"Q","op":"open_device","device":"D"}]}',
      );
    await page.getByRole('button', { name: 'Check and run' }).click();
    await page.getByRole('alert').filter({ hasText: 'nothing was loaded' }).scrollIntoViewIfNeeded();
    await both('editor', 'editor');
  });
}
