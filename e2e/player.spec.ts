/**
 * Stepping through built-in scenarios in several eras: after every step the
 * page shows what the model says (narration, threads, blocked reasons, held
 * locks, ops, violations, the diagram), and the URL follows.
 */
import { test, expect } from './support/fixtures.ts';
import { expectEra, selectEra } from './support/era.ts';
import { expectMoment, narrationAt, runOf } from './support/model.ts';

const CASES = [
  {
    id: 'del-while-open',
    era: 'before' as const,
    why: 'the GVT oops: release_work dereferences vgpu->kvm = NULL',
    kinds: ['null-deref'],
  },
  { id: 'del-while-open', era: 'after' as const, why: 'DEL no longer reaches the open device', kinds: [] },
  {
    id: 'last-ref-deadlock',
    era: 'after' as const,
    why: 'Q waits for the write side of the rwsem it holds for read',
    kinds: ['deadlock'],
  },
  // (In v5.18 GVT tears down through its own counted copy, so the swap is harmless there; the bug table's C-swap.)
  {
    id: 'set-kvm-races-open',
    era: 'before' as const,
    why: 'pointer swap: unbalanced put and use after free',
    kinds: ['unbalanced-put', 'use-after-free'],
  },
  {
    id: 'two-mdevs-same-vm',
    era: 'fixed' as const,
    why: 'four devices, the core holds its own reference',
    kinds: [],
  },
];

test.describe('stepping follows the model', () => {
  for (const c of CASES) {
    test(`${c.id} in ${c.era}: ${c.why}`, async ({ app, page }) => {
      const d = runOf(c.id, c.era);
      // What the case's name says is what the model's run shows.
      expect(d.run.violations.map((v) => v.kind)).toEqual(c.kinds);
      // Every step is taken and checked: the time grows with the run's length.
      test.setTimeout(60_000 + d.total * 1_000);
      await app.open(`?scenario=${c.id}&era=${c.era}`);
      await expectMoment(page, d, 0);
      // Checkpoints: a few evenly spaced steps, every step with a violation, the end.
      const checks = new Set<number>([1, Math.floor(d.total / 3), Math.floor((2 * d.total) / 3), d.total]);
      for (const n of d.stepViolations.keys()) checks.add(n);
      for (let n = 1; n <= d.total; n++) {
        // Alternate the keyboard and the button, as people do.
        if (n % 2) await page.keyboard.press('ArrowRight');
        else await page.getByRole('button', { name: 'Step forward' }).click();
        await expect(page.getByTestId('step-counter')).toHaveText(String(n));
        await expect(page.getByTestId('narration')).toContainText(narrationAt(d, n));
        if (checks.has(n)) await expectMoment(page, d, n);
        if (n === [...d.stepViolations.keys()][0])
          await app.shot(`${c.id}-${c.era}-first-violation-step-${n}`);
      }
      await expect(page.getByRole('button', { name: 'Step forward' })).toBeDisabled();
      await expect
        .poll(() => page.evaluate(() => location.search))
        .toBe(`?scenario=${c.id}&era=${c.era}&step=${d.total}&v=1`);
      await app.shot(`${c.id}-${c.era}-end`);
    });
  }
});

test('Step back, Reset, End and the slider', async ({ app, page }) => {
  const d = runOf('happy-path', 'after');
  await app.open('?scenario=happy-path&era=after&step=10');
  await expectMoment(page, d, 10);
  await page.getByRole('button', { name: 'Step back' }).click();
  await expectMoment(page, d, 9);
  await page.keyboard.press('ArrowLeft');
  await expectMoment(page, d, 8);
  await page.getByRole('button', { name: 'Reset' }).click();
  await expectMoment(page, d, 0);
  await expect(page.getByRole('button', { name: 'Reset' })).toBeDisabled();
  await app.blur();
  await page.keyboard.press('End');
  await expectMoment(page, d, d.total);
  await page.getByRole('slider', { name: /^Step/ }).fill('20');
  await expectMoment(page, d, 20);
});

