/**
 * A second origin for the embedding tests: a small HTTP server on another
 * port of 127.0.0.1 (same site, different origin, as a docs site on its own
 * host would be), started by the spec. Routes return HTML written by the
 * test, files of the repository (examples/, dist/), or 404.
 */
import { spawnSync } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, isAbsolute, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Locator, Page, TestInfo } from '@playwright/test';
import { expect } from './fixtures.ts';

export const ROOT = join(fileURLToPath(new URL('.', import.meta.url)), '..', '..');

/** The address the examples use for the explorer (`npm run preview`); tests substitute the running one. */
export const EXAMPLES_EXPLORER = 'http://127.0.0.1:4173';

/** The strict policy the page and the element must work under. */
export const STRICT_CSP = "default-src 'self'; script-src 'self'; style-src 'self'";

export interface Reply {
  body: string | Buffer;
  type?: string;
  headers?: Record<string, string>;
  status?: number;
}

export type Route = (path: string) => Reply | Promise<Reply | null> | null;

export interface Host {
  origin: string;
  url(path: string): string;
  /** Every path requested, in order. */
  requests: string[];
  close(): Promise<void>;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.json': 'application/json',
  '.png': 'image/png',
  '.txt': 'text/plain; charset=utf-8',
};

export function html(body: string, headers: Record<string, string> = {}): Reply {
  return { body, type: TYPES['.html'], headers };
}

/**
 * A small host page: a heading, then `body`. Its icon is a data: URL (no 404
 * in the console), except under a CSP, which forbids that: /favicon.ico is
 * then a 204.
 */
export function hostPage(title: string, body: string, headers: Record<string, string> = {}): Reply {
  const icon = Object.keys(headers).some((h) => h.toLowerCase() === 'content-security-policy')
    ? ''
    : '<link rel="icon" href="data:,">';
  return html(
    `<!doctype html>\n<html lang="en">\n<head><meta charset="utf-8">${icon}<title>${title}</title></head>\n<body>\n<h1>${title}</h1>\n${body}\n</body>\n</html>\n`,
    headers,
  );
}

/** Serve a directory (of the repository, or an absolute path) under a prefix; .html/.js text gets `replace` applied. */
export function files(prefix: string, dir: string, replace: [string, string][] = []): Route {
  const base = normalize(isAbsolute(dir) ? dir : join(ROOT, dir));
  return async (path) => {
    if (!path.startsWith(prefix)) return null;
    let rel = decodeURIComponent(path.slice(prefix.length));
    if (rel === '' || rel.endsWith('/')) rel += 'index.html';
    const file = normalize(join(base, rel));
    if (file !== base && !file.startsWith(base + sep)) return null;
    // A built site's clean URLs: /a/b is /a/b.html (VitePress) or /a/b/index.html (Docusaurus).
    let body: Buffer | string | null = null;
    let served = file;
    for (const f of [file, `${file}.html`, join(file, 'index.html')]) {
      try {
        body = await readFile(f);
        served = f;
        break;
      } catch {
        // the next form
      }
    }
    if (body === null) return null;
    const ext = extname(served);
    if (replace.length && ['.html', '.js', '.mjs'].includes(ext)) {
      let s = body.toString('utf8');
      for (const [a, b] of replace) s = s.split(a).join(b);
      body = s;
    }
    return { body, type: TYPES[ext] ?? 'application/octet-stream' };
  };
}

/** A docs tool on this machine, or a clear failure that says how to get it (.ci/run installs them all). */
export function requireTool(cmd: string, args: string[], hint: string): string {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  if (r.error || r.status !== 0)
    throw new Error(`${cmd} is not available here (${r.error?.message ?? r.stderr.trim()}): ${hint}`);
  return (r.stdout || r.stderr).trim();
}

