/**
 * The era control: a combobox labelled "Era" (a button that opens the
 * history as a timeline, a listbox of the twelve eras). Its value, the era
 * shown, is its `data-value`; its text names the era.
 */
import type { Page } from '@playwright/test';
import { expect } from '@playwright/test';
import { ERAS } from './app.ts';

export function eraControl(page: Page) {
  return page.getByRole('combobox', { name: 'Era', exact: true });
}

/** The era control names this era. */
export async function expectEra(page: Page, era: string): Promise<void> {
  const c = eraControl(page);
  await expect(c).toHaveAttribute('data-value', era);
  await expect(c).toContainText(ERAS[era as keyof typeof ERAS].title);
}

/** Choose an era in the timeline, as a reader does with the mouse. */
export async function selectEra(page: Page, era: string): Promise<void> {
  await eraControl(page).click();
  const list = page.getByRole('listbox', { name: 'Timeline of the change' });
  await expect(list).toBeVisible();
  await list.locator(`[role="option"][data-era="${era}"]`).click();
  await expect(list).toHaveCount(0);
  await expect(eraControl(page)).toHaveAttribute('data-value', era);
}
