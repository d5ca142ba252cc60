/**
 * The default view is in index.html, rendered at build time (src/prerender/):
 * it is the model's moment before any of the explorer's code has run; the
 * controls it shows work from the first click (held, then replayed once
 * React has mounted); React adopts that markup as it is (hydration: the same
 * nodes, no layout shift); and an address with parameters never shows it as
 * its own moment.
 */
import type { Page, Route } from '@playwright/test';
import { test, expect, appReady } from './support/fixtures.ts';
import { chapterRun, FIRST_CHAPTER } from './support/app.ts';
import { expectMoment, runOf } from './support/model.ts';
import { WIDE_MIN } from '../src/diagrams/flowLayout.ts';
import { DARK, LIGHT, themeColorMap } from '../src/diagrams/theme.ts';

/** The explorer's code (the chunk of src/main.tsx): held back until `release()`. */
async function holdApp(page: Page): Promise<() => void> {
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  await page.route(/\/assets\/main-[^/]*\.js$/, async (route: Route) => {
    await gate;
    await route.continue();
  });
  return release;
}

/** The default run: the story's first chapter, which the page opens for an address without parameters. */
function defaultRun() {
  const c = chapterRun(FIRST_CHAPTER);
  return runOf(c.scenario.id, c.era, c.schedule);
}

test('without parameters the default moment is on the page before any of the explorer code runs', async ({
  app,
  page,
}) => {
  void app;
  const release = await holdApp(page);
  await page.goto('/');
  await expect(page.locator('html')).toHaveAttribute('data-app', /^(static|loading)$/);
  await expect(page.getByRole('img', { name: /^KVM reference flow/ }).first()).toBeVisible();
  await expectMoment(page, defaultRun(), 0);
  expect(await page.evaluate(() => document.documentElement.dataset.app)).not.toBe('ready');
  release();
  await appReady(page);
});

test('the stylesheets cascade in the order the code imports them: on a phone the page’s own rules win', async ({
  app,
  page,
}) => {
  void app;
  await page.setViewportSize({ width: 360, height: 780 });
  // page.css makes a phone's text and panels more compact than the rules the page shares with the embed
  // (base.css, panels.css), with selectors of the same weight: they apply only if page.css comes after.
  const phoneRules = () =>
    page.evaluate(() => [
      getComputedStyle(document.body).fontSize,
      getComputedStyle(document.querySelector('#root .panel')!).paddingTop,
    ]);
  const release = await holdApp(page);
  await page.goto('/');
  await expect(page.locator('html')).toHaveAttribute('data-app', /^(static|loading)$/);
  expect(await phoneRules(), 'the build-time view, before any of the code').toEqual(['14px', '12px']);
  release();
  await appReady(page);
  expect(await phoneRules(), 'once React has adopted it').toEqual(['14px', '12px']);
});