/** Run a docs build; its wall time (s) is attached to the test as an annotation and printed. */
export function timedBuild(
  testInfo: TestInfo,
  what: string,
  cmd: string,
  args: string[],
  opts: { cwd?: string; env?: Record<string, string> } = {},
): { seconds: number; stdout: string; stderr: string } {
  const t0 = performance.now();
  const r = spawnSync(cmd, args, {
    cwd: opts.cwd ?? ROOT,
    env: { ...process.env, ...opts.env },
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  const seconds = Math.round((performance.now() - t0) / 100) / 10;
  if (r.error || r.status !== 0)
    throw new Error(`${what} failed (${r.error?.message ?? `exit ${r.status}`}):\n${r.stdout}\n${r.stderr}`);
  testInfo.annotations.push({ type: 'build', description: `${what}: ${seconds} s` });
  console.log(`[build] ${what}: ${seconds} s`);
  return { seconds, stdout: r.stdout, stderr: r.stderr };
}

/**
 * Console warnings and errors that come from the explorer: from its origin
 * (embed.html, the element's module), from a recipe's script, or naming it.
 * The spec asserts the list is empty at the end.
 */
export function explorerConsole(page: Page, explorerOrigin: string): string[] {
  const seen: string[] = [];
  page.on('console', (m) => {
    if (m.type() !== 'warning' && m.type() !== 'error') return;
    const url = m.location().url ?? '';
    if (url.startsWith(explorerOrigin) || /vfio-kvm-explorer/i.test(`${url} ${m.text()}`))
      seen.push(`${m.type()}: ${m.text()} (${url})`);
  });
  return seen;
}

/**
 * An explorer in an iframe of a docs page: it appears at `step` with "Step
 * forward" enabled, steps once, and the iframe is as tall as the explorer
 * with no scrollbar inside. Returns the frame, one step on.
 */
export async function checkFrame(iframe: Locator, step: number) {
  await iframe.scrollIntoViewIfNeeded();
  const frame = iframe.contentFrame();
  await expect(frame.getByRole('img', { name: /^KVM reference flow/ })).toBeVisible();
  await expect(frame.getByTestId('step-counter')).toHaveText(String(step));
  const forward = frame.getByRole('button', { name: 'Step forward' });
  await expect(forward).toBeEnabled();
  await forward.click();
  await expect(frame.getByTestId('step-counter')).toHaveText(String(step + 1));
  await expect
    .poll(() => fit(iframe), { message: 'the iframe fits the explorer' })
    .toEqual({
      fits: true,
      innerScroll: false,
    });
  return frame;
}

/** The iframe's height against its content's; and whether its document scrolls inside. */
export async function fit(iframe: Locator) {
  const outer = await iframe.evaluate((f) => f.getBoundingClientRect().height);
  const inner = await iframe
    .contentFrame()
    .locator('html')
    .evaluate((h) => ({
      root: Math.ceil(document.getElementById('root')!.getBoundingClientRect().height),
      scroll: h.scrollHeight > h.clientHeight + 1,
    }));
  return { fits: Math.abs(outer - inner.root) <= 1, innerScroll: inner.scroll };
}

/** The explorer's resolved theme inside an iframe. */
export function frameTheme(iframe: Locator): Locator {
  return iframe.contentFrame().locator('.vke-root');
}

export async function startHost(...routes: Route[]): Promise<Host> {
  const requests: string[] = [];
  const server: Server = createServer(async (req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    requests.push(path);
    if (path === '/favicon.ico') {
      res.writeHead(204);
      res.end();
      return;
    }
    try {
      for (const r of routes) {
        const reply = await r(path);
        if (!reply) continue;
        res.writeHead(reply.status ?? 200, {
          'content-type': reply.type ?? TYPES['.html']!,
          'cache-control': 'no-store',
          ...reply.headers,
        });
        res.end(reply.body);
        return;
      }
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('not found');
    } catch (e) {
      res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(String(e));
    }
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const port = (server.address() as { port: number }).port;
  const origin = `http://127.0.0.1:${port}`;
  return {
    origin,
    url: (p) => origin + p,
    requests,
    close: () => new Promise<void>((ok) => server.close(() => ok())),
  };
}
