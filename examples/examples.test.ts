/**
 * The docs recipes, checked without installing their site generators:
 * every explorer address and element in them is valid (a known scenario and
 * era, a v=1 link the explorer reads without a notice), the files they name
 * exist, the Sphinx figure is what `vfio-kvm render` draws today, the
 * Docusaurus component renders on the server as a placeholder only, the
 * VitePress config marks the element as custom, and MkDocs' config and script
 * hold together. e2e/examples.spec.ts opens them in Chromium (and builds the
 * Sphinx one).
 */
import { readdirSync, readFileSync, statSync, existsSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { BUILTIN_IDS } from '../src/scenarios/index.ts';
import { isEraId } from '../src/model/index.ts';
import { parseUrlState } from '../src/view/url.ts';
import { parseAttributes } from '../src/element/attributes.ts';
import { main } from '../src/cli/main.ts';
import VfioKvmExplorer, {
  EXPLORER as DOCUSAURUS_EXPLORER,
} from './docusaurus/src/components/VfioKvmExplorer.tsx';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = join(HERE, '..');
const EXPLORER = 'http://127.0.0.1:4173';
const read = (p: string) => readFileSync(join(HERE, p), 'utf8');

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    if (
      e.name === '_build' ||
      e.name === 'node_modules' ||
      (e.name.startsWith('.') && e.name !== '.vitepress')
    )
      return [];
    const p = join(dir, e.name);
    return e.isDirectory() ? walk(p) : [p];
  });
}
const FILES = walk(HERE).filter(
  (f) => /\.(html|md|mdx|rst|js|mjs|tsx|py|yml)$/.test(f) && !f.endsWith('.test.ts'),
);
const unescape = (s: string) => s.replace(/&amp;/g, '&');

