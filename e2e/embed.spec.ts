/**
 * embed.html in a host page on another origin (README, "Share and embed"): the code "Copy embed
 * code" gives works as pasted; the iframe's height follows the explorer's as
 * the user steps; commands and the theme message act only when they come
 * from the parent window; the explorer waits until it is scrolled into view.
 */
import AxeBuilder from '@axe-core/playwright';
import type { Frame, Page } from '@playwright/test';
import { test, expect } from './support/fixtures.ts';
import { hostPage, startHost, type Host, type Reply } from './support/host.ts';
import { narrationAt, OOPS, runOf } from './support/model.ts';

const COMMAND = 'vfio-kvm-explorer:command';
const THEME = 'vfio-kvm-explorer:theme';

let host: Host;
const pages = new Map<string, Reply>();

test.beforeAll(async () => {
  host = await startHost((path) => pages.get(path) ?? null);
});
test.afterAll(async () => {
  await host.close();
});

/** The host page's record of resize messages, and its own resize listener (for pages written by the tests). */
const RECORDER = `<script>
window.resizes = [];
addEventListener('message', function (e) {
  if (!e.data || e.data.type !== 'vfio-kvm-explorer:resize') return;
  window.resizes.push(e.data.height);
  document.querySelectorAll('iframe').forEach(function (f) { if (f.contentWindow === e.source) f.style.height = e.data.height + 'px'; });
});
</script>`;

async function embedFrame(page: Page): Promise<Frame> {
  await expect.poll(() => page.frames().some((f) => f.url().includes('/embed.html'))).toBe(true);
  return page.frames().find((f) => f.url().includes('/embed.html'))!;
}

const iframeHeight = (page: Page, sel = 'iframe') =>
  page
    .locator(sel)
    .first()
    .evaluate((f) => f.getBoundingClientRect().height);
const contentHeight = (frame: Frame) =>
  frame.locator('#root').evaluate((r) => Math.ceil(r.getBoundingClientRect().height));

test('Copy embed code, pasted into a page on another origin: the iframe follows the explorer height as the user steps', async ({
  app,
  page,
  context,
  baseURL,
}) => {
  const requests: string[] = [];
  page.on('request', (r) => requests.push(r.url()));
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: baseURL });
  const d = runOf('del-while-open', 'before');
  const before = OOPS.step - 1;
  await app.open(`?scenario=del-while-open&era=before&step=${before}`);
  await page.getByRole('button', { name: 'Copy embed code' }).click();
  await expect(page.getByTestId('share-status')).toHaveText(/^Embed code copied/);
  const code = await page.evaluate(() => navigator.clipboard.readText());
  expect(code).toContain(
    `<iframe src="${baseURL}/embed.html?scenario=del-while-open&amp;era=before&amp;step=${before}&amp;v=1"`,
  );
  expect(code).toContain('loading="lazy"');
  expect(code).toContain(`e.origin !== "${baseURL}"`);

  pages.set(
    '/post.html',
    hostPage(
      'A blog post about VFIO',
      `<p>The oops, one step at a time:</p>\n${code}\n<p id="after">More text after the explorer.</p>`,
    ),
  );
  await page.goto(host.url('/post.html'));
  const frame = await embedFrame(page);
  const f = page.frameLocator('iframe');
  await expect(f.getByTestId('step-counter')).toHaveText(String(before));
  await expect(
    f.getByRole('img', {
      name: new RegExp(`^KVM reference flow — before .*, step ${before} of ${OOPS.total}$`),
    }),
  ).toBeVisible();

  // The iframe is as tall as the explorer: not the snippet's 640 px, and no inner scrolling.
  const fits = () =>
    expect
      .poll(async () => Math.abs((await iframeHeight(page)) - (await contentHeight(frame))))
      .toBeLessThanOrEqual(1);
  await fits();
  const h52 = await iframeHeight(page);
  expect(h52).not.toBe(640);
  expect(await frame.evaluate(() => document.documentElement.scrollHeight <= innerHeight + 1)).toBe(true);

  // The next step is the oops: a violation box in the diagram and an alert in the player: it grows.
  await f.getByRole('button', { name: 'Step forward' }).click();
  await expect(f.getByTestId('step-counter')).toHaveText(String(OOPS.step));
  await expect(f.getByTestId('narration')).toContainText(narrationAt(d, OOPS.step));
  await expect(f.getByTestId('violation-alert')).toContainText('Violation (null-deref)');
  await expect.poll(() => iframeHeight(page)).toBeGreaterThan(h52 + 40);
  await fits();
  await app.shot('embed-host-oops');

  // Back: it shrinks to what it was.
  await f.getByRole('button', { name: 'Step back' }).click();
  await expect(f.getByTestId('step-counter')).toHaveText(String(before));
  await expect.poll(() => iframeHeight(page)).toBe(h52);

  // The threads fold out: it grows again; the text below moves down with it.
  const below = await page.locator('#after').evaluate((p) => p.getBoundingClientRect().top);
  await f.getByText('Threads and call stacks').click();
  await expect(f.getByRole('article', { name: 'Thread W', exact: true })).toBeVisible();
  await expect.poll(() => iframeHeight(page)).toBeGreaterThan(h52 + 100);
  await fits();
  expect(await page.locator('#after').evaluate((p) => p.getBoundingClientRect().top)).toBeGreaterThan(
    below + 100,
  );

  // "Open in vfio-kvm-explorer" is the full page at this moment.
  await expect(f.getByTestId('open-full')).toHaveAttribute(
    'href',
    `${baseURL}/?scenario=del-while-open&era=before&step=${before}&v=1`,
  );

  // Nothing was requested from any host but the two local origins.
  for (const u of requests) expect(new URL(u).hostname, u).toBe('127.0.0.1');
});

