/**
 * Bundle sizes (npm run bench (README) `bundle`). All sizes are gzip at level 9 of the
 * emitted bytes (node:zlib), in bytes.
 *
 * - The product is built as it ships: `npm run build` → dist/.
 * - The page's initial JS is what the browser loads before anyone interacts:
 *   the entry script of dist/index.html plus its static imports (Vite writes
 *   them as <link rel="modulepreload">). The graph comes from Vite's manifest,
 *   of an analysis build of the same config into a cache folder (manifest and
 *   hidden source maps on, so the code is byte for byte the same), and is
 *   checked against the script and modulepreload tags of dist/index.html.
 *   Chunks reached only through dynamic import() are "lazy"; worker scripts
 *   are counted apart.
 * - The same for dist/embed.html (embedJsGzip), when it exists.
 * - The custom element (elementJsGzip) is the one file dist/vfio-kvm-explorer.js.
 * - Where the initial bytes come from: the analysis build's source maps
 *   (./sourcemap.ts), by module group.
 */
import { existsSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { attribute, groupOf, moduleOf, shares, type RawSourceMap, type Share } from './sourcemap.ts';

export const GZIP_LEVEL = 9;

export interface FileSize {
  file: string;
  bytes: number;
  gzip: number;
}

export interface PageJs {
  html: string;
  /** Entry + static imports, in load order. */
  initial: FileSize[];
  initialBytes: number;
  initialGzip: number;
  /** Chunks reached by dynamic import only. */
  lazy: FileSize[];
  lazyGzip: number;
  /** Module workers (src/explore/worker.ts): loaded on the first "Explore". */
  workers: FileSize[];
  css: FileSize[];
  /** Does the manifest's initial set equal the HTML's script + modulepreload tags? */
  htmlAgrees: boolean;
  /** Initial JS by module group, biggest first. */
  groups: { group: string; bytes: number; gzip: number }[];
  /** The biggest modules of the initial JS. */
  topModules: { module: string; bytes: number; gzip: number }[];
}

export interface BundleReport {
  app: PageJs | null;
  embed: PageJs | null;
  element: (FileSize & { groups: { group: string; bytes: number; gzip: number }[] }) | null;
  notes: string[];
}

interface ManifestChunk {
  file: string;
  src?: string;
  isEntry?: boolean;
  imports?: string[];
  dynamicImports?: string[];
  css?: string[];
  assets?: string[];
}
type Manifest = Record<string, ManifestChunk>;

export function sizeOf(dir: string, file: string): FileSize {
  const buf = readFileSync(join(dir, file));
  return { file, bytes: buf.length, gzip: gzipSync(buf, { level: GZIP_LEVEL }).length };
}

/** The JS a page's HTML loads up front: its module script(s) and modulepreload links, as paths relative to dist/. */
export function htmlScripts(html: string): string[] {
  const out: string[] = [];
  const tag = /<(script|link)\b[^>]*>/gi;
  for (const m of html.matchAll(tag)) {
    const t = m[0];
    const isModule = /^<script/i.test(t) && /type=["']?module/i.test(t);
    const isPreload = /^<link/i.test(t) && /rel=["']?modulepreload/i.test(t);
    if (!isModule && !isPreload) continue;
    const url = /(?:src|href)=["']([^"']+)["']/i.exec(t)?.[1];
    if (url && !/^(https?:)?\/\//.test(url)) out.push(url.replace(/^\.?\//, ''));
  }
  return out;
}

function addGroups(into: Map<string, Share>, from: Map<string, Share>): void {
  for (const [g, s] of from) {
    const a = into.get(g) ?? { bytes: 0, gzip: 0 };
    into.set(g, { bytes: a.bytes + s.bytes, gzip: a.gzip + s.gzip });
  }
}

function sorted(m: Map<string, Share>) {
  return [...m]
    .map(([k, v]) => ({ key: k, bytes: v.bytes, gzip: Math.round(v.gzip) }))
    .sort((a, b) => b.gzip - a.gzip);
}

/** Attribute the bytes of some chunks of `dir` (which has their .map files) to module groups and modules. */
function attributeChunks(dir: string, files: readonly FileSize[]) {
  const groups = new Map<string, Share>();
  const modules = new Map<string, Share>();
  for (const f of files) {
    const mapPath = join(dir, `${f.file}.map`);
    if (!existsSync(mapPath)) continue;
    const map = JSON.parse(readFileSync(mapPath, 'utf8')) as RawSourceMap;
    const attr = attribute(readFileSync(join(dir, f.file), 'utf8'), map);
    addGroups(groups, shares(attr, groupOf, f.gzip, GZIP_LEVEL));
    addGroups(modules, shares(attr, moduleOf, f.gzip, GZIP_LEVEL));
  }
  return {
    groups: sorted(groups).map(({ key, bytes, gzip }) => ({ group: key, bytes, gzip })),
    topModules: sorted(modules)
      .slice(0, 25)
      .map(({ key, bytes, gzip }) => ({ module: key, bytes, gzip })),
  };
}

/** The page `html` (a key of the manifest, e.g. "index.html"), measured in the analysis build `dir`. */
export function pageJs(
  dir: string,
  manifest: Manifest,
  html: string,
  distHtml: string | null,
): PageJs | null {
  const entry = manifest[html];
  if (!entry) return null;
  const initialKeys: string[] = [];
  const visit = (key: string) => {
    if (initialKeys.includes(key) || !manifest[key]) return;
    initialKeys.push(key);
    for (const k of manifest[key]!.imports ?? []) visit(k);
  };
  visit(html);
  const lazyKeys: string[] = [];
  const visitLazy = (key: string) => {
    if (initialKeys.includes(key) || lazyKeys.includes(key) || !manifest[key]) return;
    lazyKeys.push(key);
    for (const k of [...(manifest[key]!.imports ?? []), ...(manifest[key]!.dynamicImports ?? [])])
      visitLazy(k);
  };
  for (const k of initialKeys) for (const d of manifest[k]!.dynamicImports ?? []) visitLazy(d);
  const initial = initialKeys.map((k) => sizeOf(dir, manifest[k]!.file));
  const lazy = lazyKeys.map((k) => sizeOf(dir, manifest[k]!.file));
  const workers = [...initialKeys, ...lazyKeys]
    .flatMap((k) => manifest[k]!.assets ?? [])
    .filter((a) => a.endsWith('.js'))
    .filter((a, i, all) => all.indexOf(a) === i)
    .map((a) => sizeOf(dir, a));
  const css = initialKeys
    .flatMap((k) => manifest[k]!.css ?? [])
    .filter((a, i, all) => all.indexOf(a) === i)
    .map((a) => sizeOf(dir, a));
  let htmlAgrees = false;
  if (distHtml !== null) {
    const tags = htmlScripts(distHtml)
      .map((f) => basename(f))
      .sort();
    htmlAgrees = JSON.stringify(tags) === JSON.stringify(initial.map((f) => basename(f.file)).sort());
  }
  const sum = (xs: FileSize[], k: 'bytes' | 'gzip') => xs.reduce((a, x) => a + x[k], 0);
  return {
    html,
    initial,
    initialBytes: sum(initial, 'bytes'),
    initialGzip: sum(initial, 'gzip'),
    lazy,
    lazyGzip: sum(lazy, 'gzip'),
    workers,
    css,
    htmlAgrees,
    ...attributeChunks(dir, initial),
  };
}

export interface BuildDirs {
  root: string;
  /** What `npm run build` wrote. */
  dist: string;
  /** Analysis build of vite.config.ts (manifest + hidden source maps). */
  analysis: string;
  /** Analysis build of the element's config, if there is one. */
  elementAnalysis: string | null;
}

/** Build the analysis copies (same configs, plus manifest and hidden source maps) into cache folders. */
export async function analysisBuilds(root: string, cache: string): Promise<BuildDirs> {
  const { build } = await import('vite');
  const analysis = join(cache, 'analysis');
  await build({
    root,
    logLevel: 'silent',
    mode: 'production',
    build: { outDir: analysis, emptyOutDir: true, manifest: true, sourcemap: 'hidden' },
  });
  let elementAnalysis: string | null = null;
  const elementConfig = join(root, 'vite.element.config.ts');
  if (existsSync(elementConfig)) {
    elementAnalysis = join(cache, 'analysis-element');
    await build({
      root,
      configFile: elementConfig,
      logLevel: 'silent',
      mode: 'production',
      build: { outDir: elementAnalysis, emptyOutDir: true, sourcemap: 'hidden' },
    });
  }
  return { root, dist: join(root, 'dist'), analysis, elementAnalysis };
}

export const ELEMENT_FILE = 'vfio-kvm-explorer.js';

export function bundleReport(d: BuildDirs): BundleReport {
  const notes: string[] = [];
  const manifestPath = join(d.analysis, '.vite', 'manifest.json');
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as Manifest;
  const distHtml = (name: string) =>
    existsSync(join(d.dist, name)) ? readFileSync(join(d.dist, name), 'utf8') : null;

  const app = pageJs(d.analysis, manifest, 'index.html', distHtml('index.html'));
  if (!app) notes.push('index.html is not in the manifest: no app figures');
  else if (!app.htmlAgrees)
    notes.push(
      'dist/index.html loads other files than the analysis build computed (a stale dist/?): app figures are from the analysis build',
    );
  const embed = pageJs(d.analysis, manifest, 'embed.html', distHtml('embed.html'));
  if (!embed) notes.push('no embed.html in this build: embedJsGzip is null');
  else if (!embed.htmlAgrees)
    notes.push('dist/embed.html loads other files than the analysis build computed');

  let element: BundleReport['element'] = null;
  if (existsSync(join(d.dist, ELEMENT_FILE))) {
    const size = sizeOf(d.dist, ELEMENT_FILE);
    let groups: { group: string; bytes: number; gzip: number }[] = [];
    if (d.elementAnalysis && existsSync(join(d.elementAnalysis, ELEMENT_FILE))) {
      const same = readFileSync(join(d.elementAnalysis, ELEMENT_FILE)).equals(
        readFileSync(join(d.dist, ELEMENT_FILE)),
      );
      if (!same)
        notes.push(`dist/${ELEMENT_FILE} differs from its analysis build: its groups are approximate`);
      groups = attributeChunks(d.elementAnalysis, [sizeOf(d.elementAnalysis, ELEMENT_FILE)]).groups;
    }
    element = { ...size, groups };
  } else notes.push(`no dist/${ELEMENT_FILE}: elementJsGzip is null`);
  return { app, embed, element, notes };
}
