/**
 * `vfio-kvm render` against the page: for a few moments, the
 * standalone SVG the CLI writes is checked structurally (an accessible
 * <svg role="img"> with <title> and <desc>, presentation attributes only,
 * every node and edge of the model's flow with its label) and is the same
 * drawing as the page's own SVG for that step, at the page's width and theme:
 * the same elements, attributes and text, in the same order.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { test, expect } from './support/fixtures.ts';
import { ROOT } from './support/host.ts';
import { describeFlow } from './support/app.ts';
import { flowOptions } from './support/diagrams.ts';
import { runOf } from './support/model.ts';
import type { EraId } from '../src/model/index.ts';

function render(args: string[]): string {
  return execFileSync(process.execPath, [join(ROOT, 'bin', 'vfio-kvm.mjs'), 'render', ...args], {
    cwd: ROOT,
    encoding: 'utf8',
  });
}

/** One line per element: tag, sorted attributes, and the text of leaf elements, indented by depth. */
function canonical(page: Page, svg: string): Promise<string[]> {
  return page.evaluate((text) => {
    const doc = new DOMParser().parseFromString(text, 'image/svg+xml');
    if (doc.querySelector('parsererror')) throw new Error('not well-formed SVG');
    const out: string[] = [];
    const walk = (el: Element, depth: number) => {
      const attrs = [...el.attributes]
        .map((a) => `${a.name}="${a.value}"`)
        .sort()
        .join(' ');
      out.push(
        `${'  '.repeat(depth)}<${el.tagName} ${attrs}>${el.children.length ? '' : (el.textContent ?? '').trim()}`,
      );
      for (const c of el.children) walk(c, depth + 1);
    };
    walk(doc.documentElement, 0);
    return out;
  }, svg);
}

interface Structure {
  root: {
    tag: string;
    ns: string;
    role: string | null;
    labelledby: string | null;
    step: string | null;
    era: string | null;
    theme: string | null;
    font: string | null;
  };
  title: string;
  desc: string;
  titles: string[];
  styled: number;
  texts: string[];
}

function structure(page: Page, svg: string): Promise<Structure> {
  return page.evaluate((text) => {
    const s = new DOMParser().parseFromString(text, 'image/svg+xml').documentElement;
    const title = s.querySelector(':scope > title');
    return {
      root: {
        tag: s.tagName,
        ns: s.namespaceURI ?? '',
        role: s.getAttribute('role'),
        labelledby: s.getAttribute('aria-labelledby'),
        step: s.getAttribute('data-step'),
        era: s.getAttribute('data-era'),
        theme: s.getAttribute('data-theme'),
        font: s.getAttribute('font-family'),
      },
      title: title?.textContent ?? '',
      desc: s.querySelector(':scope > desc')?.textContent ?? '',
      titles: [...s.querySelectorAll('title')].slice(1).map((t) => (t.textContent ?? '').trim()),
      styled: s.querySelectorAll('[style], style').length,
      texts: [...s.querySelectorAll('text')].map((t) => t.textContent ?? ''),
    };
  }, svg);
}

const CASES: { id: string; era: EraId; step: number | 'mid'; why: string }[] = [
  { id: 'del-while-open', era: 'before', step: 53, why: 'the GVT oops' },
  { id: 'last-ref-deadlock', era: 'after', step: 32, why: 'the deadlock' },
  { id: 'happy-path', era: 'fixed', step: 0, why: 'the initial state' },
  { id: 'set-kvm-races-open', era: 'v5.18', step: 'mid', why: 'mid-run, two VMs' },
];