test('commands work from the parent window only; malformed ones and other windows are ignored', async ({
  page,
  baseURL,
  consoleErrors,
}) => {
  void consoleErrors;
  const warnings: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'warning') warnings.push(m.text());
  });
  const d = runOf('happy-path', 'after');
  pages.set(
    '/commands.html',
    hostPage(
      'Commands',
      `<iframe id="embed" src="${baseURL}/embed.html?scenario=happy-path&amp;era=after&amp;v=1" title="explorer" width="800" height="700"></iframe>
<iframe id="sibling" src="/sibling.html" title="a sibling frame" width="300" height="120"></iframe>`,
    ),
  );
  pages.set('/sibling.html', hostPage('Sibling', '<p>Another frame of the host page.</p>'));
  await page.goto(host.url('/commands.html'));
  const embed = await embedFrame(page);
  const counter = page.frameLocator('#embed').getByTestId('step-counter');
  await expect(counter).toHaveText('0');
  const send = (m: unknown) =>
    page.evaluate(
      (msg) => (document.getElementById('embed') as HTMLIFrameElement).contentWindow!.postMessage(msg, '*'),
      m,
    );

  await send({ type: COMMAND, command: 'step' });
  await expect(counter).toHaveText('1');
  await send({ type: COMMAND, command: 'goto', step: 10 });
  await expect(counter).toHaveText('10');
  await expect(page.frameLocator('#embed').getByTestId('narration')).toContainText(narrationAt(d, 10));
  await send({ type: COMMAND, command: 'back' });
  await expect(counter).toHaveText('9');
  await send({ type: COMMAND, command: 'reset' });
  await expect(counter).toHaveText('0');
  await send({ type: COMMAND, command: 'goto', step: 999_999 });
  await expect(counter).toHaveText(String(d.total));
  await send({ type: COMMAND, command: 'goto', step: 5 });
  await expect(counter).toHaveText('5');

  // Malformed commands from the parent: ignored (a warning, never an error). A valid one after them moves exactly one step.
  const bad = [
    { type: COMMAND, command: 'goto' },
    { type: COMMAND, command: 'goto', step: -1 },
    { type: COMMAND, command: 'goto', step: '7' },
    { type: COMMAND, command: 'goto', step: 2.5 },
    { type: COMMAND, command: 'step', step: 9 },
    { type: COMMAND, command: 'STEP' },
    { type: COMMAND, command: 'step', also: 'this' },
    { type: THEME, theme: 'sepia' },
    { type: 'vfio-kvm-explorer:eval', code: 'alert(1)' },
    'step',
    [COMMAND, 'step'],
    null,
    { type: 'unrelated-widget', command: 'step' },
  ];
  for (const m of bad) await send(m);
  await send({ type: COMMAND, command: 'step' });
  await expect(counter).toHaveText('6');
  await expect
    .poll(() => warnings.filter((w) => w.includes('ignored a message from the parent page')).length)
    .toBe(9);

  // The same valid command from a sibling frame, a popup, or the explorer's own window: ignored.
  const step = { type: COMMAND, command: 'step' };
  const sibling = page.frames().find((f) => f.url().endsWith('/sibling.html'))!;
  await sibling.evaluate((m) => {
    for (let i = 0; i < 3; i++) (parent.frames[0] as Window).postMessage(m, '*');
  }, step);
  const [popup] = await Promise.all([
    page.waitForEvent('popup'),
    page.evaluate((u) => void window.open(u), host.url('/sibling.html')),
  ]);
  await popup.waitForLoadState();
  await popup.evaluate((m) => (window.opener as Window).frames[0]!.postMessage(m, '*'), step);
  await embed.evaluate((m) => window.postMessage(m, '*'), step);
  await page.waitForTimeout(400);
  await expect(counter).toHaveText('6');
  await popup.close();

  // The channel is still open to the parent.
  await send({ type: COMMAND, command: 'back' });
  await expect(counter).toHaveText('5');

  // Keys reach the explorer once it has the focus.
  await page
    .frameLocator('#embed')
    .getByRole('img', { name: /^KVM reference flow/ })
    .click();
  await page.keyboard.press('ArrowRight');
  await expect(counter).toHaveText('6');
});

