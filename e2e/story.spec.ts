/**
 * The guided story (src/scenarios/story.ts) in the page: every chapter's
 * permalink plays to its moment; the front page opens chapter 1; stepping
 * through all chapters in order (Next chapter) reaches each stated outcome;
 * at 1280×720 and 1440×900 (and 1180×720, the narrowest workspace), at each
 * violation moment, the diagram, the lock view and the call stack of the
 * thread that crashed or is stuck are inside the viewport, above the player
 * bar. Screenshots of every chapter at those sizes, light and dark, go to the
 * report. The moments and outcomes come from the model (chapterRun), never
 * from this file.
 */
import type { Page } from '@playwright/test';
import { test, expect, arrive } from './support/fixtures.ts';
import { chapterRun, FIRST_CHAPTER, STORY } from './support/app.ts';
import { eraControl, expectEra, selectEra } from './support/era.ts';
import { inView } from './support/inView.ts';

const SIZES = [
  { width: 1280, height: 720 },
  { width: 1440, height: 900 },
  // The narrowest window with the workspace: the side column is narrower, the chapter's column is not.
  { width: 1180, height: 720 },
];

type StoryChapter = (typeof STORY)[number];

function storyNav(page: Page) {
  return page.getByRole('navigation', { name: 'Story', exact: true });
}

/** The chapter shown has played to its moment: the step, the words, the address, the alert. */
async function expectAtMoment(page: Page, c: StoryChapter): Promise<void> {
  const r = chapterRun(c.id);
  await expect(page.getByTestId('step-counter')).toHaveText(String(r.moment), {
    // Autoplay's pace is a few seconds; a loaded machine stretches it.
    timeout: 60_000,
  });
  await expect(page.getByRole('button', { name: 'Play', exact: true })).toBeVisible();
  await expect(page.getByTestId('story-moment')).toContainText(`Here, at step ${r.moment}`);
  await expect(storyNav(page).locator('a[aria-current="step"]')).toHaveAccessibleName(
    `${STORY.indexOf(c) + 1}. ${c.title}`,
  );
  await expect(page.getByRole('heading', { level: 2, name: new RegExp(escape(c.title)) })).toBeVisible();
  await expectEra(page, c.era);
  await expect(page.getByRole('combobox', { name: 'Scenario', exact: true })).toHaveValue(c.scenario);
  await expect.poll(() => page.evaluate(() => location.search)).toBe(`?chapter=${c.id}&v=1`);
  const alert = page.getByTestId('violation-alert');
  if (c.outcome === 'clean') {
    await expect(alert).not.toContainText('Violation');
    await expect(page.getByTestId('story-moment')).toContainText('no violation in this run');
  } else await expect(alert).toContainText(`Violation (${c.outcome})`);
}

/**
 * Open the page at a chapter (or the front page): it plays from step 0, so the
 * panels below stay busy until it stops; wait for the first view only.
 */
async function openStory(page: Page, query = ''): Promise<void> {
  await page.goto(`/${query}`);
  await arrive(page);
  await expect(page.getByRole('button', { name: 'Step forward' })).toBeVisible();
  await expect(page.getByRole('img', { name: /^KVM reference flow/ }).first()).toBeVisible();
  await expect(storyNav(page)).toBeVisible();
}

