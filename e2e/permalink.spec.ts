/**
 * Permalinks (README, "Share and embed"): the v=1 fixture links keep opening the moment they
 * were made at; "Copy link" at step N reopens at step N (with a schedule, and
 * with a user's scenario in the hash); without the Clipboard API the text is
 * offered in a selected field; a bad scenario in the address gives a clear
 * message and a working explorer, in the page and in embed.html.
 */
import { readFileSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { test, expect, appReady } from './support/fixtures.ts';
import { expectEra } from './support/era.ts';
import { ERAS, encodeBase64Url } from './support/app.ts';
import { narrationAt, runOf, threadCard } from './support/model.ts';

interface Fixture {
  url: string;
  why: string;
  expect: {
    scenario: string;
    title: string;
    era: string;
    step: number;
    total: number;
    narration: string | null;
    threads: Record<string, string>;
    flowTitle: string;
    violations: string[];
    /** The ids of the notices the link opens with (an era corrected since the link was made). */
    notices: string[];
  };
}

const fixtures = JSON.parse(readFileSync(new URL('./fixtures/permalinks.json', import.meta.url), 'utf8')) as {
  format: number;
  links: Fixture[];
};

async function ready(page: Page) {
  // index.html says when React has mounted (its build-time view is there before); embed.html has no such view.
  if (!new URL(page.url()).pathname.endsWith('embed.html')) await appReady(page);
  await expect(page.getByRole('button', { name: 'Step forward' })).toBeVisible();
  await expect(page.getByRole('img', { name: /^KVM reference flow/ }).first()).toBeVisible();
}

test.describe('v=1 links made earlier open the same moment', () => {
  for (const f of fixtures.links) {
    test(`${f.why}: ${f.url.slice(0, 70)}`, async ({ page, app }) => {
      void app;
      const x = f.expect;
      const embed = f.url.startsWith('/embed.html');
      await page.goto(f.url);
      await ready(page);
      await expect(page.getByTestId('step-counter')).toHaveText(String(x.step));
      await expect(page.getByRole('img', { name: x.flowTitle, exact: true })).toBeVisible();
      await expect(page.getByTestId('narration')).toContainText(x.narration ?? `Step 0 of ${x.total}`);
      const alert = page.getByTestId('violation-alert');
      if (x.violations.length)
        for (const k of x.violations) await expect(alert).toContainText(`Violation (${k})`);
      else await expect(alert).toHaveText('');
      if (embed) {
        await expect(page.locator('.embed-scenario')).toHaveText(x.title);
        await page.getByText('Threads and call stacks').click();
      } else {
        await expectEra(page, x.era);
        await expect(page.getByRole('heading', { level: 2, name: x.title })).toBeVisible();
        if (!f.url.includes('#scenario='))
          await expect(page.getByRole('combobox', { name: 'Scenario', exact: true })).toHaveValue(x.scenario);
      }
      for (const [id, status] of Object.entries(x.threads))
        await expect(threadCard(page, id).getByTestId('thread-status')).toHaveText(status);
      // The link is read as it was written: no notice but the one saying its era was corrected since.
      await expect(page.locator('[data-notice]')).toHaveCount(x.notices.length);
      for (const id of x.notices) await expect(page.locator(`[data-notice="${id}"]`)).toBeVisible();
      if (f.url.includes('theme=dark'))
        await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
    });
  }
});

test.describe('Copy link', () => {
  test.beforeEach(async ({ context, baseURL }) => {
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: baseURL });
  });

  const copyLink = async (page: Page) => {
    await page.getByRole('button', { name: 'Copy link' }).click();
    await expect(page.getByTestId('share-status')).toHaveText(
      'Link copied: it reopens this scenario, era and step.',
    );
    return page.evaluate(() => navigator.clipboard.readText());
  };

  test('a link copied at step N reopens at step N', async ({ app, page, context, baseURL }) => {
    const d = runOf('two-mdevs-same-vm', 'fixed');
    await app.open('?scenario=two-mdevs-same-vm&era=fixed');
    await app.blur();
    for (let i = 0; i < 17; i++) await page.keyboard.press('ArrowRight');
    await expect(page.getByTestId('step-counter')).toHaveText('17');
    const link = await copyLink(page);
    expect(link).toBe(`${baseURL}/?scenario=two-mdevs-same-vm&era=fixed&step=17&v=1`);

    const again = await context.newPage();
    await again.goto(link);
    await ready(again);
    await expect(again.getByTestId('step-counter')).toHaveText('17');
    await expect(again.getByTestId('narration')).toContainText(narrationAt(d, 17));
    await expect(
      again.getByRole('img', {
        name: `KVM reference flow — ${ERAS.fixed.title}, step 17 of ${d.total}`,
        exact: true,
      }),
    ).toBeVisible();
    await again.close();
  });

  test('with a schedule picked in scheduler mode', async ({ app, page, context }) => {
    await app.open('?scenario=last-ref-deadlock&era=after');
    await page.getByRole('checkbox', { name: 'Scheduler mode' }).check();
    // Pick the last thread offered each time: not the default order.
    const picked: string[] = [];
    for (let i = 0; i < 4; i++) {
      const run = page.getByRole('button', { name: /^Run / }).last();
      picked.push((await run.textContent())!.replace(/^Run /, ''));
      await run.click();
      await expect(page.getByTestId('step-counter')).toHaveText(String(i + 1));
    }
    const link = await copyLink(page);
    // The link carries the schedule up to the last pick the default order would not have made.
    const schedule = new URL(link).searchParams.get('schedule')!.split(',');
    expect(picked.slice(0, schedule.length)).toEqual(schedule);
    const d = runOf('last-ref-deadlock', 'after', schedule);
    expect(d.run.records.slice(0, 4).map((r) => r.thread)).toEqual(picked);
    expect(
      runOf('last-ref-deadlock', 'after')
        .run.records.slice(0, 4)
        .map((r) => r.thread),
    ).not.toEqual(picked);
    const again = await context.newPage();
    await again.goto(link);
    await ready(again);
    await expect(again.getByTestId('step-counter')).toHaveText('4');
    await expect(again.getByTestId('narration')).toContainText(narrationAt(d, 4));
    for (const t of d.view(4).threads)
      await expect(threadCard(again, t.id).getByTestId('thread-status')).toHaveText(t.status);
    await again.close();
  });

  test("with a user's own scenario, in the hash", async ({ page, context }) => {
    const user = fixtures.links.find((l) => l.url.includes('#scenario='))!;
    await page.goto(user.url);
    await ready(page);
    await page.getByRole('button', { name: 'Step forward' }).click();
    await page.getByRole('button', { name: 'Step forward' }).click();
    await expect(page.getByTestId('step-counter')).toHaveText(String(user.expect.step + 2));
    const link = await copyLink(page);
    expect(link).toContain(`step=${user.expect.step + 2}`);
    expect(new URL(link).hash).toBe(new URL(user.url, 'http://x').hash);
    const again = await context.newPage();
    await again.goto(link);
    await ready(again);
    await expect(again.getByTestId('step-counter')).toHaveText(String(user.expect.step + 2));
    await expect(again.getByRole('heading', { level: 2, name: user.expect.title })).toBeVisible();
    await again.close();
  });
});