test('a top-level embed.html has no parent: it takes no commands, not even its own', async ({
  page,
  consoleErrors,
}) => {
  void consoleErrors;
  await page.goto('/embed.html?scenario=happy-path&era=after&step=3&v=1');
  await expect(page.getByTestId('step-counter')).toHaveText('3');
  await page.evaluate((m) => window.postMessage(m, '*'), { type: COMMAND, command: 'step' });
  await page.waitForTimeout(300);
  await expect(page.getByTestId('step-counter')).toHaveText('3');
});

test('theme=auto follows the host system setting; the theme message overrides it', async ({
  page,
  baseURL,
  consoleErrors,
}) => {
  void consoleErrors;
  pages.set(
    '/theme.html',
    hostPage(
      'Theme',
      `<iframe id="embed" src="${baseURL}/embed.html?scenario=gvt-ref-leak&amp;era=after&amp;step=20&amp;theme=auto&amp;v=1" title="explorer" width="900" height="700"></iframe>`,
    ),
  );
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.goto(host.url('/theme.html'));
  await embedFrame(page);
  const f = page.frameLocator('#embed');
  const root = f.locator('.vke-root');
  const svg = f.getByRole('img', { name: /^KVM reference flow/ });
  await expect(root).toHaveAttribute('data-theme', 'dark');
  await expect(svg).toHaveAttribute('data-theme', 'dark');
  await page.emulateMedia({ colorScheme: 'light' });
  await expect(root).toHaveAttribute('data-theme', 'light');
  await expect(svg).toHaveAttribute('data-theme', 'light');

  const send = (m: unknown) =>
    page.evaluate(
      (msg) => (document.getElementById('embed') as HTMLIFrameElement).contentWindow!.postMessage(msg, '*'),
      m,
    );
  await send({ type: THEME, theme: 'dark' });
  await expect(root).toHaveAttribute('data-theme', 'dark');
  await expect(svg).toHaveAttribute('data-theme', 'dark');
  const bg = await root.evaluate((r) => getComputedStyle(r).backgroundColor);
  expect(bg).toBe('rgb(1, 4, 9)');
  await send({ type: THEME, theme: 'sepia' });
  await page.waitForTimeout(200);
  await expect(root).toHaveAttribute('data-theme', 'dark');
  await send({ type: THEME, theme: 'auto' });
  await expect(root).toHaveAttribute('data-theme', 'light');
  await send({ type: THEME, theme: 'light' });
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.waitForTimeout(200);
  await expect(root).toHaveAttribute('data-theme', 'light');
});

