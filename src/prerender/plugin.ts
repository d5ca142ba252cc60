/**
 * Vite plugin (build only): index.html gets the explorer's default view,
 * rendered now by the model and react-dom/static (./render.tsx), inside
 * <div id="root" data-view="default">, in place of the
 * <!--default-view-->…<!--/default-view--> placeholder; and <link>s to the
 * stylesheets of the explorer's code (../main.tsx, a lazily loaded chunk), so
 * that the markup is styled at first paint; and <link data-prefetch>s to the
 * rest of that code (every chunk ../main.tsx imports, at once or later), which
 * ./boot.ts turns into prefetches once the page has loaded and painted (a
 * prefetch in the HTML would start at once and share the network with the
 * first view), so that the code is at hand when the reader acts. The page's own
 * script (./boot.ts) blocks rendering until it has run.
 */
import { createServer, type Plugin } from 'vite';
import type { Rolldown } from 'vite';

type OutputBundle = Rolldown.OutputBundle;
type OutputChunk = Rolldown.OutputChunk;

const PLACEHOLDER = /<div id="root">\s*<!--default-view-->[\s\S]*?<!--\/default-view-->/;
/** The page's module script (Vite drops its `blocking` attribute): it must run before the first paint. */
const ENTRY_SCRIPT = /<script type="module"[^>]*>/;
const APP_ENTRY = /[\\/]src[\\/]main\.tsx$/;

function appEntry(bundle: OutputBundle): OutputChunk {
  const chunks = Object.values(bundle).filter((c): c is OutputChunk => c.type === 'chunk');
  const entry = chunks.find((c) => c.facadeModuleId !== null && APP_ENTRY.test(c.facadeModuleId));
  if (!entry) throw new Error('prerender: no chunk for src/main.tsx in the bundle');
  return entry;
}

/**
 * The CSS files of the chunk of ../main.tsx and of every chunk it imports statically, in cascade order: a
 * chunk's imports before the chunk itself, as its modules import them. The stylesheets the page and the
 * embed share (base.css, the panels') land in a shared chunk, and the page's own rules (page.css), which
 * override some of them with the same specificity, must come after it.
 */
export function appCss(bundle: OutputBundle): string[] {
  const entry = appEntry(bundle);
  const css: string[] = [];
  const seen = new Set<string>();
  const visit = (c: OutputChunk) => {
    if (seen.has(c.fileName)) return;
    seen.add(c.fileName);
    for (const i of c.imports) {
      const next = bundle[i];
      if (next?.type === 'chunk') visit(next);
    }
    for (const f of c.viteMetadata?.importedCss ?? []) if (!css.includes(f)) css.push(f);
  };
  visit(entry);
  return css;
}

/**
 * Every file the explorer's code may load, but the stylesheets `appCss` links: the chunk of ../main.tsx
 * and every chunk it imports, statically or dynamically (the panels, the diff view, the editor…), with
 * their CSS. Workers are not imports: the explorer starts its worker only when asked to explore.
 */
export function appFiles(bundle: OutputBundle): string[] {
  const linked = new Set(appCss(bundle));
  const files: string[] = [];
  const visit = (c: OutputChunk) => {
    if (files.includes(c.fileName)) return;
    files.push(c.fileName);
    for (const f of c.viteMetadata?.importedCss ?? [])
      if (!linked.has(f) && !files.includes(f)) files.push(f);
    for (const i of [...c.imports, ...c.dynamicImports]) {
      const next = bundle[i];
      if (next?.type === 'chunk') visit(next);
    }
  };
  visit(appEntry(bundle));
  return files;
}

/**
 * Markup with every character outside printable ASCII (tabs and line breaks kept) written as a character
 * reference (`—` as `&#x2014;`): the same DOM. Chromium keeps a decoded document in 8-bit characters
 * only if all of it fits; one dash outside Latin-1 makes it 16-bit, and decoding the page at the navigation
 * took 2.3–4.0 ms instead of 0.34–0.42 (eight traced loads each, unthrottled), inside the task that commits
 * the navigation. For text and attribute values only: the markup React renders has no script or style
 * element.
 */
export function asciiMarkup(markup: string): string {
  if (/<(script|style)[\s>]/i.test(markup))
    throw new Error('prerender: a script or style element in the markup');
  return markup.replace(/[^\t\n\r\x20-\x7e]/gu, (c) => `&#x${c.codePointAt(0)!.toString(16)};`);
}

async function renderWithVite(configFile: string | false, root: string): Promise<string> {
  const server = await createServer({
    root,
    configFile,
    logLevel: 'warn',
    appType: 'custom',
    server: { middlewareMode: true, hmr: false, ws: false },
  });
  try {
    const mod = (await server.ssrLoadModule('/src/prerender/render.tsx')) as typeof import('./render.tsx');
    return await mod.renderDefaultView();
  } finally {
    await server.close();
  }
}

export function prerenderDefaultView(): Plugin {
  let configFile: string | false = false;
  let root = process.cwd();
  return {
    name: 'vfio-kvm:prerender-default-view',
    apply: 'build',
    configResolved(config) {
      configFile = config.configFile ?? false;
      root = config.root;
    },
    transformIndexHtml: {
      order: 'post',
      async handler(html, ctx) {
        if (!ctx.filename.endsWith('index.html') || !ctx.bundle) return html;
        if (!PLACEHOLDER.test(html)) throw new Error('prerender: index.html has no default-view placeholder');
        const markup = asciiMarkup(await renderWithVite(configFile, root));
        const links = [
          ...appCss(ctx.bundle).map((f) => `  <link rel="stylesheet" crossorigin href="./${f}">\n`),
          ...appFiles(ctx.bundle)
            .filter((f) => !html.includes(`/${f}"`))
            .map((f) => `  <link data-prefetch crossorigin href="./${f}">\n`),
        ].join('');
        return html
          .replace(ENTRY_SCRIPT, (tag) =>
            tag.includes('blocking=') ? tag : tag.replace('<script', '<script blocking="render"'),
          )
          .replace(PLACEHOLDER, () => `<div id="root" data-view="default">${markup}`)
          .replace('</head>', () => `${links}  </head>`);
      },
    },
  };
}