test('Play runs to the end at full speed; Pause stops; Space toggles', async ({ app, page }) => {
  const d = runOf('last-ref-deadlock', 'after');
  await app.open('?scenario=last-ref-deadlock&era=after');
  await page.getByLabel('Speed').selectOption('60');
  await page.getByRole('button', { name: 'Play' }).click();
  await expect(page.getByRole('button', { name: 'Pause' })).toBeVisible();
  await expect(page.getByTestId('step-counter')).toHaveText(String(d.total), { timeout: 15_000 });
  await expect(page.getByRole('button', { name: 'Play' })).toBeVisible();
  await expectMoment(page, d, d.total);
  // Space on the page (not on a control) plays from the start again, then pauses.
  await page.getByLabel('Speed').selectOption('0.5');
  await app.blur();
  await page.keyboard.press('Space');
  await expect(page.getByRole('button', { name: 'Pause' })).toBeVisible();
  await expect(page.getByTestId('step-counter')).toHaveText('0');
  await page.keyboard.press('Space');
  await expect(page.getByRole('button', { name: 'Play' })).toBeVisible();
  // Space on a select or a button keeps its own meaning.
  const step = await app.step();
  await page.getByLabel('Era').focus();
  await page.keyboard.press('ArrowRight');
  await expect(page.getByTestId('step-counter')).toHaveText(String(step));
  await page.getByRole('button', { name: 'Step forward' }).focus();
  await page.keyboard.press('Space');
  await expect(page.getByTestId('step-counter')).toHaveText(String(step + 1));
  await expect(page.getByRole('button', { name: 'Play' })).toBeVisible();
});

