/**
 * A second origin for the embedding tests: a small HTTP server on another
 * port of 127.0.0.1 (same site, different origin, as a docs site on its own
 * host would be), started by the spec. Routes return HTML written by the
 * test, files of the repository (examples/, dist/), or 404.
 */
import { createServer, type Server } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, isAbsolute, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

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
    let body: Buffer | string;
    try {
      body = await readFile(file);
    } catch {
      return null;
    }
    const ext = extname(file);
    if (replace.length && ['.html', '.js', '.mjs'].includes(ext)) {
      let s = body.toString('utf8');
      for (const [a, b] of replace) s = s.split(a).join(b);
      body = s;
    }
    return { body, type: TYPES[ext] ?? 'application/octet-stream' };
  };
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
