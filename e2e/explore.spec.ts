/**
 * Counterexamples: the explorer runs in a Web Worker with a progress bar,
 * lists each violation kind with its shortest schedule, and "Replay" loads
 * that schedule and plays it from step 0 to the step where the violation
 * shows (skippable), with the diagram in view; the counterexample is in the
 * address, and the link replays it.
 */
import { test, expect, appReady } from './support/fixtures.ts';
import { builtin, encodeBase64Url, exploreScenario } from './support/app.ts';
import { expectMoment, runOf } from './support/model.ts';

test('last-ref-deadlock in after: explore, list, replay the shortest schedule', async ({ app, page }) => {
  const x = exploreScenario(builtin('last-ref-deadlock')!, { era: 'after' });
  expect(x.complete).toBe(true);
  expect(x.violations.length).toBeGreaterThan(0);
  await app.open('?scenario=last-ref-deadlock&era=after');
  await page.getByRole('button', { name: 'Explore all interleavings' }).click();
  const result = page.getByTestId('explore-result');
  await expect(result).toBeVisible({ timeout: 30_000 });
  await expect(result).toContainText(
    `Complete: ${x.states.toLocaleString('en')} states, ${x.transitions.toLocaleString('en')} transitions`,
  );
  const items = result.locator('li.violation');
  await expect(items).toHaveCount(x.violations.length);
  for (const [i, v] of x.violations.entries()) {
    await expect(items.nth(i)).toHaveAttribute('data-kind', v.kind);
    await expect(items.nth(i)).toContainText(`${v.schedule.length} micro-steps`);
  }
  await app.shot('explorer-results');

  for (const v of x.violations.filter((k) => k.kind === 'deadlock' || k.kind === 'use-after-free')) {
    const replay = result.getByRole('button', { name: `Replay ${v.kind} (${v.schedule.length} steps)` });
    await replay.scrollIntoViewIfNeeded();
    await replay.click();
    // From step 0, playing, with the diagram in view…
    await expect(page.getByRole('button', { name: 'Pause', exact: true })).toBeVisible();
    expect(Number(await page.getByTestId('step-counter').textContent())).toBeLessThan(v.step);
    await expect.poll(() => page.evaluate(() => scrollY)).toBe(0);
    await expect(page.getByTestId('counterexample')).toContainText(`Counterexample: ${v.kind}`);
    // …to the violation, where it stops.
    await expect(page.getByTestId('step-counter')).toHaveText(String(v.step), { timeout: 15_000 });
    await expect(page.getByRole('button', { name: 'Play', exact: true })).toBeVisible();
    await expect
      .poll(() => page.evaluate(() => location.search))
      .toBe(
        `?scenario=last-ref-deadlock&era=after&step=${v.step}&schedule=${v.schedule.join(',')}&counterexample=${v.kind}&v=1`,
      );
    const d = runOf('last-ref-deadlock', 'after', v.schedule);
    await expectMoment(page, d, v.step);
    await expect(page.getByTestId('violation-alert')).toContainText(`Violation (${v.kind})`);
    await app.shot(`replay-${v.kind}`);
  }
});

test('a counterexample link replays it; Skip goes straight to the violation', async ({ app, page }) => {
  const x = exploreScenario(builtin('last-ref-deadlock')!, { era: 'after' });
  const v = x.violations.find((k) => k.kind === 'deadlock')!;
  await page.goto(
    `/?scenario=last-ref-deadlock&era=after&schedule=${v.schedule.join(',')}&counterexample=deadlock&v=1`,
  );
  await appReady(page);
  await expect(page.getByRole('button', { name: 'Pause', exact: true })).toBeVisible();
  await page.getByRole('button', { name: 'Skip to the violation' }).click();
  await expect(page.getByTestId('step-counter')).toHaveText(String(v.step));
  await expect(page.getByRole('button', { name: 'Play', exact: true })).toBeVisible();
  await expect(page.getByTestId('violation-alert')).toContainText('Violation (deadlock)');
  await expectMoment(page, runOf('last-ref-deadlock', 'after', v.schedule), v.step);
  // Replay from step 0 again, from the bar.
  await page.getByRole('button', { name: 'Replay from step 0' }).click();
  await expect(page.getByRole('button', { name: 'Pause', exact: true })).toBeVisible();
  await expect(page.getByTestId('step-counter')).toHaveText(String(v.step), { timeout: 15_000 });
  void app;
});

/** Six threads racing on two groups and a VM: far too many states to finish before Cancel. */
const BIG = {
  schema: 'vfio-kvm-scenario/1',
  id: 'big-race',
  title: 'Six threads, two groups, one VM',
  era: 'v5.18',
  vms: ['K'],
  devices: [
    { id: 'D', driver: 'gvt', group: 'G' },
    { id: 'A', driver: 'vfio-ap', group: 'G2' },
  ],
  steps: [
    { thread: 'Q', op: 'kvm_add_group', vm: 'K', group: 'G' },
    { thread: 'Q', op: 'open_device', device: 'D' },
    { thread: 'Q', op: 'close_device', device: 'D' },
    { thread: 'Q2', op: 'kvm_add_group', vm: 'K', group: 'G2' },
    { thread: 'Q2', op: 'open_device', device: 'A' },
    { thread: 'Q2', op: 'close_device', device: 'A' },
    { thread: 'KV', op: 'kvm_del_group', vm: 'K', group: 'G' },
    { thread: 'KV2', op: 'kvm_del_group', vm: 'K', group: 'G2' },
    { thread: 'W', op: 'run_work' },
    { thread: 'X', op: 'close_vm', vm: 'K' },
  ],
};

test('the progress bar shows while a big search runs, and Cancel stops it', async ({ app, page }) => {
  await app.open(`#scenario=${encodeBase64Url(JSON.stringify(BIG))}`);
  await page.getByRole('button', { name: 'Explore all interleavings' }).click();
  const progress = page.getByTestId('explore-progress');
  await expect(progress).toContainText(/Exploring: [\d,]+ of [\d,]+ states expanded/);
  const bar = page.getByRole('progressbar', { name: /^Exploring: / });
  await expect(bar).toBeVisible();
  expect(Number(await bar.getAttribute('max'))).toBeGreaterThan(0);
  await app.shot('explorer-progress');
  await page.getByRole('button', { name: 'Cancel' }).click();
  await expect(page.getByRole('button', { name: 'Explore all interleavings' })).toBeVisible();
  await expect(page.getByRole('progressbar')).toHaveCount(0);
  await expect(page.getByTestId('explore-result')).toHaveCount(0);
});

test('a scenario with no violation says so', async ({ app, page }) => {
  const x = exploreScenario(builtin('happy-path')!, { era: 'after' });
  await app.open('?scenario=happy-path&era=after');
  await page.getByRole('button', { name: 'Explore all interleavings' }).click();
  const result = page.getByTestId('explore-result');
  await expect(result).toBeVisible({ timeout: 30_000 });
  if (x.violations.length === 0) await expect(result).toContainText('No interleaving reaches a violation');
  else await expect(result.locator('li.violation')).toHaveCount(x.violations.length);
});
