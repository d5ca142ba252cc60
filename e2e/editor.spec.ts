/** The scenario editor: paste or drop a file; field-level errors; a valid one runs and travels in the URL hash. */
import type { Page } from '@playwright/test';
import { test, expect } from './support/fixtures.ts';
import { builtin, encodeBase64Url, getRun, ERA_IDS } from './support/app.ts';
import { expectFlow } from './support/diagrams.ts';

const mine = () => ({
  ...builtin('happy-path')!,
  id: 'two-openers',
  title: 'Two openers, one DEL',
  description: 'My own: Q opens, KV deletes the group, Q2 opens again.',
  steps: [
    { thread: 'Q', op: 'kvm_add_group', vm: 'K', group: 'G' },
    { thread: 'Q', op: 'open_device', device: 'D' },
    { thread: 'KV', op: 'kvm_del_group', vm: 'K', group: 'G' },
    { thread: 'Q2', op: 'open_device', device: 'D' },
  ],
});

/**
 * The front page plays the story's first chapter to its moment: until it stops, the panels grow and shrink
 * with each step and the editor's summary moves under the pointer (a click can land beside it).
 */
async function storyStopped(page: Page): Promise<void> {
  await expect(page.getByRole('button', { name: 'Play', exact: true })).toBeVisible({ timeout: 60_000 });
}

test('invalid JSON and invalid fields are listed; a valid scenario runs and travels in the hash', async ({
  app,
  page,
}) => {
  await app.open();
  await storyStopped(page);
  const picker = page.getByRole('combobox', { name: 'Scenario', exact: true });
  // The front page's scenario (the story's first chapter), which a refused scenario leaves in place.
  const shown = await picker.inputValue();
  await page.getByText('Your own scenario').click();
  const text = page.getByRole('textbox', { name: 'Scenario JSON' });
  await expect(text).toBeVisible();

  await text.fill('{ "schema": ');
  await page.getByRole('button', { name: 'Check and run' }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'nothing was loaded' })).toContainText('not JSON');

  const bad = {
    ...mine(),
    era: 'later',
    steps: [...mine().steps, { thread: 'Q', op: 'close_device', device: 'E' }],
  };
  await text.fill(JSON.stringify(bad, null, 2));
  await page.getByRole('button', { name: 'Check and run' }).click();
  const errors = page.getByRole('alert').filter({ hasText: 'nothing was loaded' });
  await expect(errors).toContainText('2 problems');
  await expect(errors).toContainText(`era: expected one of ${ERA_IDS.join(', ')}`);
  await expect(errors).toContainText('got "later"');
  await expect(errors).toContainText('steps[4].device: unknown device "E"; devices are D');
  await expect(text).toHaveAttribute('aria-invalid', 'true');
  await app.shot('editor-errors');
  await expect(picker).toHaveValue(shown);

  const good = mine();
  await text.fill(JSON.stringify(good, null, 2));
  await page.getByRole('button', { name: 'Check and run' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Loaded “Two openers, one DEL”' })).toBeVisible();
  await expect(page.getByRole('heading', { level: 2, name: /Two openers, one DEL/ })).toBeVisible();
  await expect(page.getByRole('combobox', { name: 'Scenario', exact: true })).toHaveValue('__user');
  const d = getRun(good as never, 'after', []);
  await expectFlow(page, d, 0);
  for (let i = 0; i < 12; i++) await page.keyboard.press('ArrowRight');
  await expectFlow(page, d, 12);
  await expect
    .poll(() => page.evaluate(() => location.hash))
    .toBe(`#scenario=${encodeBase64Url(JSON.stringify(good))}`);
  await expect.poll(() => page.evaluate(() => location.search)).toBe('?era=after&step=12&v=1');
  // The address reopens it.
  await page.reload();
  await expect(page.getByRole('heading', { level: 2, name: /Two openers, one DEL/ })).toBeVisible();
  await expect(page.getByTestId('step-counter')).toHaveText('12');
});

test('a dropped file is read, validated and run', async ({ app, page }) => {
  await app.open();
  await storyStopped(page);
  await page.getByText('Your own scenario').click();
  const good = mine();
  const zone = page.locator('.editor');
  await expect(zone).toBeVisible();
  const dt = await page.evaluateHandle((json) => {
    const d = new DataTransfer();
    d.items.add(new File([json], 'mine.json', { type: 'application/json' }));
    return d;
  }, JSON.stringify(good));
  await zone.dispatchEvent('dragover', { dataTransfer: dt });
  await zone.dispatchEvent('drop', { dataTransfer: dt });
  await expect(page.getByRole('heading', { level: 2, name: /Two openers, one DEL/ })).toBeVisible();
  await expect(page.getByRole('textbox', { name: 'Scenario JSON' })).toHaveValue(JSON.stringify(good));
});

test("a broken #scenario= in the address shows the validator's errors and falls back", async ({
  app,
  page,
}) => {
  const bad = { ...mine(), devices: [{ id: 'D', driver: 'nvidia', group: 'G' }] };
  await app.open(`#scenario=${encodeBase64Url(JSON.stringify(bad))}`);
  await expect(page.getByRole('region', { name: 'Notices' })).toContainText(
    'devices[0].driver: expected one of gvt, vfio-ap, vfio-pci, got "nvidia"',
  );
  await expect(page.getByRole('combobox', { name: 'Scenario', exact: true })).toHaveValue('del-while-open');
});
