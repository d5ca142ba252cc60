/**
 * The address while playing: rewritten at most once per interval during
 * autoplay (src/view/Effects.tsx), not at all at full speed, and at once when
 * play stops, so a link copied right after Pause is the moment on the screen.
 */
import { test, expect } from './support/fixtures.ts';
import { maxSpeedLabel } from './support/soak.ts';

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

test('at full speed the address waits for play to stop, then is the moment it stopped on', async ({
  app,
  page,
}) => {
  await app.open('?scenario=two-mdevs-same-vm&era=before&v=1');
  await page.getByLabel('Speed').selectOption({ label: await maxSpeedLabel(page) });
  // Every address the page holds, frame by frame, until the run's last step is shown.
  await page.evaluate(() => {
    const seen: string[] = [];
    (window as unknown as { seen: string[] }).seen = seen;
    const tick = () => {
      if (document.querySelector('[data-testid="step-counter"]')?.textContent === '128') return;
      seen.push(location.search);
      requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  });
  await page.getByRole('button', { name: 'Play', exact: true }).click();
  await expect(page.getByTestId('step-counter')).toHaveText('128', { timeout: 20_000 });
  await expect(page.getByRole('button', { name: 'Play', exact: true })).toBeVisible();
  const seen = await page.evaluate(() => (window as unknown as { seen: string[] }).seen);
  const steps = new Set(seen.map((q) => new URLSearchParams(q).get('step')));
  expect(steps.size, `addresses while playing: ${[...steps].join(', ')}`).toBe(1);
  await expect.poll(() => page.evaluate(() => new URLSearchParams(location.search).get('step'))).toBe('128');
});
