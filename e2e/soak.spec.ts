/**
 * Soak (issue 6): autoplay at full speed through every built-in scenario in
 * turn, then keep going for SOAK_STEPS steps (default 800 here, about one
 * more cycle; `npm run bench` runs 10 000). The JS heap after a forced GC
 * must not grow by 10 % or more over the warmed-up baseline, and the page
 * must log no error (the fixture fails the test on any console or page
 * error). How it is measured: e2e/support/soak.ts.
 */
import { test, expect } from './support/fixtures.ts';
import { BUILTINS, getRun } from './support/app.ts';
import { soak } from './support/soak.ts';

const STEPS = Number(process.env.SOAK_STEPS ?? 800);
const MAX_GROWTH = 0.1;

// Playwright's trace records a screencast of the whole run: that would be the heaviest thing on the page.
test.use({ trace: 'off' });

test('soak: autoplay through every scenario, again and again; the heap stays flat, no errors', async ({
  app,
  page,
}, testInfo) => {
  const scenarios = BUILTINS.map((s) => ({ id: s.id, total: getRun(s, s.era, s.schedule ?? []).total }));
  const cycle = scenarios.reduce((a, s) => a + s.total, 0);
  // Full speed is at most 60 steps/s; leave room for a slow machine.
  test.setTimeout(60_000 + (cycle + STEPS) * 60);
  await app.open(`?scenario=${scenarios[0]!.id}`);
  const r = await soak(page, { steps: STEPS, scenarios });
  const mb = (b: number) => `${(b / 1e6).toFixed(2)} MB`;
  await testInfo.attach('soak.json', { body: JSON.stringify(r, null, 2), contentType: 'application/json' });
  testInfo.annotations.push({
    type: 'soak',
    description: `${r.steps} steps in ${(r.ms / 1000).toFixed(1)} s after a ${r.warmupSteps}-step warm-up; heap ${mb(r.heapBaselineBytes)} → ${mb(r.heapEndBytes)} (${(r.heapGrowth * 100).toFixed(1)} %)`,
  });
  expect(r.steps).toBeGreaterThanOrEqual(STEPS);
  expect(
    r.heapGrowth,
    `heap after GC: ${mb(r.heapBaselineBytes)} at the baseline, ${mb(r.heapEndBytes)} after ${r.steps} steps`,
  ).toBeLessThan(MAX_GROWTH);
  // Still usable at the end.
  const n = await app.step();
  await page.getByRole('button', { name: 'Step back' }).click();
  await expect(page.getByTestId('step-counter')).toHaveText(String(n - 1));
});
