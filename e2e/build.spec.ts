/**
 * `npm run build` (run by the webServer before the specs): the app, embed.html
 * and the element side by side in dist/, and no built file that would make a
 * request to a third-party host at run time.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { test, expect } from './support/fixtures.ts';
import { ROOT } from './support/host.ts';
import { PRIVATE_NOTES_ALL } from '../src/testing/privateNotes.ts';

const DIST = join(ROOT, 'dist');

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)],
  );
}

/**
 * URLs a built file may contain without ever requesting them: XML namespaces
 * (SVG, XHTML, XLink, MathML, XML, XMLNS), React's error-decoder link in
 * its minified error messages (text, never fetched), and the links to the
 * kernel's sources that the explorer shows (git.kernel.org at a commit, the
 * patches' mails on lore.kernel.org: followed by the reader, never fetched).
 */
const ALLOWED = [
  // (the repository's address alone is the constant those links are built from)
  /^https:\/\/git\.kernel\.org\/pub\/scm\/linux\/kernel\/git\/torvalds\/linux\.git(\/(commit|tree)\/|$)/,
  /^https:\/\/lore\.kernel\.org\/r\//,
  /^http:\/\/www\.w3\.org\/(1998\/Math\/MathML|1999\/xhtml|1999\/xlink|2000\/svg|2000\/xmlns\/|XML\/1998\/namespace)$/,
  /^https:\/\/react\.dev\/errors\/$/,
];

test('dist/ holds index.html, embed.html and vfio-kvm-explorer.js side by side', () => {
  for (const f of ['index.html', 'embed.html', 'vfio-kvm-explorer.js'])
    expect(statSync(join(DIST, f)).isFile(), f).toBe(true);
  const embed = readFileSync(join(DIST, 'embed.html'), 'utf8');
  expect(embed).toMatch(/<script type="module" crossorigin src="\.\/assets\/embed-[\w-]+\.js"><\/script>/);
  expect(embed).toMatch(/<link rel="stylesheet" crossorigin href="\.\/assets\/[\w-]+\.css">/);
  expect(embed).not.toContain('/src/');
  // The element is one file: no import of another module, no worker.
  const el = readFileSync(join(DIST, 'vfio-kvm-explorer.js'), 'utf8');
  expect(el).not.toMatch(/\bimport\s*\(/);
  expect(el).not.toMatch(/(^|[;}\s])import\s*[{"'*\w]/);
  expect(el).not.toContain('new Worker');
  expect(el).toContain('customElements.define');
  // The page is ASCII (its build-time view's other characters written as references): the browser keeps
  // it in 8-bit characters, decoded in a quarter of the time (src/prerender/plugin.ts, asciiMarkup).
  const page = readFileSync(join(DIST, 'index.html'));
  expect(
    page.findIndex((b) => b > 0x7f),
    'the first byte of index.html outside ASCII',
  ).toBe(-1);
});

test('no built file names a third-party host', () => {
  const found: string[] = [];
  for (const f of walk(DIST)) {
    if (!/\.(html|js|css|svg|json|txt)$/.test(f)) continue;
    for (const m of readFileSync(f, 'utf8').matchAll(/https?:\/\/[^\s"'`()<>\\,;]+/g))
      if (!ALLOWED.some((re) => re.test(m[0]))) found.push(`${relative(DIST, f)}: ${m[0]}`);
  }
  expect(found).toEqual([]);
});

test("no built file cites the team's private notes", () => {
  const found: string[] = [];
  for (const f of walk(DIST)) {
    if (!/\.(html|js|css|svg|json|txt)$/.test(f)) continue;
    const text = readFileSync(f, 'utf8');
    for (const m of text.matchAll(PRIVATE_NOTES_ALL))
      found.push(`${relative(DIST, f)}: ${text.slice(Math.max(0, m.index - 30), m.index + 30)}`);
  }
  expect(found).toEqual([]);
});
