/**
 * The whole picture on one screen: at 1280×720 and 1440×900, at the
 * violation moment of the main scenarios, the reference-flow diagram, the
 * lock view and the call stack of the thread that crashed or is stuck are all
 * inside the viewport, above the player bar, with no scrolling; the header is
 * one compact row. Screenshots of each, light and dark, go to the report.
 */
import { test, expect } from './support/fixtures.ts';
import { OOPS, runOf } from './support/model.ts';
import { inView } from './support/inView.ts';

const SIZES = [
  { width: 1280, height: 720 },
  { width: 1440, height: 900 },
];

const MOMENTS = [
  { id: 'del-while-open', era: 'before', kind: 'null-deref', thread: 'W', why: 'the GVT oops' },
  { id: 'last-ref-deadlock', era: 'after', kind: 'deadlock', thread: 'Q', why: 'the self-deadlock' },
  { id: 'gvt-ref-leak', era: 'after', kind: 'refcount-leak', thread: null, why: 'the leak' },
] as const;

for (const size of SIZES)
  for (const m of MOMENTS)
    test(`${size.width}×${size.height}: ${m.why} (${m.id} in ${m.era}) in one view`, async ({
      app,
      page,
    }) => {
      const d = runOf(m.id, m.era);
      const v = d.run.violations.find((x) => x.kind === m.kind)!;
      await page.setViewportSize(size);
      for (const scheme of ['light', 'dark'] as const) {
        await page.emulateMedia({ colorScheme: scheme });
        await app.open(`?scenario=${m.id}&era=${m.era}&step=${v.step}`);
        await expect(page.getByTestId('violation-alert')).toContainText(`Violation (${m.kind})`);
        expect(await page.evaluate(() => scrollY)).toBe(0);
        // A compact header: one row.
        expect((await page.locator('header.top').boundingBox())!.height).toBeLessThanOrEqual(64);
        const flow = page.getByRole('img', { name: /^KVM reference flow/ });
        await inView(page, 'the reference flow', flow);
        // …drawn large enough to read: not scaled below 60 %.
        const scale = await flow.evaluate((svg) => {
          const [, , w, h] = svg.getAttribute('viewBox')!.split(' ').map(Number);
          const r = svg.getBoundingClientRect();
          return Math.min(r.width / w!, r.height / h!);
        });
        expect(scale).toBeGreaterThanOrEqual(0.6);
        await inView(page, 'the lock view', page.getByRole('img', { name: /^Locks/ }));
        if (m.thread) {
          const stack = page.getByRole('region', { name: `Call stack of ${m.thread}` });
          await expect(stack).toBeVisible();
          await inView(page, `the call stack of ${m.thread}`, stack);
        }
        await inView(page, 'the active thread', page.locator('.thread-card[data-active="true"]'));
        await app.shot(`${size.width}x${size.height}-${m.id}-${m.era}-${scheme}`);
      }
    });

test('Go to step from the timeline brings the diagram back into view', async ({ app, page }) => {
  await page.setViewportSize({ width: 1280, height: 720 });
  await app.open('?scenario=del-while-open&era=before');
  const go = page.getByRole('button', { name: `Go to step ${OOPS.step}` });
  await go.scrollIntoViewIfNeeded();
  expect(await page.evaluate(() => scrollY)).toBeGreaterThan(0);
  await go.click();
  await expect(page.getByTestId('step-counter')).toHaveText(String(OOPS.step));
  await expect.poll(() => page.evaluate(() => scrollY)).toBe(0);
  await inView(page, 'the reference flow', page.getByRole('img', { name: /^KVM reference flow/ }));
  await expect(page.getByTestId('violation-alert')).toContainText('Violation (null-deref)');
});
