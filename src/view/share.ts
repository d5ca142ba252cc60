/**
 * Permalinks and embed code (README, "Share and embed"): pure functions of the page's address
 * and the player's URL state, so the "Copy link" and "Copy embed code"
 * buttons, the tests and the README all produce the same text.
 */
import { RESIZE } from './embed/messages.ts';

/** Height the iframe starts with before the explorer reports its own (the embed reserves the same). */
export const EMBED_INITIAL_HEIGHT = 640;

export interface Address {
  search: string;
  hash: string;
}

/** The page's own permalink: the page's address with the state's query and hash. */
export function pageLink(pageHref: string, a: Address): string {
  const u = new URL(pageHref);
  return `${u.origin}${u.pathname}${a.search}${a.hash}`;
}

/** embed.html next to the page, with the same state. */
export function embedLink(pageHref: string, a: Address): string {
  const u = new URL('embed.html', pageHref);
  return `${u.origin}${u.pathname}${a.search}${a.hash}`;
}

/** Text for a double-quoted HTML attribute. */
export function attr(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** A JS string literal safe inside a <script> element. */
function jsString(s: string): string {
  return JSON.stringify(s)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

export interface IframeOptions {
  /** Absolute embed.html URL (with query and hash). */
  src: string;
  /** The iframe's accessible name. */
  title: string;
  height?: number;
}

export function iframeSnippet(o: IframeOptions): string {
  const h = Math.round(o.height ?? EMBED_INITIAL_HEIGHT);
  return `<iframe src="${attr(o.src)}" title="${attr(o.title)}" width="100%" height="${h}" loading="lazy" style="border:0;max-width:100%"></iframe>`;
}

/**
 * The host's side of the height protocol: one listener for every explorer
 * iframe of the page (pasting it twice is harmless). It trusts only messages
 * from the explorer's origin whose source is one of the page's iframes, and
 * only a sane number.
 */
export function resizeListener(explorerOrigin: string): string {
  return [
    '<script>',
    '/* vfio-kvm-explorer: the embedded explorer reports its height; size its iframe to fit. */',
    'if (!window.vfioKvmExplorerResize) {',
    '  window.vfioKvmExplorerResize = true;',
    "  window.addEventListener('message', function (e) {",
    '    var d = e.data;',
    `    if (e.origin !== ${jsString(explorerOrigin)} || !d || d.type !== ${jsString(RESIZE)}) return;`,
    "    if (typeof d.height !== 'number' || !(d.height > 0 && d.height < 20000)) return;",
    "    document.querySelectorAll('iframe').forEach(function (f) {",
    "      if (f.contentWindow === e.source) f.style.height = Math.ceil(d.height) + 'px';",
    '    });',
    '  });',
    '}',
    '</script>',
  ].join('\n');
}

/** "Copy embed code": the iframe and the resize listener. */
export function embedCode(o: IframeOptions): string {
  return `${iframeSnippet(o)}\n${resizeListener(new URL(o.src).origin)}\n`;
}

/** The iframe's accessible name for a scenario and era. */
export function embedTitle(scenarioTitle: string, era: string): string {
  return `vfio-kvm-explorer: ${scenarioTitle} (${era})`;
}