test.describe('without the Clipboard API', () => {
  test('the link and the embed code appear selected in a field, to copy by hand', async ({
    app,
    page,
    baseURL,
  }) => {
    await page.addInitScript(() =>
      Object.defineProperty(Navigator.prototype, 'clipboard', { get: () => undefined, configurable: true }),
    );
    await app.open('?scenario=gvt-ref-leak&era=after&step=9');
    await page.getByRole('button', { name: 'Copy link' }).click();
    const field = page.getByRole('textbox', { name: /^Link to this moment/ });
    await expect(field).toBeVisible();
    await expect(field).toBeFocused();
    await expect(field).toHaveValue(`${baseURL}/?scenario=gvt-ref-leak&era=after&step=9&v=1`);
    // All of it selected, ready for Ctrl+C.
    const sel = await field.evaluate((t: HTMLTextAreaElement) => [
      t.selectionStart,
      t.selectionEnd,
      t.value.length,
    ]);
    expect(sel).toEqual([0, sel[2], sel[2]]);
    await expect(page.getByTestId('share-status')).toHaveText('');
    await app.shot('copy-link-fallback');

    await page.getByRole('button', { name: 'Copy embed code' }).click();
    const code = page.getByRole('textbox', { name: /^Embed code/ });
    await expect(code).toBeFocused();
    await expect(code).toHaveValue(
      /^<iframe src="[^"]*\/embed\.html\?scenario=gvt-ref-leak&amp;era=after&amp;step=9&amp;v=1"[^>]*><\/iframe>\n<script>/,
    );
    await page.getByRole('button', { name: 'Close the embed code' }).click();
    await expect(page.getByTestId('share-fallback')).toHaveCount(0);
  });

  test('also when the browser refuses to write', async ({ app, page }) => {
    await page.addInitScript(() =>
      Object.defineProperty(Navigator.prototype, 'clipboard', {
        get: () => ({ writeText: () => Promise.reject(new DOMException('denied', 'NotAllowedError')) }),
        configurable: true,
      }),
    );
    await app.open('?scenario=happy-path&era=after&step=2');
    await page.getByRole('button', { name: 'Copy link' }).click();
    await expect(page.getByRole('textbox', { name: /^Link to this moment/ })).toHaveValue(
      /\?scenario=happy-path&era=after&step=2&v=1$/,
    );
  });
});

test.describe('a bad scenario in the address: a clear message, never a blank page', () => {
  const notJson = encodeBase64Url(
    '{"schema":"vfio-kvm-scenario/1","id":"x","title":"t","era":"after","vms":["K"],"devices":[],"steps":[{"thread":"Q","op":"open_device","device":"D"}]}',
  );
  const cases = [
    {
      q: '?scenario=no-such-scenario&v=1',
      says: 'There is no built-in scenario "no-such-scenario"; showing del-while-open.',
    },
    {
      q: '?scenario=..%2F..%2Fetc%2Fpasswd&v=1',
      says: 'is not a scenario id; showing the default scenario.',
    },
    {
      q: '?v=1#scenario=%%%not-base64',
      says: 'The scenario in the address (#scenario=…) is not valid base64url text; it was ignored.',
    },
    { q: `?v=1#scenario=${encodeBase64Url('{"oops": ')}`, says: 'The scenario in the address is not valid:' },
    { q: `?v=1#scenario=${notJson}`, says: 'steps[0].device: unknown device "D"' },
  ];
  for (const page_ of ['/', '/embed.html']) {
    for (const c of cases) {
      test(`${page_}${c.q.slice(0, 50)}`, async ({ page, app }) => {
        void app;
        await page.goto(`${page_}${c.q}`);
        await ready(page);
        await expect(page.locator('.notice').first()).toBeVisible();
        await expect(page.locator('.notices')).toContainText(c.says);
        // The default scenario runs: stepping works.
        await expect(
          page.getByRole('img', {
            name: /^KVM reference flow — before .*initial state|^KVM reference flow — before/,
          }),
        ).toBeVisible();
        await page.getByRole('button', { name: 'Step forward' }).click();
        await expect(page.getByTestId('step-counter')).toHaveText('1');
      });
    }
  }
});
