/**
 * VitePress (from npm, pinned in examples/vitepress/package.json and
 * installed by `npm ci` there): the recipe built by `vitepress build`, served
 * from another origin with the explorer at the running preview, and read in
 * Chromium: the element, VitePress's appearance switch, and client-side
 * navigation away and back.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Locator } from '@playwright/test';
import { test, expect } from './support/fixtures.ts';
import { explorerConsole, files, ROOT, startHost, timedBuild } from './support/host.ts';

const DIR = join(ROOT, 'examples', 'vitepress');

/** The element appears at `step` with "Step forward" enabled, and steps. */
async function steps(el: Locator, step: number) {
  await el.scrollIntoViewIfNeeded();
  await expect(el.getByRole('img', { name: /^KVM reference flow/ })).toBeVisible();
  await expect(el.getByTestId('step-counter')).toHaveText(String(step));
  await expect(el.getByRole('button', { name: 'Step forward' })).toBeEnabled();
  await el.getByRole('button', { name: 'Step forward' }).click();
  await expect(el.getByTestId('step-counter')).toHaveText(String(step + 1));
}

test('VitePress: built by vitepress build; the element steps, follows the appearance switch, and survives client-side navigation', async ({
  page,
  app,
  baseURL,
}, testInfo) => {
  test.setTimeout(180_000);
  if (!existsSync(join(DIR, 'node_modules', '.bin', 'vitepress')))
    throw new Error('VitePress is not installed: run `npm ci --prefix examples/vitepress` (.ci/run does)');
  // The type declarations for the tag and the component.
  timedBuild(testInfo, 'tsc -p examples/vitepress', join(ROOT, 'node_modules', '.bin', 'tsc'), [
    '-p',
    join(DIR, 'tsconfig.json'),
  ]);
  const out = mkdtempSync(join(tmpdir(), 'vfio-kvm-vitepress-'));
  const site = await startHost(files('/', out));
  const noise = explorerConsole(page, baseURL!);
  try {
    timedBuild(
      testInfo,
      'vitepress build',
      join(DIR, 'node_modules', '.bin', 'vitepress'),
      ['build', 'docs', '--outDir', out],
      {
        cwd: DIR,
        env: { VFIO_KVM_EXPLORER_URL: baseURL! },
      },
    );
    // Prerendered: the element with its attributes and no theme (the reader's choice is known only in the browser).
    const html = readFileSync(join(out, 'index.html'), 'utf8');
    expect(html).toContain('<vfio-kvm-explorer scenario="last-ref-deadlock" era="after" step="31">');
    expect(html).toContain(`<script type="module" src="${baseURL}/vfio-kvm-explorer.js"`);

    await page.goto(site.url('/'));
    await page.evaluate(() => ((window as unknown as { marker: number }).marker = 1));
    const el = page.locator('vfio-kvm-explorer');
    await steps(el, 31);
    await expect(el.getByTestId('violation-alert')).toContainText('deadlock');
    await expect(el).toHaveAttribute('theme', 'light');
    await expect(el.locator('.vke-root')).toHaveAttribute('data-theme', 'light');
    await app.shot('vitepress-light');

    // VitePress's appearance switch (the `dark` class on <html>), not the reader's system.
    await page
      .getByRole('switch', { name: /switch to (light|dark) theme/i })
      .first()
      .click();
    await expect(page.locator('html')).toHaveClass(/\bdark\b/);
    await expect(el.locator('.vke-root')).toHaveAttribute('data-theme', 'dark');
    await el.scrollIntoViewIfNeeded();
    await app.shot('vitepress-dark');

    // Client-side navigation (no reload: the marker survives); the new page's element is dark from the start.
    await page.getByRole('link', { name: 'with the fixes', exact: true }).click();
    await expect(page).toHaveURL(/\/fixed(\.html)?$/);
    const fixed = page.locator('vfio-kvm-explorer');
    await expect(fixed).toHaveAttribute('era', 'fixed');
    await steps(fixed, 0);
    await expect(fixed.locator('.vke-root')).toHaveAttribute('data-theme', 'dark');
    expect(await page.evaluate(() => (window as unknown as { marker?: number }).marker)).toBe(1);
    await app.shot('vitepress-after-navigation');

    await page.getByRole('link', { name: 'the last reference', exact: true }).click();
    const back = page.locator('vfio-kvm-explorer');
    await expect(back).toHaveAttribute('era', 'after');
    await steps(back, 31);
    await expect(back.locator('.vke-root')).toHaveAttribute('data-theme', 'dark');
    await page
      .getByRole('switch', { name: /switch to (light|dark) theme/i })
      .first()
      .click();
    await expect(back.locator('.vke-root')).toHaveAttribute('data-theme', 'light');
    expect(await page.evaluate(() => (window as unknown as { marker?: number }).marker)).toBe(1);
  } finally {
    await site.close();
    rmSync(out, { recursive: true, force: true });
  }
  expect(noise).toEqual([]);
});
