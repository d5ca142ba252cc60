/**
 * MkDocs + Material for MkDocs (Debian's mkdocs and mkdocs-material): the
 * recipe in examples/mkdocs built by `mkdocs build --strict`, served from
 * another origin with the explorer at the running preview, and read in
 * Chromium as a reader would: the palette toggle, and Material's instant
 * navigation (no reload) away and back.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, expect } from './support/fixtures.ts';
import {
  checkFrame,
  explorerConsole,
  files,
  frameTheme,
  requireTool,
  ROOT,
  startHost,
  timedBuild,
} from './support/host.ts';

test('Material: built with --strict; the explorer appears, steps and fits; the palette toggle reaches it; instant navigation away and back', async ({
  page,
  app,
  baseURL,
}, testInfo) => {
  test.setTimeout(180_000);
  requireTool('mkdocs', ['--version'], 'apt-get install mkdocs mkdocs-material (.ci/run does)');
  const out = mkdtempSync(join(tmpdir(), 'vfio-kvm-mkdocs-'));
  const site = await startHost(files('/', out));
  const noise = explorerConsole(page, baseURL!);
  try {
    timedBuild(
      testInfo,
      'mkdocs build',
      'mkdocs',
      ['build', '--strict', '-q', '-f', join(ROOT, 'examples/mkdocs/mkdocs.yml'), '-d', out],
      // The recipe reads both addresses from the environment, with its defaults in mkdocs.yml.
      { env: { VFIO_KVM_EXPLORER_URL: baseURL!, SITE_URL: `${site.origin}/` } },
    );
    expect(readFileSync(join(out, 'sitemap.xml'), 'utf8')).toContain(`<loc>${site.origin}/two-vms/</loc>`);

    await page.goto(site.url('/'));
    await page.evaluate(() => ((window as unknown as { marker: number }).marker = 1));
    const oops = page.locator('iframe.vfio-kvm-explorer');
    await checkFrame(oops, 50);
    await expect(frameTheme(oops)).toHaveAttribute('data-theme', 'light');
    await app.shot('mkdocs-light');

    await page.getByTitle('Switch to dark mode').first().click();
    await expect(page.locator('body')).toHaveAttribute('data-md-color-scheme', 'slate');
    await expect(frameTheme(oops)).toHaveAttribute('data-theme', 'dark');
    await oops.scrollIntoViewIfNeeded();
    await app.shot('mkdocs-dark');

    // Instant navigation: a link in the content, no reload (the marker survives); the new explorer is dark too.
    await page.getByRole('link', { name: 'the group moved to another VM', exact: true }).click();
    await expect(page).toHaveURL(/\/two-vms\/$/);
    const moved = page.locator('iframe.vfio-kvm-explorer');
    await expect(moved).toHaveAttribute('src', /scenario=del-then-add-other-vm/);
    await checkFrame(moved, 0);
    await expect(frameTheme(moved)).toHaveAttribute('data-theme', 'dark');
    expect(await page.evaluate(() => (window as unknown as { marker?: number }).marker)).toBe(1);
    await app.shot('mkdocs-after-instant-navigation');

    // And back (the browser's back button, which instant navigation also handles).
    await page.goBack();
    await expect(page).toHaveURL(`${site.origin}/`);
    const again = page.locator('iframe.vfio-kvm-explorer');
    await expect(again).toHaveAttribute('src', /scenario=del-while-open/);
    await checkFrame(again, 50);
    await expect(frameTheme(again)).toHaveAttribute('data-theme', 'dark');
    expect(await page.evaluate(() => (window as unknown as { marker?: number }).marker)).toBe(1);
    await page.getByTitle('Switch to light mode').first().click();
    await expect(frameTheme(again)).toHaveAttribute('data-theme', 'light');
  } finally {
    await site.close();
    rmSync(out, { recursive: true, force: true });
  }
  expect(noise).toEqual([]);
});