test('at full speed the panels take turns, each at most a step behind the diagram; paused, all show the step', async ({
  app,
  page,
}) => {
  await app.open('?scenario=two-mdevs-same-vm&era=before');
  await page.getByLabel('Speed').selectOption('60');
  // Each frame: the step of the diagram, of the lock diagram and of the timeline's cursor.
  await page.evaluate(() => {
    const w = window as unknown as { __seen: number[][]; __stop: boolean };
    w.__seen = [];
    const at = (sel: string, attr: string) => Number(document.querySelector(sel)?.getAttribute(attr) ?? NaN);
    const tick = () => {
      w.__seen.push([
        at('svg[aria-labelledby="flow-title"]', 'data-step'),
        at('svg[aria-labelledby="locks-title"]', 'data-step'),
        at('svg[aria-labelledby="seq-title"]', 'data-current'),
      ]);
      if (!w.__stop) requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  });
  await page.getByRole('button', { name: 'Play' }).click();
  await expect
    .poll(async () => Number(await page.getByTestId('step-counter').textContent()), { timeout: 15_000 })
    .toBeGreaterThan(40);
  await page.getByRole('button', { name: 'Pause' }).click();
  const seen = await page.evaluate(() => {
    const w = window as unknown as { __seen: number[][]; __stop: boolean };
    w.__stop = true;
    return w.__seen;
  });
  const playing = seen.filter(([flow]) => flow! > 0 && flow! <= 40);
  expect(playing.length).toBeGreaterThan(20);
  for (const [flow, locks, seq] of playing) {
    expect(flow! - locks!).toBeGreaterThanOrEqual(0);
    expect(flow! - locks!).toBeLessThanOrEqual(1);
    expect(flow! - seq!).toBeGreaterThanOrEqual(0);
    expect(flow! - seq!).toBeLessThanOrEqual(1);
  }
  // They took turns: some frames showed a panel a step behind.
  expect(playing.some(([flow, locks]) => flow !== locks)).toBe(true);
  // Paused: every panel at the step shown, the call stack and the ops too.
  const step = await app.step();
  await expect(page.locator('svg[aria-labelledby="flow-title"]')).toHaveAttribute('data-step', String(step));
  await expect(page.locator('svg[aria-labelledby="locks-title"]')).toHaveAttribute('data-step', String(step));
  await expect(page.locator('svg[aria-labelledby="seq-title"]')).toHaveAttribute(
    'data-current',
    String(step),
  );
  await expectMoment(page, runOf('two-mdevs-same-vm', 'before'), step);
});

test('the URL reopens the same moment, and updates without history entries', async ({ app, page }) => {
  const d = runOf('open-vs-teardown-race', 'before');
  await app.open('?scenario=open-vs-teardown-race&era=before&step=5&theme=dark&v=1');
  await expectMoment(page, d, 5);
  const len = await page.evaluate(() => history.length);
  for (let i = 0; i < 7; i++) await page.keyboard.press('ArrowRight');
  await expect
    .poll(() => page.evaluate(() => location.search))
    .toBe('?scenario=open-vs-teardown-race&era=before&step=12&theme=dark&v=1');
  expect(await page.evaluate(() => history.length)).toBe(len);
  await page.reload();
  await expect(page.getByRole('button', { name: 'Step forward' })).toBeVisible();
  await expectMoment(page, d, 12);
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
});

test('scenario and era pickers', async ({ app, page }) => {
  // A v=1 link with no scenario opens the default scenario, as it always did (no parameters at all: the story).
  await app.open('?v=1');
  await expect(page.getByRole('combobox', { name: 'Scenario', exact: true })).toHaveValue('del-while-open');
  await expectEra(page, 'before');
  await page.getByRole('combobox', { name: 'Scenario', exact: true }).selectOption('gvt-ref-leak');
  const d = runOf('gvt-ref-leak', 'after');
  await expect(page.getByRole('heading', { level: 2, name: /GVT leaks a KVM reference/ })).toBeVisible();
  await expectMoment(page, d, 0);
  await expect
    .poll(() => page.evaluate(() => location.search))
    .toBe('?scenario=gvt-ref-leak&era=after&step=0&v=1');
  // The era switch keeps the place: step 30 of `after` is inside op 3; `fixed` shows the same op.
  await page.getByRole('slider', { name: /^Step/ }).fill('30');
  await selectEra(page, 'fixed');
  const f = runOf('gvt-ref-leak', 'fixed');
  const n = await app.step();
  expect(f.opOf[n - 1]).toBe(d.opOf[29]);
  await expectMoment(page, f, n);
});

test('a malformed URL shows notices and falls back to a valid state', async ({ app, page }) => {
  await app.open('?scenario=nope&era=2019&step=x&schedule=%20&theme=neon&zzz=1');
  const notices = page.getByRole('region', { name: 'Notices' });
  await expect(notices.getByRole('status')).toHaveCount(6);
  await expect(notices).toContainText('There is no built-in scenario "nope"');
  await expect(notices).toContainText('era="2019" is not an era');
  await expect(notices).toContainText('Unknown parameter "zzz"');
  await expectMoment(page, runOf('del-while-open', 'before'), 0);
  await app.shot('notices');
  const first = notices.getByRole('button', { name: 'Dismiss notice' }).first();
  await first.click();
  await expect(notices.getByRole('status')).toHaveCount(5);
  await expect
    .poll(() => page.evaluate(() => location.search))
    .toBe('?scenario=del-while-open&era=before&step=0&v=1');
});

test('a schedule that cannot replay is cut where it fails, with the reason', async ({ app, page }) => {
  await app.open('?scenario=last-ref-deadlock&era=after&schedule=Q,X,Q,Q,Nobody&step=3');
  await expect(page.getByRole('region', { name: 'Notices' })).toContainText('unknown thread "Nobody"');
  await expectMoment(page, runOf('last-ref-deadlock', 'after', ['Q', 'X', 'Q', 'Q']), 3);
});

test('prefers-reduced-motion: the diagram does not move; otherwise a pointer travels on a forward step', async ({
  app,
  page,
}) => {
  const d = runOf('del-while-open', 'before');
  // The first micro-step that moves a pointer (group->kvm := K).
  const n = d.run.records.findIndex((r) => r.effects.some((e) => e.kind === 'ptr')) + 1;
  expect(n).toBeGreaterThan(0);
  const fx = page.locator('.stage-body [data-diagram="reference-flow"] [data-layer="fx"] > *');
  // What the step adds to the diagram's fx layer, counted in the page as it happens: the travelling pointer
  // is there for a moment only, which a poll from here can miss on a busy machine.
  const watchFx = () =>
    page.evaluate(() => {
      const w = window as unknown as { fxAdded: number };
      w.fxAdded = 0;
      new MutationObserver((records) => {
        for (const r of records)
          for (const node of r.addedNodes) {
            if (!(node instanceof Element)) continue;
            if ((r.target as Element).matches('[data-layer="fx"]')) w.fxAdded++;
            w.fxAdded += node.querySelectorAll('[data-layer="fx"] > *').length;
          }
      }).observe(document.querySelector('.stage-body [data-diagram="reference-flow"]')!, {
        childList: true,
        subtree: true,
      });
    });
  const fxAdded = () => page.evaluate(() => (window as unknown as { fxAdded: number }).fxAdded);

  await page.emulateMedia({ reducedMotion: 'no-preference' });
  await app.open(`?scenario=del-while-open&era=before&step=${n - 1}`);
  await watchFx();
  await page.keyboard.press('ArrowRight');
  await expect.poll(fxAdded).toBeGreaterThan(0);

  await page.emulateMedia({ reducedMotion: 'reduce' });
  await app.open(`?scenario=del-while-open&era=before&step=${n - 1}`);
  await watchFx();
  await page.keyboard.press('ArrowRight');
  await expect(page.getByTestId('step-counter')).toHaveText(String(n));
  await page.waitForTimeout(100);
  expect(await fxAdded()).toBe(0);
  await expect(fx).toHaveCount(0);
  await expectMoment(page, d, n);
});