for (const { layout, ...size } of [
  { width: 1280, height: 720, layout: 'wide' },
  { width: 412, height: 823, layout: 'narrow' },
])
  test(`at ${size.width}×${size.height} React adopts the prerendered markup: the same nodes, no layout shift`, async ({
    app,
    page,
  }) => {
    void app;
    const warnings: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'warning') warnings.push(m.text());
    });
    await page.setViewportSize(size);
    await page.addInitScript(() => {
      const w = window as unknown as {
        shifts: { at: number; value: number }[];
        firstStepAt: number | null;
        notAdopted: string[] | null;
      };
      w.shifts = [];
      w.firstStepAt = null;
      w.notAdopted = null;
      new PerformanceObserver((list) => {
        for (const e of list.getEntries())
          w.shifts.push({ at: e.startTime, value: (e as unknown as { value: number }).value });
      }).observe({ type: 'layout-shift', buffered: true });
      // Once React has mounted, the story's first chapter plays: note when its first step is drawn.
      addEventListener('vfio-kvm:mounted', () => {
        // The root has committed and the player starts: every panel must be adopted by now, in the same
        // pass. (A Suspense boundary is hydrated in a later pass of its own; a step of the story made
        // before it met the markup of step 0: a mismatch, the view redrawn.) React marks each element it
        // has adopted with its fiber.
        w.notAdopted = [...document.querySelectorAll('#root section')]
          .filter((e) => !Object.keys(e).some((k) => k.startsWith('__reactFiber$')))
          .map((e) => e.className);
        const counter = document.querySelector('[data-testid="step-counter"]')!;
        new MutationObserver(() => {
          if (w.firstStepAt === null && counter.textContent !== '0') w.firstStepAt = performance.now();
        }).observe(counter, { childList: true, characterData: true, subtree: true });
      });
    });
    const release = await holdApp(page);
    await page.goto('/');
    await expect(page.getByRole('img', { name: /^KVM reference flow/ }).first()).toBeVisible();
    // The flow's drawing on screen (the build-time view holds one for each of its layouts, one hidden), and the title.
    const built = await page.evaluate(() => {
      const shown = [...document.querySelectorAll('#root svg[data-diagram="reference-flow"]')].find(
        (e) => e.getBoundingClientRect().width > 0,
      );
      for (const e of [shown, document.querySelector('#root h1')])
        if (e) (e as unknown as { mark: string }).mark = 'prerendered';
      return {
        height: shown?.getBoundingClientRect().height,
        viewBox: shown?.getAttribute('viewBox'),
        stage: document.querySelector('#root .stage-body')!.clientWidth,
      };
    });
    release();
    await appReady(page);
    // Every shift before the story's playback moved anything (its steps resize the panels): adoption
    // itself shifts nothing.
    await page.waitForTimeout(500);
    const shifts = await page.evaluate(() => {
      const w = window as unknown as { shifts: { at: number; value: number }[]; firstStepAt: number | null };
      return w.shifts.filter((s) => w.firstStepAt === null || s.at < w.firstStepAt).map((s) => s.value);
    });
    // (The story's first chapter then plays to its moment in these nodes: e2e/story.spec.ts.)
    const kept = await page.evaluate(() =>
      [
        [...document.querySelectorAll('#root svg[data-diagram="reference-flow"]')].find(
          (e) => e.getBoundingClientRect().width > 0,
        ),
        document.querySelector('#root h1'),
      ].map((e) => (e as unknown as { mark?: string } | undefined)?.mark),
    );
    expect(
      await page.locator('#root svg[data-diagram="reference-flow"]').count(),
      'one drawing of the flow once React has measured its box',
    ).toBe(1);
    expect(kept, 'the nodes built from index.html are still the ones shown').toEqual([
      'prerendered',
      'prerendered',
    ]);
    expect(
      await page.evaluate(() => (window as unknown as { notAdopted: string[] | null }).notAdopted),
      'panels React had not adopted when the root committed',
    ).toEqual([]);
    expect(warnings.filter((w) => /prerendered view was replaced/.test(w))).toEqual([]);
    expect(shifts.reduce((a, b) => a + b, 0)).toBeLessThan(0.01);
    const flow = page.locator('#root svg[data-diagram="reference-flow"]');
    await expect(flow).toHaveAttribute('data-layout', layout);
    if (layout === 'wide') {
      // In a 1280-px window the build drew the flow at the stage's width: React's drawing is that one, as
      // big (the story then plays in it).
      expect(built.viewBox, 'the build drew the flow at the width React measures').toBe(
        `0 0 ${built.stage} ${Math.round(built.height!)}`,
      );
      await expect(flow).toHaveAttribute('viewBox', new RegExp(`^0 0 ${built.stage} `));
      return;
    }
    // On a phone, drawn again at step 0 at the width React measured, the flow is as tall as the build's
    // drawing (a change of its height would move what follows it, off screen, where it counts as no shift).
    // (In the workspace of a wide window the drawing is fitted to its box instead.)
    const pause = page.getByRole('button', { name: 'Pause', exact: true });
    if (await pause.isVisible()) await pause.click();
    await page.getByRole('button', { name: 'Reset', exact: true }).click();
    await expectMoment(page, defaultRun(), 0);
    const height = await flow.evaluate((e) => e.getBoundingClientRect().height);
    expect(height, 'the height of the flow at step 0, built and measured').toBeCloseTo(built.height!, 0);
  });

test('the build-time view shows the drawing of the flow that React draws for the width it measures, at every width', async ({
  app,
  page,
}) => {
  void app;
  await page.setViewportSize({ width: 412, height: 823 });
  await page.goto('/', { waitUntil: 'load' });
  await expect(page.locator('html')).toHaveAttribute('data-app', 'static');
  const widths = [
    ...Array.from({ length: 109 }, (_, i) => 320 + 10 * i),
    // Around the window's width where the stage reaches WIDE_MIN, and where the workspace begins, px by px.
    ...Array.from({ length: 21 }, (_, i) => 655 + i),
    ...Array.from({ length: 11 }, (_, i) => 1175 + i),
    1920,
  ];
  for (const width of widths) {
    await page.setViewportSize({ width, height: 823 });
    const r = await page.evaluate(() => ({
      shown: [...document.querySelectorAll<SVGSVGElement>('#root svg[data-diagram="reference-flow"]')]
        .filter((e) => e.getBoundingClientRect().width > 0)
        .map((e) => ({
          layout: e.dataset.layout,
          workspace: e.classList.contains('flow-first-workspace'),
          drawn: Number(e.getAttribute('width')),
          box: e.getBoundingClientRect().width,
        })),
      stage: document.querySelector('#root .stage-body')!.clientWidth,
    }));
    expect(r.shown.length, `${width} px: one drawing of the flow on screen`).toBe(1);
    expect(r.shown[0]!.layout, `${width} px: the layout for a stage of ${r.stage} px`).toBe(
      r.stage >= WIDE_MIN ? 'wide' : 'narrow',
    );
    // On a phone from 360 px up, the narrow drawing is at its own size: its text at the sizes React draws.
    if (width >= 360 && r.shown[0]!.layout === 'narrow')
      expect(r.shown[0]!.box, `${width} px: the narrow drawing is not scaled`).toBe(r.shown[0]!.drawn);
    // From 1180 px, beside the side column, the drawing made for the workspace, never scaled up.
    expect(r.shown[0]!.workspace, `${width} px: the workspace's drawing`).toBe(width >= 1180);
    if (r.shown[0]!.workspace)
      expect(r.shown[0]!.box, `${width} px: not scaled up`).toBeLessThanOrEqual(r.shown[0]!.drawn);
  }
  await expect(page.locator('html')).toHaveAttribute('data-app', 'static');
});

