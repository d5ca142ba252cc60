/**
 * The plain-HTML recipe of examples/ in Chromium, served from another origin
 * (as a docs site would be) with the explorer at the running preview: it opens
 * without a console error, the iframe takes the explorer's height, the host's
 * buttons drive it, the elements render. The docs-system recipes are built by
 * their real tools in examples-{sphinx,mkdocs,vitepress,docusaurus}.spec.ts.
 */
import { test, expect } from './support/fixtures.ts';
import {
  checkFrame,
  EXAMPLES_EXPLORER,
  explorerConsole,
  files,
  fit,
  frameTheme,
  startHost,
  type Host,
} from './support/host.ts';

let host: Host;

test.beforeAll(async ({ baseURL }) => {
  host = await startHost(files('/plain-html/', 'examples/plain-html', [[EXAMPLES_EXPLORER, baseURL!]]));
});
test.afterAll(async () => {
  await host.close();
});

test('plain HTML: the iframe with its resize listener, and host buttons that send commands and the theme', async ({
  page,
  app,
  baseURL,
}) => {
  const noise = explorerConsole(page, baseURL!);
  await page.goto(host.url('/plain-html/index.html'));
  const iframe = page.locator('iframe.vfio-kvm-explorer');
  const frame = await checkFrame(iframe, 50);
  await expect(frame.getByTestId('violation-alert')).toContainText('Violation (null-deref)');
  await page.getByRole('button', { name: 'Back' }).click();
  await expect(frame.getByTestId('step-counter')).toHaveText('50');
  await page.getByRole('button', { name: 'Go to the oops (step 51)' }).click();
  await expect(frame.getByTestId('step-counter')).toHaveText('51');
  await page.getByRole('button', { name: 'Step', exact: true }).click();
  await expect(frame.getByTestId('step-counter')).toHaveText('52');
  await expect.poll(() => fit(iframe)).toEqual({ fits: true, innerScroll: false });
  await page.getByRole('button', { name: 'Dark' }).click();
  await expect(frameTheme(iframe)).toHaveAttribute('data-theme', 'dark');
  await iframe.scrollIntoViewIfNeeded();
  await app.shot('example-plain-html-iframe');
  await page.getByRole('button', { name: 'Reset' }).click();
  await expect(frame.getByTestId('step-counter')).toHaveText('0');
  expect(noise).toEqual([]);
});

test('plain HTML: the element, in the page and in a <details>', async ({ page, app, baseURL }) => {
  const noise = explorerConsole(page, baseURL!);
  await page.goto(host.url('/plain-html/element.html'));
  const [first, second] = [
    page.locator('vfio-kvm-explorer').first(),
    page.locator('vfio-kvm-explorer').nth(1),
  ];
  await expect(
    first.getByRole('img', { name: /^KVM reference flow — after .*, step 31 of 32$/ }),
  ).toBeVisible();
  await expect(first.getByRole('button', { name: 'Step forward' })).toBeEnabled();
  await first.getByRole('button', { name: 'Step forward' }).click();
  await expect(first.getByTestId('violation-alert')).toContainText('Violation (deadlock)');
  await expect(second.locator('.vke-waiting')).toHaveCount(1);
  await page.getByText('And with 2b48f52f2bff').click();
  await expect(second.getByRole('img', { name: /^KVM reference flow — fixed/ })).toBeVisible();
  await second.getByRole('button', { name: 'Step forward' }).click();
  await expect(second.getByTestId('step-counter')).toHaveText('1');
  await expect(first.getByTestId('step-counter')).toHaveText('32');
  await app.shot('example-plain-html-element');
  expect(noise).toEqual([]);
});
