/**
 * The docs recipes, read without their site generators: every moment they
 * open the explorer at is valid (a known scenario and era, a v=1 link the
 * explorer reads without a notice) and sensible (a step before the run's end,
 * so "Step forward" works), the address is set in one place per recipe, the
 * files they name exist, the committed figures are what `vfio-kvm render`
 * draws today, and CI installs every tool. The e2e specs
 * (e2e/examples-*.spec.ts) build each recipe with its real tool and read it
 * in Chromium.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { BUILTIN_IDS, builtin } from '../src/scenarios/index.ts';
import { ERA_IDS, isEraId } from '../src/model/index.ts';
import { runScenario } from '../src/model/run.ts';
import { parseUrlState } from '../src/view/url.ts';
import { parseAttributes } from '../src/element/attributes.ts';
import { main } from '../src/cli/main.ts';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = join(HERE, '..');
const EXPLORER = 'http://127.0.0.1:4173';
const read = (p: string) => readFileSync(join(HERE, p), 'utf8');
const unescape = (s: string) => s.replace(/&amp;/g, '&');

/**
 * A moment a recipe opens at: valid, not the run's end (Step forward is enabled), and a step other than 0
 * is one before a violation (the pages say "step forward once to see it"). When the model changes, this
 * says which step the recipe should now use.
 */
function sensible(where: string, m: { scenario: string; era?: string; step?: number }) {
  expect(BUILTIN_IDS, where).toContain(m.scenario);
  if (m.era !== undefined) expect(isEraId(m.era), `${where}: era ${m.era}`).toBe(true);
  const run = runScenario(builtin(m.scenario)!, m.era ? { era: m.era as never } : {});
  const total = run.records.length;
  expect(m.step ?? 0, `${where}: step ${m.step} of ${total}`).toBeLessThan(total);
  if (m.step)
    expect(
      run.violations.map((v) => v.step),
      `${where}: step ${m.step} should be one before a violation (at steps ${run.violations.map((v) => v.step).join(', ')})`,
    ).toContain(m.step + 1);
}

/** An embed.html address (absolute, or relative to the explorer): no notice, v=1, and a sensible moment. */
function embedLink(where: string, href: string) {
  const u = new URL(unescape(href), `${EXPLORER}/`);
  expect(u.pathname, where).toBe('/embed.html');
  const p = parseUrlState(u.search, u.hash);
  expect(p.notices, where).toEqual([]);
  expect(u.searchParams.get('v'), where).toBe('1');
  const step = u.searchParams.get('step');
  sensible(where, {
    scenario: p.state.scenario ?? '',
    era: u.searchParams.get('era') ?? undefined,
    step: step === null ? undefined : Number(step),
  });
}

