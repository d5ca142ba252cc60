/**
 * Strict CSP (issue 6): dist/ served by a plain static server that adds
 * `Content-Security-Policy: default-src 'self'; script-src 'self'; style-src 'self'`
 * to every response. The page and embed.html must do everything they do —
 * load every lazy chunk, animate a step, compare eras, open the editor, run
 * the explorer's Web Worker, switch theme — with no `securitypolicyviolation`
 * and no console error. (The element's own CSP test is in element.spec.ts.)
 *
 * Also here, as it needs the same private server: a chunk that is gone
 * (the site was redeployed while the tab was open) gives a message with a
 * reload button where that part would be, and the rest keeps working.
 */
import type { Page } from '@playwright/test';
import { test, expect, appReady } from './support/fixtures.ts';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { files, ROOT, startHost, STRICT_CSP, type Host, type Route } from './support/host.ts';
import { OOPS } from './support/model.ts';

let host: Host;
/** Paths that answer 404 (set by a test). */
const gone = new Set<string>();

const withCsp =
  (route: Route): Route =>
  async (path) => {
    if (gone.has(path))
      return {
        body: 'gone',
        type: 'text/plain',
        status: 404,
        headers: { 'content-security-policy': STRICT_CSP },
      };
    const r = await route(path);
    return r && { ...r, headers: { ...r.headers, 'content-security-policy': STRICT_CSP } };
  };

test.beforeAll(async () => {
  host = await startHost(withCsp(files('/', 'dist')));
});
test.afterAll(async () => {
  await host.close();
});
test.beforeEach(async ({ page }) => {
  gone.clear();
  await page.addInitScript(() => {
    const w = window as unknown as { cspViolations: string[] };
    w.cspViolations = [];
    document.addEventListener('securitypolicyviolation', (e) =>
      w.cspViolations.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`),
    );
  });
});

const violations = (page: Page) =>
  page.evaluate(() => (window as unknown as { cspViolations: string[] }).cspViolations);

async function openAt(page: Page, path: string) {
  await page.goto(host.url(path));
  await appReady(page);
  await expect(page.getByRole('button', { name: 'Step forward' })).toBeVisible();
  await expect(page.getByRole('img', { name: /^KVM reference flow/ }).first()).toBeVisible();
}

test('the page works under the strict CSP: panels, animation, compare, editor, explorer worker, theme', async ({
  page,
  app,
}) => {
  // The server really sends the policy.
  const res = await page.request.get(host.url('/index.html'));
  expect(res.headers()['content-security-policy']).toBe(STRICT_CSP);

  await openAt(page, '/index.html?scenario=last-ref-deadlock&era=after');
  await expect(page.locator('[aria-busy="true"]')).toHaveCount(0);
  // Animated steps (d3 transitions set styles and attributes on the SVG).
  for (let i = 1; i <= 4; i++) {
    await page.getByRole('button', { name: 'Step forward' }).click();
    await expect(page.getByTestId('step-counter')).toHaveText(String(i));
  }
  await page.waitForTimeout(800);
  // Autoplay for a moment.
  await page.getByRole('button', { name: 'Play' }).click();
  await page.waitForTimeout(600);
  await page.getByRole('button', { name: 'Pause' }).click();

  // The side-by-side view (a lazy chunk).
  await page.getByRole('button', { name: 'Compare eras' }).click();
  await expect(page.getByRole('heading', { name: 'Side by side' })).toBeVisible();
  await page.getByRole('button', { name: 'Compare eras' }).click();

  // The editor (a lazy chunk).
  await page.getByText('Your own scenario').click();
  await expect(page.getByRole('textbox').first()).toBeVisible();

  // The explorer: a module Web Worker from the same origin (worker-src falls back to script-src 'self').
  await page.getByRole('button', { name: 'Explore all interleavings' }).click();
  await expect(page.getByTestId('explore-result')).toBeVisible({ timeout: 30_000 });
  await expect(page.getByTestId('explore-result')).toContainText('Complete');

  // The theme switch.
  const theme = page.getByRole('combobox', { name: /theme/i });
  if (await theme.count()) await theme.selectOption('dark');
  else
    await page
      .getByRole('button', { name: /theme|dark/i })
      .first()
      .click();

  expect(await violations(page)).toEqual([]);
  await app.shot('page-strict-csp');
});

test('embed.html works under the strict CSP', async ({ page }) => {
  await page.goto(host.url(`/embed.html?scenario=del-while-open&era=before&step=${OOPS.step - 1}`));
  await expect(page.getByTestId('step-counter')).toHaveText(String(OOPS.step - 1));
  await page.getByRole('button', { name: 'Step forward' }).click();
  await expect(page.getByTestId('step-counter')).toHaveText(String(OOPS.step));
  await expect(page.getByTestId('violation-alert')).toContainText('Violation (null-deref)');
  await page.waitForTimeout(800);
  expect(await violations(page)).toEqual([]);
});

test('a policy violation is caught by this test (the check can fail)', async ({ page }) => {
  // An inline style attribute, which the policy forbids: the listener must see it.
  await openAt(page, '/index.html');
  await page.evaluate(() => {
    const d = document.createElement('div');
    d.innerHTML = '<span style="color: red">x</span>';
    document.body.append(d);
  });
  await expect.poll(() => violations(page)).toEqual([expect.stringMatching(/^style-src/)]);
});

test('a chunk that is gone after a redeploy: a message with a reload button there, and the rest still works', async ({
  page,
  consoleErrors,
}) => {
  const chunk = (await readdir(join(ROOT, 'dist', 'assets'))).find((f) => /^CompareView-.*\.js$/.test(f));
  expect(chunk, 'the side-by-side view is its own chunk').toBeTruthy();
  gone.add(`/assets/${chunk}`);
  await openAt(page, '/index.html?scenario=del-while-open&era=before&step=10');

  await page.getByRole('button', { name: 'Compare eras' }).click();
  const failed = page.locator('.chunk-failed');
  await expect(failed).toContainText('The side-by-side view could not load');
  await expect(failed.getByRole('button', { name: 'Reload the page' })).toBeVisible();
  // The rest of the page still works.
  await page.getByRole('button', { name: 'Compare eras' }).click();
  await expect(page.getByRole('img', { name: /^KVM reference flow/ })).toBeVisible();
  await page.getByRole('button', { name: 'Step forward' }).click();
  await expect(page.getByTestId('step-counter')).toHaveText('11');
  // The browser logs the 404 itself; nothing else (no uncaught error).
  const others = consoleErrors.filter(
    (e) => !/Failed to load resource: the server responded with a status of 404/.test(e),
  );
  expect(others).toEqual([]);
  consoleErrors.length = 0;
});
