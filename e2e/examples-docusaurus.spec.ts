/**
 * Docusaurus (from npm, pinned in examples/docusaurus/package.json and
 * installed by `npm ci` there): the recipe built by `docusaurus build`, served
 * from another origin with the explorer at the running preview, and read in
 * Chromium: the component's placeholder and iframe, the colour-mode switch,
 * and client-side navigation away and back.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, expect } from './support/fixtures.ts';
import {
  checkFrame,
  explorerConsole,
  files,
  fit,
  frameTheme,
  ROOT,
  startHost,
  timedBuild,
} from './support/host.ts';

const DIR = join(ROOT, 'examples', 'docusaurus');
/** The first page's height= (docs/vfio-kvm-explorer.mdx). */
const HEIGHT = 780;

test('Docusaurus: built by docusaurus build; a placeholder of the right height, then the explorer that steps and fits, follows the colour mode, and survives client-side navigation', async ({
  page,
  app,
  baseURL,
}, testInfo) => {
  test.setTimeout(240_000);
  if (!existsSync(join(DIR, 'node_modules', '.bin', 'docusaurus')))
    throw new Error('Docusaurus is not installed: run `npm ci --prefix examples/docusaurus` (.ci/run does)');
  // The component's props are typed (and wrong ones are rejected).
  timedBuild(testInfo, 'tsc -p examples/docusaurus', join(ROOT, 'node_modules', '.bin', 'tsc'), [
    '-p',
    join(DIR, 'tsconfig.json'),
  ]);
  const out = mkdtempSync(join(tmpdir(), 'vfio-kvm-docusaurus-'));
  const site = await startHost(files('/', out));
  const noise = explorerConsole(page, baseURL!);
  try {
    timedBuild(
      testInfo,
      'docusaurus build',
      join(DIR, 'node_modules', '.bin', 'docusaurus'),
      ['build', '--out-dir', out],
      { cwd: DIR, env: { VFIO_KVM_EXPLORER_URL: baseURL!, SITE_URL: site.origin } },
    );
    // Prerendered: the placeholder of the height the page gives, no iframe.
    const html = readFileSync(join(out, 'index.html'), 'utf8');
    expect(html).toContain(
      `<div class="vfio-kvm-explorer-placeholder" style="height:${HEIGHT}px" aria-busy="true" aria-label="vfio-kvm-explorer: del-while-open (before)">`,
    );
    expect(html).not.toContain('<iframe');

    // How far the text after the explorer moves between the prerendered page and the running explorer.
    const NEXT = 'article p:has(> a[href="/after-the-patch"])';
    await page.addInitScript((sel) => {
      document.addEventListener('DOMContentLoaded', () => {
        const p = document.querySelector(sel);
        (window as unknown as { firstTop?: number }).firstTop = p
          ? p.getBoundingClientRect().top + scrollY
          : -1;
      });
    }, NEXT);
    await page.goto(site.url('/'));
    await page.evaluate(() => ((window as unknown as { marker: number }).marker = 1));
    const oops = page.locator('iframe.vfio-kvm-explorer');
    await expect(oops).toHaveAttribute('title', 'vfio-kvm-explorer: del-while-open (before)');
    await expect(oops).toHaveAttribute('src', /theme=light/);
    await expect(frameTheme(oops)).toHaveAttribute('data-theme', 'light');
    await expect.poll(() => fit(oops)).toEqual({ fits: true, innerScroll: false });
    const reported = await oops.evaluate((f) => f.getBoundingClientRect().height);
    const first = await page.evaluate(() => (window as unknown as { firstTop: number }).firstTop);
    const now = await page.locator(NEXT).evaluate((p) => p.getBoundingClientRect().top + scrollY);
    const layout = `placeholder ${HEIGHT} px, explorer ${reported} px: the text after it moved ${Math.round(now - first)} px`;
    testInfo.annotations.push({ type: 'layout', description: layout });
    console.log(`[layout] ${layout}`);
    expect(first).toBeGreaterThan(0);
    // Within 10 % (fonts differ between machines); the old 640 px placeholder moved it by about 380 px.
    expect(Math.abs(now - first), `${layout}: update height= in the MDX`).toBeLessThan(reported * 0.1);
    await checkFrame(oops, 50);
    await app.shot('docusaurus-light');

    // The site's colour-mode switch reaches the explorer (without reloading it).
    await page.getByRole('button', { name: /Switch between dark and light mode/ }).click();
    await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
    await expect(frameTheme(oops)).toHaveAttribute('data-theme', 'dark');
    await expect(oops.contentFrame().getByTestId('step-counter')).toHaveText('51');
    await oops.scrollIntoViewIfNeeded();
    await app.shot('docusaurus-dark');

    // Client-side navigation (no reload: the marker survives); the new explorer starts dark.
    await page.getByRole('link', { name: 'after the patch', exact: true }).click();
    await expect(page).toHaveURL(`${site.origin}/after-the-patch`);
    const after = page.locator('iframe.vfio-kvm-explorer');
    await expect(after).toHaveAttribute('src', /era=after&theme=dark/);
    await checkFrame(after, 0);
    await expect(frameTheme(after)).toHaveAttribute('data-theme', 'dark');
    expect(await page.evaluate(() => (window as unknown as { marker?: number }).marker)).toBe(1);
    await app.shot('docusaurus-after-navigation');

    await page.getByRole('link', { name: 'the GVT oops', exact: true }).click();
    const back = page.locator('iframe.vfio-kvm-explorer');
    await expect(back).toHaveAttribute('src', /era=before&step=50&theme=dark/);
    await checkFrame(back, 50);
    await page.getByRole('button', { name: /Switch between dark and light mode/ }).click();
    await expect(frameTheme(back)).toHaveAttribute('data-theme', 'light');
    expect(await page.evaluate(() => (window as unknown as { marker?: number }).marker)).toBe(1);
  } finally {
    await site.close();
    rmSync(out, { recursive: true, force: true });
  }
  expect(noise).toEqual([]);
});