/** `name="value"` and `name={value}` props of a JSX/Vue tag. */
function props(attrs: string): Record<string, string> {
  return Object.fromEntries(
    [...attrs.matchAll(/:?([a-z]+)=(?:"([^"]*)"|\{([^}]*)\})/gi)].map((a) => [a[1]!, a[2] ?? a[3]!]),
  );
}

describe('every recipe', () => {
  it('has a README that says how to run it', () => {
    for (const d of ['plain-html', 'sphinx', 'docusaurus', 'vitepress', 'mkdocs']) {
      const readme = read(`${d}/README.md`);
      expect(readme, d).toMatch(/^# /);
      expect(readme, d).toContain('npm run build && npm run preview');
      // Where iframes are not allowed: the figure, and a PNG for places that take no SVG.
      expect(readme, d).toContain('vfio-kvm render');
    }
  });

  it('the committed figures are what `vfio-kvm render` draws today (regenerate with the commands under "Where an iframe cannot go" in README.md)', async () => {
    const figures = readdirSync(join(HERE, 'figures')).filter((f) => f.endsWith('.svg'));
    expect(figures.length).toBeGreaterThan(0);
    for (const f of figures) {
      const era = ERA_IDS.find((e) => f.includes(`-${e}-`))!;
      const [, scenario, step] = new RegExp(`^(.+)-${era.replace('.', '\\.')}-(\\d+)\\.svg$`).exec(f)!;
      const files = new Map<string, string>();
      const code = await main(['render', scenario!, '--era', era!, '--step', step!, '--out', 'fig.svg'], {
        out: () => {},
        err: () => {},
        readFile: async () => {
          throw new Error('no files');
        },
        writeFile: async (p, d) => void files.set(p, String(d)),
        cwd: '/',
      });
      expect(code).toBe(0);
      expect(read(`figures/${f}`), f).toBe(files.get('fig.svg'));
    }
  });
});

describe('plain HTML', () => {
  it('the iframe opens at a sensible moment, and the address is written once per page', () => {
    const index = read('plain-html/index.html');
    const srcs = [...index.matchAll(/<iframe[\s\S]*?src="([^"]+)"/g)].map((m) => m[1]!);
    expect(srcs).toHaveLength(1);
    embedLink('plain-html/index.html', srcs[0]!);
    expect(index.split(EXPLORER)).toHaveLength(2);
    const element = read('plain-html/element.html');
    expect(element.split(EXPLORER)).toHaveLength(2);
    expect(element).toContain(`<script type="module" src="${EXPLORER}/vfio-kvm-explorer.js"></script>`);
    const tags = [...element.matchAll(/<vfio-kvm-explorer\s([^>]*)>/g)];
    expect(tags).toHaveLength(2);
    for (const [tag, attrs] of tags) {
      const a = props(attrs!);
      const p = parseAttributes((n) => a[n] ?? null);
      expect(p.notices, tag).toEqual([]);
      sensible(tag, { scenario: a.scenario!, era: a.era, step: a.step ? Number(a.step) : undefined });
    }
  });
});

describe('Sphinx', () => {
  const rst = read('sphinx/index.rst');
  const conf = read('sphinx/conf.py');

  it('uses the directive at sensible moments, with the address in conf.py only', () => {
    const uses = [...rst.matchAll(/^\.\. vfio-kvm-explorer:: (\S+)\n((?: {3}:\w+:.*\n)*)/gm)];
    expect(uses).toHaveLength(3);
    for (const [use, scenario, opts] of uses) {
      const o = Object.fromEntries([...opts!.matchAll(/:(\w+): (.*)/g)].map((m) => [m[1]!, m[2]!.trim()]));
      expect(
        Object.keys(o).every((k) =>
          ['era', 'step', 'schedule', 'theme', 'height', 'alt', 'title'].includes(k),
        ),
      ).toBe(true);
      sensible(use, { scenario: scenario!, era: o.era, step: o.step ? Number(o.step) : undefined });
    }
    expect(rst).not.toContain('raw:: html');
    expect(rst).not.toContain(EXPLORER);
    expect(conf).toContain(`vfio_kvm_explorer_url = "${EXPLORER}"`);
    expect(conf).toMatch(/^extensions = \["vfio_kvm_explorer_sphinx"\]$/m);
    expect(conf).toMatch(/^vfio_kvm_explorer_theme = "light"$/m);
    expect(existsSync(join(ROOT, 'integrations/sphinx/vfio_kvm_explorer_sphinx/__init__.py'))).toBe(true);
    expect(
      existsSync(join(ROOT, 'integrations/sphinx/vfio_kvm_explorer_sphinx/static/vfio-kvm-explorer.js')),
    ).toBe(true);
  });
});

describe('MkDocs', () => {
  const yml = read('mkdocs/mkdocs.yml');

  it('Material with instant navigation and a site_url, the hook, the script, and the address in one place', () => {
    expect(yml).toMatch(/^theme:\n {2}name: material$/m);
    expect(yml).toMatch(/^ {4}- navigation\.instant$/m);
    expect(yml).toMatch(/^site_url: !ENV \[SITE_URL, '[^']+'\]$/m);
    expect(yml).toMatch(/^ {2}font: false$/m);
    expect(yml).toContain(`  vfio_kvm_explorer: !ENV [VFIO_KVM_EXPLORER_URL, '${EXPLORER}']`);
    expect(yml).toMatch(/^hooks:\n {2}- hooks\/vfio_kvm_explorer\.py$/m);
    expect(existsSync(join(HERE, 'mkdocs/hooks/vfio_kvm_explorer.py'))).toBe(true);
    expect(yml).toMatch(/^extra_javascript:\n {2}- javascripts\/vfio-kvm-explorer\.js$/m);
    const nav = [...yml.matchAll(/^ {2}- .+: (\S+\.md)$/gm)].map((m) => m[1]!);
    expect(nav).toEqual(['index.md', 'two-vms.md']);
    for (const f of nav) {
      const md = read(`mkdocs/docs/${f}`);
      const srcs = [...md.matchAll(/<iframe class="vfio-kvm-explorer"\s+src="([^"]+)"/g)].map((m) => m[1]!);
      expect(srcs, f).toHaveLength(1);
      // Relative to the explorer: the hook puts extra.vfio_kvm_explorer in front.
      expect(srcs[0]).toMatch(/^embed\.html\?/);
      embedLink(f, srcs[0]!);
    }
    expect(yml).not.toContain('\t');
  });

  it('the script is valid JavaScript that re-initialises on document$ and sends the theme only once loaded', () => {
    const js = read('mkdocs/docs/javascripts/vfio-kvm-explorer.js');
    expect(() => new Function(js)).not.toThrow();
    expect(js).toContain('window.document$.subscribe(init)');
    expect(js).not.toContain(EXPLORER);
  });
});

describe('VitePress', () => {
  it('the config marks <vfio-kvm-explorer> as a custom element and loads its module from the one address', async () => {
    const url = new URL('./vitepress/docs/.vitepress/config.mjs', import.meta.url).href;
    const mod = (await import(/* @vite-ignore */ url)) as {
      EXPLORER: string;
      default: {
        head: [string, Record<string, string>][];
        vue: { template: { compilerOptions: { isCustomElement: (tag: string) => boolean } } };
      };
    };
    const isCustom = mod.default.vue.template.compilerOptions.isCustomElement;
    expect(isCustom('vfio-kvm-explorer')).toBe(true);
    for (const tag of ['div', 'VfioKvmExplorer', 'router-link', 'vfio-kvm'])
      expect(isCustom(tag)).toBe(false);
    expect(mod.EXPLORER).toBe(process.env.VFIO_KVM_EXPLORER_URL ?? EXPLORER);
    expect(mod.default.head).toContainEqual([
      'script',
      { type: 'module', src: `${mod.EXPLORER}/vfio-kvm-explorer.js` },
    ]);
    expect(read('vitepress/docs/.vitepress/theme/index.mjs')).toContain(
      "app.component('VfioKvmExplorer', VfioKvmExplorer)",
    );
  });

  it('the pages use the wrapper at sensible moments', () => {
    let n = 0;
    for (const f of ['index.md', 'fixed.md']) {
      for (const [tag, attrs] of read(`vitepress/docs/${f}`).matchAll(/<VfioKvmExplorer\s([^>]*?)\s*\/>/g)) {
        n++;
        const p = props(attrs!);
        sensible(`${f}: ${tag}`, {
          scenario: p.scenario!,
          era: p.era,
          step: p.step ? Number(p.step) : undefined,
        });
      }
    }
    expect(n).toBe(2);
  });
});

describe('Docusaurus', () => {
  it('the MDX pages: front matter, an import that resolves, sensible moments with a height', () => {
    let n = 0;
    for (const f of ['vfio-kvm-explorer.mdx', 'after-the-patch.mdx']) {
      const mdx = read(`docusaurus/docs/${f}`);
      expect(mdx, f).toMatch(/^---\ntitle: .+\n[\s\S]*?\n---\n/);
      const imp = /^import (\w+) from '@site\/(.+)';$/m.exec(mdx);
      expect(imp, f).not.toBeNull();
      expect(existsSync(join(HERE, 'docusaurus', `${imp![2]}.tsx`))).toBe(true);
      for (const [tag, attrs] of mdx.matchAll(new RegExp(`<${imp![1]} ([^>]*?)\\s*/>`, 'g'))) {
        n++;
        const p = props(attrs!);
        expect(Number(p.height), tag).toBeGreaterThan(640);
        sensible(`${f}: ${tag}`, {
          scenario: p.scenario!,
          era: p.era,
          step: p.step ? Number(p.step) : undefined,
        });
      }
    }
    expect(n).toBe(2);
  });

  it('the config holds the one address (customFields.vfioKvmExplorer), with the site switch, not the system', async () => {
    const url = new URL('./docusaurus/docusaurus.config.js', import.meta.url).href;
    const config = (await import(/* @vite-ignore */ url)).default as {
      customFields: { vfioKvmExplorer: string };
      themeConfig: { colorMode: { respectPrefersColorScheme: boolean } };
    };
    expect(config.customFields.vfioKvmExplorer).toBe(process.env.VFIO_KVM_EXPLORER_URL ?? EXPLORER);
    expect(config.themeConfig.colorMode.respectPrefersColorScheme).toBe(false);
    expect(read('docusaurus/src/components/VfioKvmExplorer.tsx')).not.toContain(EXPLORER);
  });
});

describe('pinned tools and CI', () => {
  it('VitePress and Docusaurus are exact-pinned, with committed lockfiles', () => {
    for (const d of ['vitepress', 'docusaurus']) {
      const pkg = JSON.parse(read(`${d}/package.json`)) as Record<string, Record<string, string>>;
      const deps = { ...pkg.dependencies, ...pkg.devDependencies };
      for (const [name, v] of Object.entries(deps)) expect(v, `${d}: ${name}`).toMatch(/^\d+\.\d+\.\d+$/);
      expect(existsSync(join(HERE, d, 'package-lock.json')), d).toBe(true);
    }
  });

  it('.ci/run installs every docs tool a fresh Debian machine lacks, and the example sites with npm ci', () => {
    const run = readFileSync(join(ROOT, '.ci', 'run'), 'utf8');
    for (const [cmd, pkg] of [
      ['sphinx-build', 'python3-sphinx'],
      ['mkdocs', 'mkdocs'],
      ['rsvg-convert', 'librsvg2-bin'],
    ])
      expect(run).toContain(`command -v ${cmd} >/dev/null 2>&1 || need+=(${pkg})`);
    expect(run).toContain('need+=(mkdocs-material)');
    expect(run).toContain('npm ci --prefix examples/vitepress');
    expect(run).toContain('npm ci --prefix examples/docusaurus');
  });
});
