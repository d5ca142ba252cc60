/**
 * Sphinx (Debian's python3-sphinx, as the kernel's docs are built): the
 * recipe in examples/sphinx and the directive's own test project in
 * integrations/sphinx/tests, built by sphinx-build -W, the HTML opened in
 * Chromium from another origin with the explorer at the running preview.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
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

const HINT = 'apt-get install python3-sphinx librsvg2-bin (.ci/run does)';
let out = '';

test.beforeAll(() => {
  requireTool('sphinx-build', ['--version'], HINT);
  out = mkdtempSync(join(tmpdir(), 'vfio-kvm-sphinx-'));
});
test.afterAll(() => rmSync(out, { recursive: true, force: true }));

function build(
  testInfo: Parameters<typeof timedBuild>[0],
  src: string,
  builder: string,
  extra: string[] = [],
) {
  const dest = join(out, `${builder}-${src.replace(/\W+/g, '-')}`);
  const r = timedBuild(testInfo, `sphinx-build -b ${builder} ${src}`, 'sphinx-build', [
    '-W',
    '--keep-going',
    '-q',
    '-b',
    builder,
    '-d',
    join(out, `doctrees-${src.replace(/\W+/g, '-')}`),
    ...extra,
    join(ROOT, src),
    dest,
  ]);
  expect(r.stderr, 'no warnings').toBe('');
  return dest;
}

test('the recipe: built with -W, each explorer appears, steps and fits; light on a light-only theme in a dark system; still working after a navigation', async ({
  page,
  app,
  baseURL,
}, testInfo) => {
  test.setTimeout(180_000);
  const html = build(testInfo, 'examples/sphinx', 'html', ['-D', `vfio_kvm_explorer_url=${baseURL}`]);
  const site = await startHost(files('/', html));
  const noise = explorerConsole(page, baseURL!);
  try {
    // alabaster has no dark mode: the recipe keeps the explorer light even when the reader's system is dark.
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.goto(site.url('/index.html'));
    await expect(page.getByRole('heading', { level: 1, name: /The GVT oops of/ })).toBeVisible();
    const frames = page.locator('iframe.vfio-kvm-explorer');
    await expect(frames).toHaveCount(3);
    expect(await page.locator('script[src$="vfio-kvm-explorer.js"]').count()).toBe(1);
    const first = frames.nth(0);
    const f = await checkFrame(first, 50);
    await expect(f.getByTestId('violation-alert')).toContainText('null-deref');
    await expect(frameTheme(first)).toHaveAttribute('data-theme', 'light');
    await app.shot('sphinx-recipe-oops');
    await checkFrame(frames.nth(1), 0);
    await checkFrame(frames.nth(2), 31);
    await expect(frames.nth(2).contentFrame().getByTestId('violation-alert')).toContainText('deadlock');
    await app.shot('sphinx-recipe-deadlock');

    // Away (the index) and back: the explorers start again, sized.
    await page.goto(site.url('/genindex.html'));
    await page.goBack();
    await checkFrame(page.locator('iframe.vfio-kvm-explorer').first(), 50);
  } finally {
    await site.close();
  }
  expect(noise).toEqual([]);
});

test('the directive: three on a page with one resize script; LaTeX includes each figure as PDF; text keeps the alt text', async ({
  page,
  baseURL,
}, testInfo) => {
  const src = 'integrations/sphinx/tests/root';
  const html = build(testInfo, src, 'html');
  const index = readFileSync(join(html, 'index.html'), 'utf8');
  const iframes = [...index.matchAll(/<iframe class="vfio-kvm-explorer" src="([^"]+)" title="([^"]+)"/g)];
  expect(iframes.map((m) => [m[1]!.replaceAll('&amp;', '&'), m[2]])).toEqual([
    [
      'http://127.0.0.1:4173/embed.html?scenario=del-while-open&era=before&step=50&theme=light&v=1',
      'vfio-kvm-explorer: del-while-open, era before, step 50',
    ],
    [
      'http://127.0.0.1:4173/embed.html?scenario=last-ref-deadlock&era=after&step=31&theme=dark&v=1',
      'The last reference, in the dark',
    ],
    ['http://127.0.0.1:4173/embed.html?scenario=happy-path&v=1', 'vfio-kvm-explorer: happy-path'],
  ]);
  expect(index).toContain('height="1070"');
  expect(index).toContain('<figcaption>The GVT oops, one step before it.</figcaption>');
  expect(index.match(/_static\/vfio-kvm-explorer\.js/g)).toHaveLength(1);
  expect(readFileSync(join(html, 'other.html'), 'utf8')).not.toContain('vfio-kvm-explorer.js');

  // The script sizes all three (served with the explorer at the preview).
  const site = await startHost(files('/', html, [['http://127.0.0.1:4173', baseURL!]]));
  try {
    await page.goto(site.url('/index.html'));
    const frames = page.locator('iframe.vfio-kvm-explorer');
    await checkFrame(frames.nth(0), 50);
    const dark = frames.nth(1);
    await checkFrame(dark, 31);
    await expect(frameTheme(dark)).toHaveAttribute('data-theme', 'dark');
    await checkFrame(frames.nth(2), 0);
  } finally {
    await site.close();
  }

  const latex = build(testInfo, src, 'latex');
  const tex = readFileSync(
    join(
      latex,
      readdirSync(latex).find((f) => f.endsWith('.tex'))!,
    ),
    'utf8',
  );
  const figures = [...tex.matchAll(/\\sphinxincludegraphics\{\{([^}]+)\}\.pdf\}/g)].map((m) => m[1]!);
  expect(figures).toHaveLength(3);
  for (const f of figures) {
    const pdf = readFileSync(join(latex, `${f}.pdf`));
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
  }
  expect(tex).toMatch(/\\begin\{figure\}[\s\S]*?\\caption\{The GVT oops, one step before it\.\}/);

  const text = readFileSync(join(build(testInfo, src, 'text'), 'index.txt'), 'utf8').replace(/\s+/g, ' ');
  expect(text).toContain('[image: KVM reference flow — before');
  expect(text).toContain('step 50 of 59');
  expect(text).toContain('[image: Happy path: every reference taken is put back.]');
});

test('bad input: a clear error for each bad directive, and a warning when LaTeX has no converter', () => {
  const dir = join(out, 'bad');
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, 'conf.py'),
    [
      'import sys',
      `sys.path.insert(0, ${JSON.stringify(join(ROOT, 'integrations', 'sphinx'))})`,
      'extensions = ["vfio_kvm_explorer_sphinx"]',
      `vfio_kvm_explorer_render = ["node", ${JSON.stringify(join(ROOT, 'bin', 'vfio-kvm.mjs'))}]`,
      '',
    ].join('\n'),
  );
  const cases: [string, RegExp][] = [
    [
      '.. vfio-kvm-explorer:: no-such-scenario',
      /vfio-kvm render failed: .*unknown scenario|no-such-scenario/,
    ],
    ['.. vfio-kvm-explorer:: Bad_Id', /not a scenario id: 'Bad_Id'/],
    [
      '.. vfio-kvm-explorer:: happy-path\n   :theme: pink',
      /invalid option value: \(option: "theme"; value: 'pink'\)/,
    ],
    [
      '.. vfio-kvm-explorer:: happy-path\n   :step: 999',
      /vfio-kvm render failed: .*--step: expected a whole number from 0 to 45/,
    ],
    [
      '.. vfio-kvm-explorer:: happy-path\n   :schedule: Q,Q,<x>',
      /invalid option value: \(option: "schedule"/,
    ],
    ['.. vfio-kvm-explorer:: happy-path\n   :height: 20', /expected 100 to 5000 \(px\), got 20/],
  ];
  for (const [rst, re] of cases) {
    writeFileSync(join(dir, 'index.rst'), `Bad\n===\n\n${rst}\n`);
    const r = spawnSync('sphinx-build', ['-W', '-q', '-b', 'html', dir, join(dir, '_build')], {
      encoding: 'utf8',
    });
    expect(r.status, rst).not.toBe(0);
    expect(r.stderr, rst).toMatch(re);
  }
  writeFileSync(join(dir, 'index.rst'), 'Good\n====\n\n.. vfio-kvm-explorer:: happy-path\n');
  const r = spawnSync(
    'sphinx-build',
    ['-q', '-b', 'latex', '-D', 'vfio_kvm_explorer_rsvg=no-such-rsvg-convert', dir, join(dir, '_latex')],
    { encoding: 'utf8' },
  );
  expect(r.status).toBe(0);
  expect(r.stderr).toContain(
    'the latex builder takes no SVG and nothing converts it: install rsvg-convert (Debian: librsvg2-bin) or add sphinx.ext.imgconverter',
  );
});