for (const c of CASES) {
  for (const theme of ['light', 'dark'] as const) {
    test(`${c.id} ${c.era} (${c.why}), ${theme}: the rendered SVG is the page's drawing`, async ({
      app,
      page,
    }) => {
      const d = runOf(c.id, c.era);
      const n = c.step === 'mid' ? Math.floor(d.total / 2) : c.step;
      const flow = describeFlow(d.view(n), flowOptions(d, n));

      // Structure of the CLI's file at the default width.
      const file = render([c.id, '--era', c.era, '--step', String(n), '--theme', theme, '--out', '-']);
      expect(
        file.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<svg xmlns="http://www.w3.org/2000/svg"'),
      ).toBe(true);
      const s = await structure(page, file);
      expect(s.root).toMatchObject({
        tag: 'svg',
        ns: 'http://www.w3.org/2000/svg',
        role: 'img',
        step: String(n),
        era: c.era,
        theme,
      });
      expect(s.root.labelledby).toBeTruthy();
      expect(s.root.font).toMatch(/^system-ui, .*sans-serif$/);
      expect(s.title).toBe(flow.title);
      expect(s.desc.length).toBeGreaterThan(100);
      expect(s.styled, 'presentation attributes only').toBe(0);
      // Every node and edge of the model's flow is drawn, each with its <title>; no extra ones.
      for (const x of [...flow.nodes, ...flow.edges]) expect(s.titles).toContain(x.text);
      const view = d.view(n);
      for (const vm of view.vms) expect(s.texts).toContain(`VM ${vm.id}`);
      for (const dev of view.devices)
        expect(s.texts.some((t) => t.startsWith(`device ${dev.id}`))).toBe(true);
      expect(s.texts.filter((t) => t === 'users_count').length).toBe(view.vms.length);
      for (const v of d.run.violations.filter((x) => x.step <= n))
        expect(s.texts.some((t) => t.includes(`${v.kind} in ${v.at}`))).toBe(true);
      expect(s.desc).toContain(flow.summary.slice(0, 40));

      // The page at that step and theme draws the same SVG (wide layout, then the narrow vertical one).
      // Both windows are narrower than the workspace's 1180 px: from there the page leaves the violations'
      // banner to the player bar under the diagram (ReferenceFlow's banner={false}).
      for (const width of [1100, 640]) {
        await page.setViewportSize({ width, height: 900 });
        await page.emulateMedia({ colorScheme: theme });
        await app.open(`?scenario=${c.id}&era=${c.era}&step=${n}&theme=${theme}&v=1`);
        const svg = page.locator('.stage-body svg[data-diagram="reference-flow"]');
        await expect(svg).toHaveAccessibleName(flow.title);
        const w = await svg.getAttribute('width');
        const onPage = await svg.evaluate((e) => e.outerHTML);
        const cli = render([
          c.id,
          '--era',
          c.era,
          '--step',
          String(n),
          '--theme',
          theme,
          '--width',
          w!,
          '--out',
          '-',
        ]);
        const [a, b] = [
          await canonical(page, onPage),
          await canonical(page, cli.replace(/^<\?xml[^>]*>\n/, '')),
        ];
        expect(b.length).toBeGreaterThan(50);
        expect(b, `page (width ${w}) vs vfio-kvm render --width ${w}`).toEqual(a);
      }
    });
  }
}

test('--all-steps writes one file per step, each at its step', async () => {
  const d = runOf('second-opener', 'after');
  const dir = mkdtempSync(join(tmpdir(), 'vfio-kvm-render-'));
  try {
    execFileSync(
      process.execPath,
      [
        join(ROOT, 'bin', 'vfio-kvm.mjs'),
        'render',
        'second-opener',
        '--era',
        'after',
        '--all-steps',
        '--out',
        dir,
      ],
      { cwd: ROOT, stdio: 'pipe' },
    );
    const files = readdirSync(dir).sort();
    expect(files).toHaveLength(d.total + 1);
    for (const [i, f] of files.entries()) {
      expect(f).toBe(`second-opener-after-${String(i).padStart(3, '0')}.svg`);
      if (i % 10 === 0 || i === d.total) {
        const svg = readFileSync(join(dir, f), 'utf8');
        expect(svg).toContain(`data-step="${i}"`);
        expect(svg).toContain(`>${describeFlow(d.view(i), flowOptions(d, i)).title}</title>`);
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