test('on a dark system the build-time view’s diagrams are dark before any of the code runs, then React draws them dark', async ({
  app,
  page,
}) => {
  void app;
  await page.emulateMedia({ colorScheme: 'dark' });
  const toDark = Object.fromEntries(themeColorMap(LIGHT, DARK));
  const rgb = (hex: string) => `rgb(${[1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16)).join(', ')})`;
  /** Each coloured element of the diagrams on screen: its theme, its colour attributes and the colours it is painted in. */
  const painted = () =>
    page.evaluate(() =>
      [...document.querySelectorAll<SVGSVGElement>('#root svg[data-diagram]')]
        .filter((svg) => svg.getBoundingClientRect().width > 0)
        .flatMap((svg) =>
          [...svg.querySelectorAll('[fill^="#"], [stroke^="#"]')].map((e) => ({
            theme: svg.dataset.theme,
            // Theme colours only (#rrggbb), not none.
            fill: e.getAttribute('fill')?.startsWith('#') ? e.getAttribute('fill') : null,
            stroke: e.getAttribute('stroke')?.startsWith('#') ? e.getAttribute('stroke') : null,
            painted: [getComputedStyle(e).fill, getComputedStyle(e).stroke],
          })),
        ),
    );
  const release = await holdApp(page);
  await page.goto('/');
  await expect(page.getByRole('img', { name: /^KVM reference flow/ }).first()).toBeVisible();
  const before = await painted();
  expect(before.length, 'coloured elements in the flow and the lock diagram').toBeGreaterThan(40);
  for (const e of before) {
    expect(e.theme, 'the build draws light').toBe('light');
    if (e.fill) expect(e.painted[0], `fill ${e.fill}`).toBe(rgb(toDark[e.fill]!));
    if (e.stroke) expect(e.painted[1], `stroke ${e.stroke}`).toBe(rgb(toDark[e.stroke]!));
  }
  release();
  await appReady(page);
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  const after = await painted();
  for (const e of after) {
    expect(e.theme, 'React draws dark').toBe('dark');
    if (e.fill) expect(e.painted[0], `fill ${e.fill}`).toBe(rgb(e.fill));
  }
  // On a light system nothing is recoloured.
  await page.emulateMedia({ colorScheme: 'light' });
  await page.goto('about:blank');
  await page.goto('/');
  for (const e of await painted()) if (e.fill) expect(e.painted[0], `fill ${e.fill}`).toBe(rgb(e.fill));
});

test('a click and a key before the code has loaded are not lost', async ({ app, page }) => {
  void app;
  const release = await holdApp(page);
  await page.goto('/');
  await page.getByRole('button', { name: 'Step forward' }).click();
  await app.blur();
  await page.keyboard.press('ArrowRight');
  // Held: nothing moved yet, and the page says that something is coming.
  await expect(page.getByTestId('step-counter')).toHaveText('0');
  await expect(page.locator('html')).toHaveAttribute('data-app', 'loading');
  release();
  await appReady(page);
  await expectMoment(page, defaultRun(), 2);
  await expect(page).toHaveURL(/[?&]step=2(&|$)/);
});

test('a picker changed before the code has loaded is applied', async ({ app, page }) => {
  void app;
  const release = await holdApp(page);
  await page.goto('/');
  await page.getByLabel('Scenario', { exact: true }).selectOption('happy-path');
  release();
  await appReady(page);
  await expect(page.getByLabel('Scenario', { exact: true })).toHaveValue('happy-path');
  await expect(page).toHaveURL(/[?&]scenario=happy-path(&|$)/);
});

