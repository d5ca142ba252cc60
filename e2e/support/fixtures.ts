/**
 * The `test` every spec uses: it fails on any console error or uncaught page
 * error, and offers helpers to open the page at a URL, read the player, and
 * attach screenshots to the report.
 */
import { test as base, expect, type Page, type TestInfo } from '@playwright/test';

export interface AppPage {
  page: Page;
  /** Open the page at a query string (and hash), and wait until the player is ready. */
  open(query?: string): Promise<void>;
  /** The step counter. */
  step(): Promise<number>;
  /** Attach a screenshot to the test report. */
  shot(name: string, opts?: { fullPage?: boolean }): Promise<void>;
  /** Move the focus to nothing (so Space and the arrows reach the page). */
  blur(): Promise<void>;
}

export const test = base.extend<{ app: AppPage; consoleErrors: string[] }>({
  consoleErrors: async ({ page }, use) => {
    const errors: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(`console.error: ${m.text()}`);
    });
    page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
    await use(errors);
    expect(errors, 'no console errors or page errors').toEqual([]);
  },
  app: async ({ page, consoleErrors }, use, testInfo) => {
    void consoleErrors;
    await use(makeApp(page, testInfo));
  },
});

/**
 * The reader is there: the pointer moves over the page. The front page (an address without parameters)
 * loads the explorer's code only when the reader is about to act (src/prerender/boot.ts: until then it
 * shows the build-time default view and runs no code); any other address loads it at once.
 */
export async function arrive(page: Page): Promise<void> {
  if (await page.evaluate(() => document.documentElement.dataset.app === 'static'))
    await page.mouse.move(2, 2);
}

/**
 * The explorer has mounted (src/prerender/boot.ts sets <html data-app="ready">), the reader having
 * arrived (`arrive`): until then the page may show the build-time default view, whose controls work but
 * are replayed only once React is there.
 */
export async function appReady(page: Page): Promise<void> {
  await arrive(page);
  await expect(page.locator('html')).toHaveAttribute('data-app', 'ready');
}

export function makeApp(page: Page, testInfo: TestInfo): AppPage {
  return {
    page,
    async open(query = '') {
      await page.goto(`/${query}`);
      await appReady(page);
      await expect(page.getByRole('button', { name: 'Step forward' })).toBeVisible();
      await expect(page.getByRole('img', { name: /^KVM reference flow/ }).first()).toBeVisible();
      // The panels below the first view arrive in their own chunks.
      await expect(page.locator('[aria-busy="true"]')).toHaveCount(0);
    },
    async step() {
      return Number(await page.getByTestId('step-counter').textContent());
    },
    async shot(name, opts = {}) {
      // Kept as a file in the test's output folder (test-results/…) and attached to the report.
      const path = testInfo.outputPath(`${name.replace(/[^\w.-]+/g, '-')}.png`);
      await page.screenshot({ path, fullPage: opts.fullPage ?? false });
      await testInfo.attach(name, { path, contentType: 'image/png' });
    },
    async blur() {
      await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur?.());
    },
  };
}

export { expect };