test('starts only when scrolled into view, with no layout shift inside the frame', async ({
  page,
  baseURL,
  app,
}) => {
  pages.set(
    '/below.html',
    hostPage(
      'Below the fold',
      `<div style="height: 2400px">Scroll down for the explorer.</div>
<iframe src="${baseURL}/embed.html?scenario=happy-path&amp;era=after&amp;step=5&amp;v=1" title="explorer" width="760" height="640" style="border:0"></iframe>
<p>The end.</p>
${RECORDER}`,
    ),
  );
  await page.goto(host.url('/below.html'));
  const frame = await embedFrame(page);
  await frame.waitForLoadState('load');
  const f = page.frameLocator('iframe');
  await page.waitForTimeout(1000);
  // Loaded, but waiting: the loading box fills the frame; no explorer, no height report.
  await expect(f.locator('.vke-boot')).toHaveCount(1);
  expect(await f.locator('.vke-boot').evaluate((b) => Math.round(b.getBoundingClientRect().height))).toBe(
    640,
  );
  await expect(f.getByRole('img', { name: /^KVM reference flow/ })).toHaveCount(0);
  expect(await page.evaluate(() => (window as unknown as { resizes: number[] }).resizes.length)).toBe(0);

  await page.locator('iframe').scrollIntoViewIfNeeded();
  await expect(f.getByRole('img', { name: /^KVM reference flow — after .*, step 5 of / })).toBeVisible();
  await expect(f.getByTestId('step-counter')).toHaveText('5');
  await expect
    .poll(() => page.evaluate(() => (window as unknown as { resizes: number[] }).resizes.length))
    .toBeGreaterThan(0);
  // Nothing inside the frame moved while it loaded (the Layout Instability API's own measure).
  const shift = await frame.evaluate(
    () =>
      new Promise<number>((done) => {
        let sum = 0;
        new PerformanceObserver((l) => {
          for (const e of l.getEntries()) sum += (e as unknown as { value: number }).value;
        }).observe({ type: 'layout-shift', buffered: true });
        setTimeout(() => done(sum), 300);
      }),
  );
  expect(shift).toBeLessThan(0.01);
  await app.shot('embed-below-the-fold-started');
});

for (const scheme of ['light', 'dark'] as const) {
  test(`embed.html has no accessibility violations (${scheme})`, async ({ page, consoleErrors }) => {
    void consoleErrors;
    await page.emulateMedia({ colorScheme: scheme });
    await page.goto(`/embed.html?scenario=del-while-open&era=before&step=${OOPS.step}&v=1`);
    await expect(page.getByRole('img', { name: /^KVM reference flow/ })).toBeVisible();
    await page.getByText('Threads and call stacks').click();
    await expect(page.getByRole('article', { name: 'Thread W', exact: true })).toBeVisible();
    const r = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
    expect(
      r.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`),
    ).toEqual([]);
    expect(r.passes.length).toBeGreaterThan(10);
  });
}

test('on a phone (360 px) the embed fits its width', async ({ page, consoleErrors }) => {
  void consoleErrors;
  await page.setViewportSize({ width: 360, height: 780 });
  await page.goto(`/embed.html?scenario=del-while-open&era=before&step=${OOPS.step}&v=1`);
  await expect(page.getByRole('img', { name: `step ${OOPS.step} of ${OOPS.total}` })).toBeVisible();
  await page.getByText('Threads and call stacks').click();
  await expect(page.getByRole('article', { name: 'Thread W', exact: true })).toBeVisible();
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
  await page.screenshot({ path: test.info().outputPath('embed-phone-360.png'), fullPage: true });
});