test('an address with parameters never shows the default moment as its own', async ({ app, page }) => {
  void app;
  const release = await holdApp(page);
  await page.goto('/?scenario=happy-path&era=after&step=5&v=1');
  await expect
    .poll(() => page.evaluate(() => getComputedStyle(document.getElementById('root')!, '::before').content))
    .toContain('Loading the kernel model');
  await expect(page.getByRole('button', { name: 'Step forward' })).toBeHidden();
  await expect(page.getByRole('img', { name: /^KVM reference flow/ })).toHaveCount(0);
  release();
  await appReady(page);
  await expectMoment(page, runOf('happy-path', 'after'), 5);
});

test('if the code cannot load, the page says so', async ({ page }) => {
  await page.route(/\/assets\/main-[^/]*\.js$/, (route) => route.fulfill({ status: 404, body: 'gone' }));
  await page.goto('/?scenario=happy-path');
  await expect(page.getByRole('alert')).toContainText('could not load its code');
});

test('the front page runs none of the explorer code until the reader acts, and has it fetched ahead', async ({
  app,
  page,
}) => {
  void app;
  const fetched: string[] = [];
  page.on('response', (r) => {
    if (/\/assets\/main-[^/]*\.js$/.test(r.url())) fetched.push(r.url());
  });
  await page.goto('/', { waitUntil: 'load' });
  // The explorer's own chunk comes at low priority once the page has loaded (a prefetch), and is not run.
  const prefetched = () =>
    page
      .locator('link[rel="prefetch"]')
      .evaluateAll((ls) => ls.map((l) => l.getAttribute('href') ?? ''))
      .then((hs) => hs.some((h) => /assets\/main-[^/]*\.js$/.test(h)));
  await expect.poll(prefetched).toBe(true);
  await expect.poll(() => fetched.length).toBeGreaterThan(0);
  // Quiet: long after load, still the build-time view, and nothing has started the code.
  await page.waitForTimeout(1500);
  await expect(page.locator('html')).toHaveAttribute('data-app', 'static');
  await expectMoment(page, defaultRun(), 0);
  // The reader's pointer moves over the page: the code loads, React adopts the view, the story plays.
  await page.mouse.move(300, 200);
  await expect(page.locator('html')).toHaveAttribute('data-app', 'ready');
  await expect(page.getByRole('button', { name: 'Pause', exact: true })).toBeVisible();
});

test('a scroll or a focus before any click also brings the code', async ({ app, page }) => {
  void app;
  await page.setViewportSize({ width: 412, height: 823 });
  await page.goto('/', { waitUntil: 'load' });
  await expect(page.locator('html')).toHaveAttribute('data-app', 'static');
  await page.mouse.wheel(0, 300);
  await expect(page.locator('html')).toHaveAttribute('data-app', 'ready');
  await page.goto('about:blank');
  await page.goto('/', { waitUntil: 'load' });
  await expect(page.locator('html')).toHaveAttribute('data-app', 'static');
  await page.keyboard.press('Tab');
  await expect(page.locator('html')).toHaveAttribute('data-app', 'ready');
});

/**
 * The header's and the player bar's heights (`--top-h`, `--bar-h`) have CSS defaults so that the first layout is
 * already the final one (src/view/styles/base.css): they must be the heights the bootstrap then measures, at
 * desktop widths and on phones. (A change of the header or the bar that moves them fails here, not as a
 * layout shift someone may notice.)
 */
for (const size of [
  { width: 1440, height: 900 },
  { width: 1280, height: 720 },
  { width: 412, height: 823 },
])
  test(`at ${size.width}×${size.height} the CSS defaults for the header's and the bar's heights are their measured heights`, async ({
    page,
  }) => {
    await page.setViewportSize(size);
    await page.goto('/', { waitUntil: 'load' });
    await expect(page.locator('html')).toHaveAttribute('data-app', 'static');
    const r = await page.evaluate(
      () =>
        new Promise<{ measured: string[]; defaults: string[] }>((resolve) =>
          // After a frame, so that the bootstrap's ResizeObserver has reported.
          requestAnimationFrame(() =>
            requestAnimationFrame(() => {
              const html = document.documentElement;
              const props = ['--top-h', '--bar-h'];
              const measured = props.map((p) => html.style.getPropertyValue(p));
              for (const p of props) html.style.removeProperty(p);
              const defaults = props.map((p) => getComputedStyle(html).getPropertyValue(p).trim());
              resolve({ measured, defaults });
            }),
          ),
        ),
    );
    expect(
      r.measured.every((v) => /^\d+px$/.test(v)),
      `measured: ${r.measured.join(', ')}`,
    ).toBe(true);
    expect(r.defaults, '--top-h, --bar-h in base.css').toEqual(r.measured);
  });
