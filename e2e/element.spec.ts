/**
 * The <vfio-kvm-explorer> custom element (README, "Share and embed") on a host page of another
 * origin that copied dist/vfio-kvm-explorer.js to its own site and serves a
 * strict CSP: one request, styles in the shadow root, attributes, hidden
 * start, several instances, clean removal.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test, expect } from './support/fixtures.ts';
import { hostPage, ROOT, startHost, STRICT_CSP, type Host, type Reply } from './support/host.ts';
import { narrationAt, OOPS, runOf } from './support/model.ts';
import { ERAS } from './support/app.ts';

let host: Host;
const pages = new Map<string, Reply>();
const CSP = { 'content-security-policy': STRICT_CSP };
const SCRIPT = '<script type="module" src="/vfio-kvm-explorer.js"></script>';

test.beforeAll(async () => {
  host = await startHost(
    async (path) =>
      path === '/vfio-kvm-explorer.js'
        ? { body: await readFile(join(ROOT, 'dist', 'vfio-kvm-explorer.js')), type: 'text/javascript' }
        : null,
    (path) => pages.get(path) ?? null,
  );
});
test.afterAll(async () => {
  await host.close();
});

test.beforeEach(async ({ page }) => {
  // CSP violations would also be console errors; keep their details too.
  await page.addInitScript(() => {
    const w = window as unknown as { cspViolations: string[] };
    w.cspViolations = [];
    document.addEventListener('securitypolicyviolation', (e) =>
      w.cspViolations.push(`${e.violatedDirective} ${e.blockedURI}`),
    );
  });
});

test('one module file, styled inside its shadow root, under a strict CSP; no other request', async ({
  page,
  app,
}) => {
  pages.set(
    '/one.html',
    hostPage(
      'One explorer',
      `${SCRIPT}\n<p>The GVT oops:</p>\n<vfio-kvm-explorer scenario="del-while-open" era="before" step="${OOPS.step}"></vfio-kvm-explorer>`,
      CSP,
    ),
  );
  const requests: string[] = [];
  page.on('request', (r) => requests.push(r.url()));
  await page.goto(host.url('/one.html'));
  const el = page.locator('vfio-kvm-explorer');
  await expect(
    el.getByRole('img', {
      name: `KVM reference flow — ${ERAS.before.title}, step ${OOPS.step} of ${OOPS.total}`,
      exact: true,
    }),
  ).toBeVisible();
  await expect(el.getByTestId('step-counter')).toHaveText(String(OOPS.step));
  await expect(el.getByTestId('violation-alert')).toContainText('Violation (null-deref)');
  await expect(el.getByRole('button', { name: 'Step forward' })).toBeVisible();

  const styles = await el.evaluate((e) => {
    const s = e.shadowRoot!;
    return {
      adopted: s.adoptedStyleSheets.length,
      rules: s.adoptedStyleSheets[0]!.cssRules.length,
      styleElements: s.querySelectorAll('style, link').length,
      buttonRadius: getComputedStyle(s.querySelector('.btn')!).borderRadius,
      rootFont: getComputedStyle(s.querySelector('.vke-root')!).fontFamily,
      // The explorer's page rules (body { margin: 0 }, fonts) stay in its shadow root.
      hostBodyMargin: getComputedStyle(document.body).margin,
      hostHeadingFont: getComputedStyle(document.querySelector('h1')!).fontFamily,
    };
  });
  expect(styles).toMatchObject({ adopted: 1, styleElements: 0, buttonRadius: '6px', hostBodyMargin: '8px' });
  expect(styles.rules).toBeGreaterThan(100);
  expect(styles.rootFont).toMatch(/^system-ui/);
  expect(styles.hostHeadingFont).not.toMatch(/system-ui/);

  // Exactly one request for the element, none for chunks, workers or fonts; nothing from another host.
  expect(requests.map((u) => new URL(u).pathname).filter((p) => p !== '/favicon.ico')).toEqual([
    '/one.html',
    '/vfio-kvm-explorer.js',
  ]);
  expect(await page.evaluate(() => (window as unknown as { cspViolations: string[] }).cspViolations)).toEqual(
    [],
  );

  // It works: stepping, narration, the threads.
  const d = runOf('del-while-open', 'before');
  await el.getByRole('button', { name: 'Step forward' }).click();
  await expect(el.getByTestId('step-counter')).toHaveText(String(OOPS.step + 1));
  await expect(el.getByTestId('narration')).toContainText(narrationAt(d, OOPS.step + 1));
  await el.getByText('Threads and call stacks').click();
  await expect(
    el.getByRole('article', { name: 'Thread W', exact: true }).getByTestId('thread-status'),
  ).toHaveText('crashed');
  await app.shot('element-strict-csp');
});

test('attributes: step moves, theme switches, scenario and era reload; bad values show a notice', async ({
  page,
  app,
  baseURL,
}) => {
  void app;
  pages.set(
    '/attrs.html',
    hostPage(
      'Attributes',
      `${SCRIPT}\n<vfio-kvm-explorer id="x" scenario="happy-path" era="after" step="3"></vfio-kvm-explorer>`,
      CSP,
    ),
  );
  await page.emulateMedia({ colorScheme: 'light' });
  await page.goto(host.url('/attrs.html'));
  const el = page.locator('#x');
  const counter = el.getByTestId('step-counter');
  const root = el.locator('.vke-root');
  await expect(counter).toHaveText('3');
  await expect(root).toHaveAttribute('data-theme', 'light');

  const set = (attrs: Record<string, string | null>) =>
    el.evaluate((e, a) => {
      for (const [k, v] of Object.entries(a))
        if (v === null) e.removeAttribute(k);
        else e.setAttribute(k, v);
    }, attrs);

  await set({ step: '10' });
  await expect(counter).toHaveText('10');
  await expect(el.getByTestId('narration')).toContainText(narrationAt(runOf('happy-path', 'after'), 10));
  await set({ step: 'ten' });
  await page.waitForTimeout(200);
  await expect(counter).toHaveText('10');
  // A bad value changed in place: the step stays, with the notice the same value gives at load.
  await expect(el.locator('[data-notice="step"]')).toHaveText(
    /step="ten" is not a step number .*; the step shown stays\./,
  );
  await set({ step: '10' });
  await expect(el.locator('[data-notice="step"]')).toHaveCount(0);

  // "Open in vfio-kvm-explorer": next to the module by default; the explorer attribute when the file was copied elsewhere.
  const open = el.getByTestId('open-full');
  await expect(open).toHaveAttribute('href', `${host.origin}/?scenario=happy-path&era=after&step=10&v=1`);
  await set({ explorer: `${baseURL}/`, step: '10' });
  await expect(open).toHaveAttribute('href', `${baseURL}/?scenario=happy-path&era=after&step=10&v=1`);
  await set({ explorer: 'javascript:alert(1)' });
  await expect(open).toHaveAttribute('href', `${host.origin}/?scenario=happy-path&era=after&step=10&v=1`);
  await expect(counter).toHaveText('10');

  // theme: attribute, then the host's system setting for auto.
  await set({ theme: 'dark' });
  await expect(root).toHaveAttribute('data-theme', 'dark');
  await expect(el.getByRole('img', { name: /^KVM reference flow/ })).toHaveAttribute('data-theme', 'dark');
  await set({ theme: 'auto' });
  await expect(root).toHaveAttribute('data-theme', 'light');
  await page.emulateMedia({ colorScheme: 'dark' });
  await expect(root).toHaveAttribute('data-theme', 'dark');
  await set({ theme: 'light' });
  await expect(root).toHaveAttribute('data-theme', 'light');

  // Several attributes in one task: one reload, at the new moment.
  await set({ scenario: 'last-ref-deadlock', era: 'after', step: '32' });
  await expect(
    el.getByRole('img', {
      name: 'KVM reference flow — after (421cfe6596f6, v3), step 32 of 32',
      exact: true,
    }),
  ).toBeVisible();
  await expect(el.getByTestId('violation-alert')).toContainText('Violation (deadlock)');
  await expect(root).toHaveAttribute('data-theme', 'light');

  await set({ era: 'fixed', step: '0' });
  await expect(
    el.getByRole('img', { name: /^KVM reference flow — fixed .*initial state|^KVM reference flow — fixed/ }),
  ).toBeVisible();
  await expect(counter).toHaveText('0');

  // A bad scenario: a clear notice, and a working explorer (the default scenario).
  await set({ scenario: 'no-such-scenario', era: null, step: null });
  await expect(el.locator('.notice')).toContainText(
    'There is no built-in scenario "no-such-scenario"; showing del-while-open.',
  );
  await expect(el.getByRole('img', { name: /^KVM reference flow — before/ })).toBeVisible();
  await app.shot('element-bad-scenario');
});

test('inside a closed <details> or a hidden tab it waits, then renders at its real width once shown', async ({
  page,
  app,
}) => {
  pages.set(
    '/hidden.html',
    hostPage(
      'Hidden at first',
      `${SCRIPT}
<details id="d"><summary>Show the deadlock</summary><vfio-kvm-explorer id="a" scenario="last-ref-deadlock" era="after" step="32"></vfio-kvm-explorer></details>
<div id="tab" hidden><vfio-kvm-explorer id="b" scenario="gvt-ref-leak" era="after" step="10"></vfio-kvm-explorer></div>`,
      CSP,
    ),
  );
  await page.goto(host.url('/hidden.html'));
  await page.waitForTimeout(800);
  for (const id of ['#a', '#b']) {
    await expect(page.locator(id).locator('.vke-waiting')).toHaveCount(1);
    await expect(page.locator(id).getByRole('img', { name: /^KVM reference flow/ })).toHaveCount(0);
  }

  await page.evaluate(() => ((document.getElementById('d') as HTMLDetailsElement).open = true));
  const a = page.locator('#a');
  const svgA = a.getByRole('img', {
    name: 'KVM reference flow — after (421cfe6596f6, v3), step 32 of 32',
    exact: true,
  });
  await expect(svgA).toBeVisible();
  // Laid out at the width it has, not at a zero or fallback width.
  const widths = await a.evaluate((e) => {
    const body = e.shadowRoot!.querySelector('.stage-body')!;
    const svg = body.querySelector('svg')!;
    return {
      box: body.clientWidth,
      svg: Number(svg.getAttribute('width')),
      shown: svg.getBoundingClientRect().width,
      host: e.getBoundingClientRect().width,
    };
  });
  expect(widths.svg).toBe(widths.box);
  expect(widths.shown).toBeGreaterThan(600);
  expect(widths.host).toBeGreaterThan(widths.box);
  await expect(a.getByTestId('step-counter')).toHaveText('32');
  await expect(page.locator('#b').locator('.vke-waiting')).toHaveCount(1);

  await page.evaluate(() => (document.getElementById('tab')!.hidden = false));
  const svgB = page.locator('#b').getByRole('img', { name: /^KVM reference flow — after .*, step 10 of / });
  await expect(svgB).toBeVisible();
  expect((await svgB.boundingBox())!.width).toBeGreaterThan(600);
  await app.shot('element-opened-details');
});

test('two on one page step independently, with buttons and with keys', async ({ page, app }) => {
  void app;
  pages.set(
    '/two.html',
    hostPage(
      'Two explorers',
      `${SCRIPT}
<vfio-kvm-explorer id="a" scenario="happy-path" era="after"></vfio-kvm-explorer>
<vfio-kvm-explorer id="b" scenario="happy-path" era="before"></vfio-kvm-explorer>`,
      CSP,
    ),
  );
  await page.goto(host.url('/two.html'));
  const [a, b] = [page.locator('#a'), page.locator('#b')];
  const [ca, cb] = [a.getByTestId('step-counter'), b.getByTestId('step-counter')];
  await expect(ca).toHaveText('0');
  await b.scrollIntoViewIfNeeded();
  await expect(cb).toHaveText('0');

  await a.getByRole('button', { name: 'Step forward' }).click();
  await a.getByRole('button', { name: 'Step forward' }).click();
  await expect(ca).toHaveText('2');
  await expect(cb).toHaveText('0');
  await b.getByRole('button', { name: 'Step forward' }).click();
  await expect(cb).toHaveText('1');
  await expect(ca).toHaveText('2');

  // Keys act on the explorer that has the focus only.
  await a.getByRole('img', { name: /^KVM reference flow/ }).click();
  await page.keyboard.press('ArrowRight');
  await expect(ca).toHaveText('3');
  await expect(cb).toHaveText('1');
  await b.getByRole('img', { name: /^KVM reference flow/ }).click();
  await page.keyboard.press('ArrowLeft');
  await expect(cb).toHaveText('0');
  await expect(ca).toHaveText('3');
  // Focus on the host page: neither moves.
  await page.locator('h1').click();
  await page.keyboard.press('ArrowRight');
  await page.waitForTimeout(200);
  await expect(ca).toHaveText('3');
  await expect(cb).toHaveText('0');

  // Autoplay in one does not move the other; each has its own narration.
  await a.getByLabel('Speed').selectOption('30');
  await a.getByRole('button', { name: 'Play' }).click();
  await expect.poll(async () => Number(await ca.textContent())).toBeGreaterThan(10);
  await a.getByRole('button', { name: 'Pause' }).click();
  await expect(cb).toHaveText('0');
  await expect(b.getByTestId('narration')).toContainText('Step 0 of');
});

test('removed, it stops and empties its shadow root; put back, it starts again; moved, it keeps its place', async ({
  page,
  app,
}) => {
  void app;
  pages.set(
    '/remove.html',
    hostPage(
      'Remove',
      `${SCRIPT}\n<div id="box"></div>\n<vfio-kvm-explorer id="x" scenario="del-while-open" era="after" step="4"></vfio-kvm-explorer>`,
      CSP,
    ),
  );
  await page.goto(host.url('/remove.html'));
  const el = page.locator('#x');
  await expect(el.getByTestId('step-counter')).toHaveText('4');
  await el.getByRole('button', { name: 'Step forward' }).click();
  await expect(el.getByTestId('step-counter')).toHaveText('5');

  // Moved to another parent within one task: it keeps running where it was.
  await page.evaluate(() => document.getElementById('box')!.append(document.getElementById('x')!));
  await page.waitForTimeout(200);
  await expect(el.getByTestId('step-counter')).toHaveText('5');

  // Playing, then removed: unmounted, nothing renders any more, no errors.
  await el.getByLabel('Speed').selectOption('30');
  await el.getByRole('button', { name: 'Play' }).click();
  const handle = await el.elementHandle();
  await handle!.evaluate((e) => e.remove());
  const counts: number[] = [];
  for (let i = 0; i < 5; i++) {
    counts.push(await handle!.evaluate((e) => e.shadowRoot!.querySelector('.vke-mount')!.childElementCount));
    await page.waitForTimeout(150);
  }
  expect(counts).toEqual([0, 0, 0, 0, 0]);

  // Put back: a fresh start at its attributes.
  await handle!.evaluate((e) => document.body.append(e));
  await expect(el.getByTestId('step-counter')).toHaveText('4');
  await expect(el.getByRole('button', { name: 'Play' })).toBeVisible();
});

test('in a 360 px column nothing is wider than the element (its layout follows its own width)', async ({
  page,
  app,
}) => {
  pages.set(
    '/narrow.html',
    hostPage(
      'Narrow',
      `${SCRIPT}\n<aside id="col"><vfio-kvm-explorer scenario="del-while-open" era="before" step="${OOPS.step}" theme="dark"></vfio-kvm-explorer></aside>`,
      CSP,
    ),
  );
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.goto(host.url('/narrow.html'));
  // A 360 px column on a wide screen: the viewport's media queries do not apply; the container queries do.
  // (Set through the CSSOM: the page's CSP allows no style attribute in its markup.)
  await page.locator('#col').evaluate((c) => ((c as HTMLElement).style.width = '360px'));
  const el = page.locator('vfio-kvm-explorer');
  await expect(el.getByRole('img', { name: `step ${OOPS.step} of ${OOPS.total}` })).toBeVisible();
  await el.getByText('Threads and call stacks').click();
  await expect(el.getByRole('article', { name: 'Thread W', exact: true })).toBeVisible();
  const sizes = await el.evaluate((e) => {
    const root = e.shadowRoot!.querySelector('.vke-root')!;
    const right = e.getBoundingClientRect().right;
    return {
      host: e.getBoundingClientRect().width,
      scroll: root.scrollWidth,
      client: root.clientWidth,
      outside: [...e.shadowRoot!.querySelectorAll('*')].filter(
        (x) => x.getBoundingClientRect().right > right + 1,
      ).length,
    };
  });
  expect(sizes.host).toBe(360);
  expect(sizes.scroll).toBeLessThanOrEqual(sizes.client);
  expect(sizes.outside).toBe(0);
  // The compact player bar: the buttons keep their names, their text is visually hidden.
  await expect(el.getByRole('button', { name: 'Step forward' })).toBeVisible();
  expect(
    await el.getByRole('button', { name: 'Step forward' }).evaluate((b) => b.getBoundingClientRect().width),
  ).toBeLessThan(80);
  await el.screenshot({ path: test.info().outputPath('element-narrow-360.png') });
  void app;
});
