/**
 * The docs recipes of examples/ in Chromium, each served from another origin
 * (as a docs site would be) with the explorer at the running preview: they
 * open without a console error, their iframes take the explorer's height,
 * their elements render. The Sphinx one is built with `sphinx-build -W`; the
 * Docusaurus component is bundled into a page; the MkDocs script runs on a
 * page that imitates Material's instant navigation.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Frame, Page } from '@playwright/test';
import { test, expect } from './support/fixtures.ts';
import {
  EXAMPLES_EXPLORER,
  files,
  hostPage,
  ROOT,
  startHost,
  type Host,
  type Reply,
} from './support/host.ts';

let host: Host;
let explorer = '';
const extra = new Map<string, Reply>();
const dirs: string[] = [];

test.beforeAll(async ({ baseURL }) => {
  explorer = baseURL!;
  const swap: [string, string][] = [[EXAMPLES_EXPLORER, explorer]];
  host = await startHost(
    (p) => extra.get(p) ?? null,
    files('/plain-html/', 'examples/plain-html', swap),
    files('/mkdocs/', 'examples/mkdocs/docs', swap),
  );
});
test.afterAll(async () => {
  await host.close();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function frameOf(page: Page, sel: string): Promise<Frame> {
  return page
    .locator(sel)
    .elementHandle()
    .then((h) => h!.contentFrame())
    .then((f) => f!);
}

/** The iframe is as tall as the explorer inside it (the resize protocol works on this page). */
async function fitsContent(page: Page, sel: string) {
  const frame = await frameOf(page, sel);
  await expect(frame.getByRole('img', { name: /^KVM reference flow/ })).toBeVisible();
  await expect
    .poll(async () => {
      const outer = await page.locator(sel).evaluate((f) => f.clientHeight);
      const inner = await frame.locator('#root').evaluate((r) => Math.ceil(r.getBoundingClientRect().height));
      return Math.abs(outer - inner) <= 1 && outer !== 640;
    })
    .toBe(true);
  return frame;
}

test('plain HTML: the iframe with its resize listener, and host buttons that send commands and the theme', async ({
  page,
  app,
}) => {
  await page.goto(host.url('/plain-html/index.html'));
  const frame = await fitsContent(page, 'iframe');
  await expect(frame.getByTestId('step-counter')).toHaveText('52');
  await page.getByRole('button', { name: 'Go to the oops (step 53)' }).click();
  await expect(frame.getByTestId('step-counter')).toHaveText('53');
  await expect(frame.getByTestId('violation-alert')).toContainText('Violation (null-deref)');
  await fitsContent(page, 'iframe');
  await page.getByRole('button', { name: 'Step', exact: true }).click();
  await expect(frame.getByTestId('step-counter')).toHaveText('54');
  await page.getByRole('button', { name: 'Back' }).click();
  await expect(frame.getByTestId('step-counter')).toHaveText('53');
  await page.getByRole('button', { name: 'Dark' }).click();
  await expect(frame.locator('.vke-root')).toHaveAttribute('data-theme', 'dark');
  await page.locator('iframe').scrollIntoViewIfNeeded();
  await app.shot('example-plain-html-iframe');
  await page.getByRole('button', { name: 'Reset' }).click();
  await expect(frame.getByTestId('step-counter')).toHaveText('0');
});

test('plain HTML: the element, in the page and in a <details>', async ({ page, app }) => {
  await page.goto(host.url('/plain-html/element.html'));
  const [first, second] = [
    page.locator('vfio-kvm-explorer').first(),
    page.locator('vfio-kvm-explorer').nth(1),
  ];
  await expect(
    first.getByRole('img', { name: /^KVM reference flow — after .*, step 32 of 32$/ }),
  ).toBeVisible();
  await expect(first.getByTestId('violation-alert')).toContainText('Violation (deadlock)');
  await expect(second.locator('.vke-waiting')).toHaveCount(1);
  await page.getByText('And with 2b48f52f2bff').click();
  await expect(second.getByRole('img', { name: /^KVM reference flow — fixed/ })).toBeVisible();
  await second.getByRole('button', { name: 'Step forward' }).click();
  await expect(second.getByTestId('step-counter')).toHaveText('1');
  await expect(first.getByTestId('step-counter')).toHaveText('32');
  await app.shot('example-plain-html-element');
});

test('Sphinx: sphinx-build -W builds it; the page shows the sized iframe and the rendered figure', async ({
  page,
  app,
}) => {
  const sphinx = spawnSync('sphinx-build', ['--version'], { encoding: 'utf8' });
  if (sphinx.error) {
    // Not on this machine: CI installs it, so there the build below always runs.
    expect(readFileSync(join(ROOT, '.ci', 'run'), 'utf8')).toContain('need+=(python3-sphinx)');
    return;
  }
  const out = mkdtempSync(join(tmpdir(), 'vfio-kvm-sphinx-'));
  dirs.push(out);
  const log = execFileSync(
    'sphinx-build',
    ['-W', '--keep-going', '-q', '-b', 'html', join(ROOT, 'examples', 'sphinx'), out],
    { encoding: 'utf8', stdio: 'pipe' },
  );
  expect(log).toBe('');
  const sphinxHost = await startHost(files('/', out, [[EXAMPLES_EXPLORER, explorer]]));
  try {
    await page.goto(sphinxHost.url('/index.html'));
    await expect(page.getByRole('heading', { level: 1, name: /The GVT oops of/ })).toBeVisible();
    await fitsContent(page, 'iframe.vfio-kvm-explorer');
    const img = page.getByRole('img', { name: /^KVM reference flow, before the patch, step 53 of 61/ });
    await expect(img).toBeVisible();
    expect(await img.evaluate((i: HTMLImageElement) => i.naturalWidth)).toBeGreaterThan(500);
    await img.scrollIntoViewIfNeeded();
    await app.shot('example-sphinx');
  } finally {
    await sphinxHost.close();
  }
});