/** Skip to the moment, unless the chapter got there first (a short one plays in three seconds). */
async function skip(page: Page): Promise<void> {
  const b = page.getByRole('button', { name: 'Skip to the moment' });
  await b.click({ timeout: 2000 }).catch(() => undefined);
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

test('the front page opens the story at its first chapter and plays to its moment', async ({ app, page }) => {
  test.setTimeout(120_000);
  void app;
  await page.addInitScript(() => {
    const w = window as unknown as { __steps: string[] };
    w.__steps = [];
    const sample = () => {
      const t = document.querySelector('[data-testid="step-counter"]')?.textContent;
      if (t != null && w.__steps[w.__steps.length - 1] !== t) w.__steps.push(t);
      requestAnimationFrame(sample);
    };
    requestAnimationFrame(sample);
  });
  await openStory(page);
  await expect(storyNav(page).getByRole('link')).toHaveCount(STORY.length);
  // One link per chapter, each its permalink.
  for (const [i, c] of STORY.entries()) {
    const link = storyNav(page).getByRole('link', { name: `${i + 1}. ${c.title}`, exact: true });
    await expect(link).toHaveAttribute('href', `?chapter=${c.id}&v=1`);
  }
  const first = STORY.find((c) => c.id === FIRST_CHAPTER)!;
  await expectAtMoment(page, first);
  // It played from step 0 and stopped at the moment (the counter, sampled from
  // the first paint on). Read only once it has stopped: on a slow machine the
  // checks above can finish while it is still at its first steps.
  const seen = await page.evaluate(() => (window as unknown as { __steps: string[] }).__steps);
  expect(seen[0]).toBe('0');
  expect(seen[seen.length - 1]).toBe(String(chapterRun(first.id).moment));
  expect(new Set(seen).size).toBeGreaterThan(3);
  expect(seen.map(Number)).toEqual([...seen.map(Number)].sort((a, b) => a - b));
  expect(await page.evaluate(() => scrollY)).toBe(0);
});

test('stepping through all chapters in order reaches each stated outcome (Next chapter; Skip on every other one)', async ({
  app,
  page,
}) => {
  test.setTimeout(400_000);
  void app;
  await openStory(page);
  for (const [i, c] of STORY.entries()) {
    if (i > 0) {
      await page.getByRole('button', { name: 'Next chapter' }).click();
      if (i % 2 === 1) await skip(page);
    }
    await expectAtMoment(page, c);
  }
  await expect(page.getByRole('button', { name: 'Next chapter' })).toBeDisabled();
  await page.getByRole('button', { name: 'Previous chapter' }).click();
  await skip(page);
  await expectAtMoment(page, STORY[STORY.length - 2]!);
});

test('a reader leaves the story by exploring, and comes back', async ({ app, page }) => {
  test.setTimeout(180_000);
  const c = STORY.find((x) => x.id === 'oops')!;
  void app;
  await openStory(page, `?chapter=${c.id}`);
  await skip(page);
  await expectAtMoment(page, c);
  const moment = chapterRun(c.id).moment;
  // Stepping back leaves the story: the address becomes the moment's own.
  await app.blur();
  await page.keyboard.press('ArrowLeft');
  await expect(page.getByTestId('step-counter')).toHaveText(String(moment - 1));
  await expect
    .poll(() => page.evaluate(() => location.search))
    .toBe(`?scenario=${c.scenario}&era=${c.era}&step=${moment - 1}&v=1`);
  await expect(storyNav(page).locator('a[aria-current="step"]')).toHaveCount(0);
  // Changing the era explores on, too.
  await selectEra(page, 'after');
  await expect
    .poll(() => page.evaluate(() => location.search))
    .toMatch(/^\?scenario=del-after-open&era=after&/);
  // And back.
  await page.getByRole('link', { name: `Back to chapter 2: ${c.title}` }).click();
  await skip(page);
  await expectAtMoment(page, c);
});

test('an unknown chapter: a notice, and the story opens at its first chapter', async ({ app, page }) => {
  test.setTimeout(120_000);
  void app;
  await openStory(page, '?chapter=no-such-chapter&v=1');
  await expect(page.locator('[data-notice="chapter"]')).toContainText('is not a chapter of the story');
  await expectAtMoment(page, STORY[0]!);
});

test('on a 320-px phone no chapter widens the page: long titles (the chapter’s, its era’s) are cut short', async ({
  app,
  page,
}) => {
  test.setTimeout(120_000);
  await page.setViewportSize({ width: 320, height: 640 });
  for (const c of STORY) {
    await app.open(`?chapter=${c.id}&v=1`);
    const wide = await page.evaluate(() => document.documentElement.scrollWidth);
    expect(wide, `chapter ${c.id}: the page's width`).toBeLessThanOrEqual(320);
  }
});

test('the era control is the history as a timeline: keyboard and phone', async ({ app, page }) => {
  await app.open('?scenario=del-while-open&era=before&step=3&v=1');
  const era = eraControl(page);
  await expectEra(page, 'before');
  await era.focus();
  await page.keyboard.press('Enter');
  const list = page.getByRole('listbox', { name: 'Timeline of the change' });
  await expect(list.getByRole('option')).toHaveCount(12);
  await expect(list.getByRole('option', { selected: true })).toHaveAttribute('data-era', 'before');
  // Oldest first, each with its commit (or patch), date, subject and the comment or report behind it.
  const first = list.getByRole('option').first();
  await expect(first).toContainText('4b0986a3613c');
  await expect(first).toContainText('2022-05-22');
  await expect(first).toContainText('Linux 5.18');
  await expect(list.getByRole('option').last()).toContainText('Dmitry Torokhov');
  // → does not step the player while the control has the focus; ↓ ↓ Enter chooses v2.
  await page.keyboard.press('ArrowRight');
  await expect(page.getByTestId('step-counter')).toHaveText('3');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');
  await expect(list).toHaveCount(0);
  await expectEra(page, 'v2');
  await expect(era).toBeFocused();
  // Escape closes without choosing.
  await page.keyboard.press('ArrowDown');
  await expect(list).toBeVisible();
  await page.keyboard.press('End');
  await page.keyboard.press('Escape');
  await expect(list).toHaveCount(0);
  await expectEra(page, 'v2');
  // On a phone the timeline fits the screen and scrolls inside.
  await page.setViewportSize({ width: 390, height: 844 });
  await era.click();
  await inView(page, 'the timeline on a phone', list);
  await list.locator('[data-era="fixed"]').click();
  await expectEra(page, 'fixed');
});

/**
 * Each chapter's permalink, opened at 1280×720 and left to play: every chapter's permalink opens its
 * moment by itself, with no notice. Then, at that moment, light and dark, at 1280×720 and again with the
 * window made 1440×900, then 1180×720: the diagram, the chapter (its whole title, all its sentences, none
 * left to scroll to) and, at a violation, the violation named in the player bar, the locks and the stuck
 * thread's call stack are in view.
 */
test.describe(`${SIZES.map((z) => `${z.width}×${z.height}`).join(', ')}: each chapter at its moment, light and dark`, () => {
  for (const [i, c] of STORY.entries())
    test(`${c.id}: the permalink plays ${c.scenario} in ${c.era} to its moment (→ ${c.outcome}); at a violation the diagram, the locks and the stuck thread's call stack are in view`, async ({
      app,
      page,
    }) => {
      test.setTimeout(180_000);
      await page.setViewportSize(SIZES[0]!);
      await page.emulateMedia({ colorScheme: 'light' });
      await openStory(page, `?chapter=${c.id}&v=1`);
      await expectAtMoment(page, c);
      await expect(page.locator('[data-notice]')).toHaveCount(0);
      for (const size of SIZES) {
        await page.setViewportSize(size);
        // Light, then dark at the same moment: the page follows the system's scheme as it changes.
        for (const scheme of ['light', 'dark'] as const) {
          await page.emulateMedia({ colorScheme: scheme });
          await expect(page.locator('html')).toHaveAttribute('data-theme', scheme);
          // (After a resize the header's and the bar's heights, and the diagrams' widths, follow within a
          // frame or two: the checks are retried until they hold.)
          await expect(() => inViewAtMoment(page, c)).toPass({ timeout: 10_000 });
          await app.shot(`${size.width}x${size.height}-${scheme}-${String(i + 1).padStart(2, '0')}-${c.id}`);
        }
      }
    });
});

/** The flow's layout width (its viewBox), its box's width, and the scale it is drawn at in its box. */
async function flowDrawn(page: Page): Promise<{ layout: number; box: number; scale: number }> {
  return page.locator('.stage-body > svg').evaluate((svg: SVGSVGElement) => {
    const vb = svg.viewBox.baseVal;
    const r = svg.getBoundingClientRect();
    return {
      layout: vb.width,
      box: svg.parentElement!.clientWidth,
      scale: Math.min(r.width / vb.width, r.height / vb.height),
    };
  });
}

test('at 1280×720 the leak, a tall flow, is laid out wider than its box and drawn larger, in one layout from its first step to its moment', async ({
  page,
}) => {
  await page.setViewportSize({ width: 1280, height: 720 });
  await openStory(page, '?chapter=leak&v=1');
  await skip(page);
  await expectAtMoment(
    page,
    STORY.find((c) => c.id === 'leak')!,
  );
  const atMoment = await flowDrawn(page);
  expect(atMoment.layout).toBeGreaterThan(atMoment.box);
  // Laid out at the box's width (790) it was drawn at 0.62: its two rows of devices in a box 320 px tall.
  expect(atMoment.scale).toBeGreaterThan(0.75);
  const slider = page.getByRole('slider');
  const { moment } = chapterRun('leak');
  for (const step of [0, 1, Math.round(moment / 2), moment - 1]) {
    await slider.fill(String(step));
    await expect(page.getByTestId('step-counter')).toHaveText(String(step));
    expect((await flowDrawn(page)).layout, `step ${step}`).toBe(atMoment.layout);
  }
});

/** At the chapter's moment: nothing scrolled, and what the reader must see is inside the viewport. */
async function inViewAtMoment(page: Page, c: StoryChapter): Promise<void> {
  expect(await page.evaluate(() => scrollY)).toBe(0);
  await inView(page, 'the reference flow', page.getByRole('img', { name: /^KVM reference flow/ }));
  await inView(page, 'the chapter', page.getByTestId('story-moment'));
  // Its sentences whole: the box they scroll in when longer holds them all (the last one is the point).
  const prose = page.getByTestId('story-moment').locator('.story-prose');
  const fits = await prose.evaluate((e) => ({ scroll: e.scrollHeight, client: e.clientHeight }));
  expect(fits.scroll, `chapter ${c.id}: its sentences fit their box`).toBeLessThanOrEqual(fits.client);
  // And its title, beside the chapters' links, is not cut short.
  const title = page.locator('.story-title');
  const wide = await title.evaluate((e) => ({ scroll: e.scrollWidth, client: e.clientWidth }));
  expect(wide.scroll, `chapter ${c.id}: its title is whole`).toBeLessThanOrEqual(wide.client);
  // The flow is scaled to fit its box: never so far that its text is drawn under 70% of its size.
  expect((await flowDrawn(page)).scale, `chapter ${c.id}: the flow's scale`).toBeGreaterThanOrEqual(0.7);
  if (c.outcome === 'clean') return;
  // The player bar under the diagram names the violation; the flow leaves out a banner of its own (its
  // height is the diagram's).
  const alert = page.getByTestId('violation-alert');
  await expect(alert).toContainText(`Violation (${c.outcome})`);
  await expect(alert).toBeInViewport({ ratio: 1 });
  expect(await page.locator('.stage-body [data-layer="violations"]').count()).toBe(0);
  await inView(page, 'the lock view', page.getByRole('img', { name: /^Locks/ }));
  const r = chapterRun(c.id);
  const threads = r.derived.stepViolations.get(r.moment) ?? r.derived.terminalViolations;
  const stuck = threads
    .map((v) => v.thread)
    .filter((t) => r.derived.view(r.moment).threads.some((x) => x.id === t && x.status !== 'done'));
  // The thread the page opens is one the violation names; when it crashed or is stuck, its call stack is in view.
  const active = page.locator('.thread-card[data-active="true"]');
  await expect(active).toHaveCount(1);
  await inView(page, 'the active thread', active.locator('.thread-head'));
  const name = (await active.getAttribute('data-thread'))!;
  expect(threads.map((v) => v.thread)).toContain(name);
  if (stuck.length) {
    expect(stuck).toContain(name);
    const stack = page.getByRole('region', { name: `Call stack of ${name}` });
    await expect(stack).toBeVisible();
    await inView(page, `the call stack of ${name}`, stack);
  }
}
