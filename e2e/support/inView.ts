/** Whether a part of the page is wholly inside the viewport and above the player bar (one-screen checks). */
import type { Locator, Page } from '@playwright/test';
import { expect } from './fixtures.ts';

export async function inView(page: Page, what: string, loc: Locator): Promise<void> {
  const vp = page.viewportSize()!;
  const bar = (await page.locator('.playerbar').boundingBox())!;
  const b = await loc.boundingBox();
  expect(b, `${what} is drawn`).not.toBeNull();
  const where = `${what} at ${JSON.stringify(b)}; bar top ${bar.y}, viewport ${vp.width}×${vp.height}`;
  expect(b!.x, where).toBeGreaterThanOrEqual(0);
  expect(b!.y, where).toBeGreaterThanOrEqual(0);
  expect(b!.x + b!.width, where).toBeLessThanOrEqual(vp.width + 0.5);
  expect(b!.y + b!.height, where).toBeLessThanOrEqual(bar.y + 0.5);
}