test('MkDocs Material: the extra script sizes the iframes and passes the colour scheme, also after an instant navigation', async ({
  page,
  app,
}) => {
  const index = readFileSync(join(ROOT, 'examples', 'mkdocs', 'docs', 'index.md'), 'utf8');
  const twoVms = readFileSync(join(ROOT, 'examples', 'mkdocs', 'docs', 'two-vms.md'), 'utf8');
  const iframe = (md: string) =>
    /<iframe[\s\S]*?<\/iframe>/.exec(md)![0].split(EXAMPLES_EXPLORER).join(explorer);
  // What Material gives a page: body[data-md-color-scheme], a document$ that emits now and on every navigation.
  extra.set(
    '/material.html',
    hostPage(
      'MkDocs Material (imitation)',
      `<script src="/material-shim.js"></script>
<article id="content">${iframe(index)}</article>
<script src="/mkdocs/javascripts/vfio-kvm-explorer.js"></script>`,
    ),
  );
  extra.set('/material-shim.js', {
    type: 'text/javascript',
    body: `document.body.setAttribute('data-md-color-scheme', 'default');
var subs = [];
window.document$ = { subscribe: function (f) { subs.push(f); f(document); return { unsubscribe: function () {} }; } };
window.navigateTo = function (html) { document.getElementById('content').innerHTML = html; subs.forEach(function (f) { f(document); }); };`,
  });
  await page.goto(host.url('/material.html'));
  const first = await fitsContent(page, 'iframe.vfio-kvm-explorer');
  await expect(first.locator('.vke-root')).toHaveAttribute('data-theme', 'light');
  await page.evaluate(() => document.body.setAttribute('data-md-color-scheme', 'slate'));
  await expect(first.locator('.vke-root')).toHaveAttribute('data-theme', 'dark');

  // Instant navigation: new content, no reload; the new iframe is sized and gets the scheme too.
  await page.evaluate(
    (html) => (window as unknown as { navigateTo(h: string): void }).navigateTo(html),
    iframe(twoVms),
  );
  const second = await fitsContent(page, 'iframe.vfio-kvm-explorer');
  await expect(second.getByRole('img', { name: /^KVM reference flow — before/ })).toBeVisible();
  await expect(second.locator('.vke-root')).toHaveAttribute('data-theme', 'dark');
  await app.shot('example-mkdocs-after-navigation');
});

test('Docusaurus: the component (bundled into a page) renders the iframe on the client, sized, following data-theme', async ({
  page,
  app,
}) => {
  const out = mkdtempSync(join(tmpdir(), 'vfio-kvm-docusaurus-'));
  dirs.push(out);
  const { build } = await import('vite');
  const react = (await import('@vitejs/plugin-react')).default;
  // Vite's build sets NODE_ENV in this process; the specs that run after this one in the worker must not inherit it.
  const nodeEnv = process.env.NODE_ENV;
  await build({
    root: ROOT,
    configFile: false,
    logLevel: 'silent',
    plugins: [react()],
    define: { 'process.env.NODE_ENV': JSON.stringify('production') },
    build: {
      outDir: out,
      emptyOutDir: true,
      lib: {
        entry: join(ROOT, 'e2e', 'support', 'docusaurus-harness.tsx'),
        formats: ['es'],
        fileName: () => 'docusaurus.js',
      },
      rollupOptions: { output: { codeSplitting: false } },
    },
  }).finally(() => {
    if (nodeEnv === undefined) delete process.env.NODE_ENV;
    else process.env.NODE_ENV = nodeEnv;
  });
  const js = readFileSync(join(out, 'docusaurus.js'));
  extra.set('/docusaurus.js', { type: 'text/javascript', body: js });
  extra.set('/docusaurus.html', {
    type: 'text/html; charset=utf-8',
    body: `<!doctype html><html lang="en" data-explorer="${explorer}"><head><meta charset="utf-8"><link rel="icon" href="data:,"><title>Docusaurus (imitation)</title></head><body><h1>Docusaurus</h1><div id="root"></div><script type="module" src="/docusaurus.js"></script></body></html>`,
  });
  await page.goto(host.url('/docusaurus.html'));
  const frame = await fitsContent(page, 'iframe');
  await expect(page.locator('iframe')).toHaveAttribute('title', 'vfio-kvm-explorer: del-while-open (before)');
  await expect(frame.getByTestId('step-counter')).toHaveText('52');
  await expect(frame.locator('.vke-root')).toHaveAttribute('data-theme', 'light');
  await page.evaluate(() => (document.documentElement.dataset.theme = 'dark'));
  await expect(frame.locator('.vke-root')).toHaveAttribute('data-theme', 'dark');
  await frame.getByRole('button', { name: 'Step forward' }).click();
  await fitsContent(page, 'iframe');
  await app.shot('example-docusaurus');
});
