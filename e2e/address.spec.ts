/**
 * The address while playing: rewritten at most once per interval during
 * autoplay (src/view/Effects.tsx), and at once when play stops, so a link
 * copied right after Pause is the moment on the screen.
 */
import { test, expect } from './support/fixtures.ts';

test('pausing autoplay writes the moment it stopped on to the address at once', async ({ app, page }) => {
  await app.open('?scenario=two-mdevs-same-vm&era=before&v=1');
  await page.getByLabel('Speed').selectOption('8');
  await page.getByRole('button', { name: 'Play', exact: true }).click();
  await expect.poll(() => app.step()).toBeGreaterThan(3);
  await page.getByRole('button', { name: 'Pause', exact: true }).click();
  const [search, counter] = await page.evaluate(() => [
    location.search,
    document.querySelector('[data-testid="step-counter"]')!.textContent,
  ]);
  expect(new URLSearchParams(search!).get('step')).toBe(counter);
});