describe('every recipe', () => {
  it('has a README that says how to run it', () => {
    for (const d of ['plain-html', 'sphinx', 'docusaurus', 'vitepress', 'mkdocs']) {
      const readme = read(`${d}/README.md`);
      expect(readme, d).toMatch(/^# /);
      expect(readme, d).toContain('npm run build && npm run preview');
    }
  });

  it('points at the explorer with valid v=1 links: a known scenario and era, nothing the explorer would complain about', () => {
    const seen = new Set<string>();
    for (const f of FILES) {
      for (const m of read(relative(HERE, f)).matchAll(/http:\/\/127\.0\.0\.1:4173(\/[^\s"'`)<>]*)?/g)) {
        const path = m[1] ?? '';
        if (path === '' || path === '/') continue;
        const u = new URL(unescape(path), EXPLORER);
        seen.add(u.pathname);
        expect(['/embed.html', '/vfio-kvm-explorer.js', '/index.html'], `${f}: ${path}`).toContain(
          u.pathname,
        );
        if (u.pathname === '/embed.html') {
          const p = parseUrlState(u.search, u.hash);
          expect(p.notices, `${f}: ${path}`).toEqual([]);
          expect(BUILTIN_IDS, `${f}: ${path}`).toContain(p.state.scenario);
          expect(u.searchParams.get('v'), `${f}: ${path}`).toBe('1');
        }
      }
    }
    expect([...seen].sort()).toEqual(['/embed.html', '/vfio-kvm-explorer.js']);
    // The build writes the element under that name.
    expect(readFileSync(join(ROOT, 'vite.element.config.ts'), 'utf8')).toContain(
      "fileName: () => 'vfio-kvm-explorer.js'",
    );
  });

  it('uses the element with valid attributes', () => {
    let n = 0;
    for (const f of FILES.filter((x) => /\.(html|md)$/.test(x) && !x.endsWith('README.md'))) {
      for (const m of read(relative(HERE, f)).matchAll(/<vfio-kvm-explorer\s([^>]*)>/g)) {
        n++;
        const attrs = Object.fromEntries(
          [...m[1]!.matchAll(/([a-z-]+)="([^"]*)"/g)].map((a) => [a[1]!, a[2]!]),
        );
        const p = parseAttributes((a) => attrs[a] ?? null);
        expect(p.notices, `${f}: ${m[0]}`).toEqual([]);
        expect(BUILTIN_IDS).toContain(p.state.scenario);
      }
    }
    expect(n).toBeGreaterThanOrEqual(4);
  });
});

describe('Sphinx', () => {
  const rst = read('sphinx/index.rst');

  it('has an iframe in raw HTML and a figure whose file exists, with alt text', () => {
    expect(rst).toMatch(/^\.\. raw:: html\n\n {3}<iframe src="http:\/\/127\.0\.0\.1:4173\/embed\.html\?/m);
    const figures = [...rst.matchAll(/^\.\. figure:: (\S+)\n((?: {3}:\w+:.*\n(?: {9}.*\n)*)*)/gm)];
    expect(figures).toHaveLength(1);
    for (const [, path, opts] of figures) {
      expect(existsSync(join(HERE, 'sphinx', path!)), path).toBe(true);
      expect(opts).toMatch(/:alt: \S/);
    }
    expect(read('sphinx/conf.py')).toMatch(/exclude_patterns = \["_build", "README.md"\]/);
  });

  it('the figure is what `vfio-kvm render` draws today (regenerate with the command in examples/sphinx/README.md)', async () => {
    const files = new Map<string, string>();
    const code = await main(
      ['render', 'del-while-open', '--era', 'before', '--step', '53', '--out', 'fig.svg'],
      {
        out: () => {},
        err: () => {},
        readFile: async () => {
          throw new Error('no files');
        },
        writeFile: async (p, d) => void files.set(p, String(d)),
        cwd: '/',
      },
    );
    expect(code).toBe(0);
    expect(read('sphinx/figures/del-while-open-before-53.svg')).toBe(files.get('fig.svg'));
  });
});

describe('Docusaurus', () => {
  const mdx = read('docusaurus/docs/vfio-kvm-explorer.mdx');

  it('the MDX page: front matter, an import that resolves, and valid props', () => {
    const fm = /^---\n([\s\S]*?)\n---\n/.exec(mdx);
    expect(fm).not.toBeNull();
    const keys = Object.fromEntries(
      fm![1]!
        .split('\n')
        .map((l) => /^(\w+): (.+)$/.exec(l)!)
        .map((m) => [m[1], m[2]]),
    );
    expect(Object.keys(keys)).toEqual(['title', 'sidebar_label', 'description']);
    const imp = /^import (\w+) from '@site\/(.+)';$/m.exec(mdx);
    expect(imp).not.toBeNull();
    expect(existsSync(join(HERE, 'docusaurus', `${imp![2]}.tsx`))).toBe(true);
    const uses = [...mdx.matchAll(new RegExp(`<${imp![1]} ([^>]*?)\\s*/>`, 'g'))];
    expect(uses).toHaveLength(2);
    for (const [, props] of uses) {
      const scenario = /scenario="([^"]+)"/.exec(props!)![1]!;
      expect(BUILTIN_IDS).toContain(scenario);
      const era = /era="([^"]+)"/.exec(props!)?.[1];
      if (era) expect(isEraId(era)).toBe(true);
      const step = /step=\{(\d+)\}/.exec(props!)?.[1];
      if (step) expect(Number(step)).toBeGreaterThanOrEqual(0);
    }
  });

  it('the component renders on the server as a placeholder of the initial height (client-only iframe)', () => {
    const html = renderToStaticMarkup(
      createElement(VfioKvmExplorer, { scenario: 'del-while-open', era: 'before', step: 52 }),
    );
    expect(html).not.toContain('<iframe');
    expect(html).toBe(
      '<div class="vfio-kvm-explorer-placeholder" style="height:640px" aria-busy="true" aria-label="vfio-kvm-explorer: del-while-open (before)"></div>',
    );
    expect(DOCUSAURUS_EXPLORER).toBe(EXPLORER);
  });
});

describe('VitePress', () => {
  it('the config marks <vfio-kvm-explorer> as a custom element and loads its module', async () => {
    const url = new URL('./vitepress/docs/.vitepress/config.mjs', import.meta.url).href;
    const config = (await import(/* @vite-ignore */ url)).default as {
      head: [string, Record<string, string>][];
      vue: { template: { compilerOptions: { isCustomElement: (tag: string) => boolean } } };
    };
    const isCustom = config.vue.template.compilerOptions.isCustomElement;
    expect(isCustom('vfio-kvm-explorer')).toBe(true);
    for (const tag of ['div', 'Badge', 'router-link', 'vfio-kvm']) expect(isCustom(tag)).toBe(false);
    expect(config.head).toContainEqual([
      'script',
      { type: 'module', src: `${EXPLORER}/vfio-kvm-explorer.js` },
    ]);
    expect(JSON.parse(read('vitepress/package.json')).scripts.dev).toBe('vitepress dev docs');
  });
});

describe('MkDocs', () => {
  const yml = read('mkdocs/mkdocs.yml');

  it('Material, with the script and the pages it names', () => {
    expect(yml).toMatch(/^theme:\n {2}name: material$/m);
    expect(yml).toMatch(/^ {4}- navigation\.instant$/m);
    const js = /^extra_javascript:\n((?: {2}- .+\n)+)/m
      .exec(yml)![1]!
      .trim()
      .split('\n')
      .map((l) => l.replace(/^\s*- /, ''));
    expect(js).toEqual(['javascripts/vfio-kvm-explorer.js']);
    for (const f of js) expect(statSync(join(HERE, 'mkdocs', 'docs', f)).isFile()).toBe(true);
    const nav = /^nav:\n((?: {2}- .+\n)+)/m
      .exec(yml)![1]!
      .trim()
      .split('\n')
      .map((l) => /: (\S+\.md)$/.exec(l)![1]!);
    expect(nav).toEqual(['index.md', 'two-vms.md']);
    for (const f of nav) expect(read(`mkdocs/docs/${f}`)).toContain('<iframe class="vfio-kvm-explorer"');
    // No tab characters (YAML forbids them for indentation).
    expect(yml).not.toContain('\t');
  });

  it('the script is valid JavaScript that re-initialises on document$', () => {
    const js = read('mkdocs/docs/javascripts/vfio-kvm-explorer.js');
    expect(() => new Function(js)).not.toThrow();
    expect(js).toContain('window.document$.subscribe(init)');
  });
});

describe('CI', () => {
  it('.ci/run installs python3-sphinx when sphinx-build is missing, so the Sphinx example is always built', () => {
    const run = readFileSync(join(ROOT, '.ci', 'run'), 'utf8');
    expect(run).toMatch(/command -v sphinx-build >\/dev\/null 2>&1 \|\| need\+=\(python3-sphinx\)/);
  });
});
