/**
 * docs/kernel-reference.md is the repository's own kernel reference; these
 * tests keep it and the model saying the same thing: its bug table is
 * src/model/bugs.ts, each line of its changelog table names hunks that
 * `diff` labels with that line, each era has a section naming its commit (or
 * its mail), every bracketed commit id or Message-ID resolves to a public
 * link, and every function and file the model runs is named in it.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { BUGS } from './bugs.ts';
import { diffEras } from './diff.ts';
import { commitUrl, ERA_IDS, ERA_LIST, ERAS, isEraId, variant, type EraId } from './era.ts';
import { compileFns } from './program.ts';
import './model.ts';
import { BUILTINS } from '../scenarios/index.ts';
import { PRIVATE_NOTES } from '../testing/privateNotes.ts';

const DOC_PATH = new URL('../../docs/kernel-reference.md', import.meta.url);
const doc = readFileSync(DOC_PATH, 'utf8');
const lines = doc.split('\n');

/** The text of a `## ` or `### ` section, from its heading to the next heading of the same or a higher level. */
function section(heading: RegExp): string {
  const start = lines.findIndex((l) => heading.test(l));
  expect(start, `no heading ${heading}`).toBeGreaterThanOrEqual(0);
  const level = lines[start]!.match(/^#+/)![0].length;
  let end = start + 1;
  while (end < lines.length) {
    const m = lines[end]!.match(/^(#+) /);
    if (m && m[1]!.length <= level) break;
    end++;
  }
  return lines.slice(start, end).join('\n');
}

/** The first table of a text whose header's first cell is `first`: header and rows, cells trimmed. */
function table(text: string, first: string): { header: string[]; rows: string[][] } {
  const tl = text.split('\n');
  const cells = (l: string) =>
    l
      .trim()
      .replace(/^\||\|$/g, '')
      .split('|')
      .map((c) => c.trim());
  const h = tl.findIndex((l) => l.startsWith('|') && cells(l)[0] === first);
  expect(h, `no table starting with "${first}"`).toBeGreaterThanOrEqual(0);
  expect(tl[h + 1]).toMatch(/^\|(\s*-+\s*\|)+$/);
  expect(cells(tl[h + 1]!)).toHaveLength(cells(tl[h]!).length);
  const rows: string[][] = [];
  for (let i = h + 2; i < tl.length && tl[i]!.startsWith('|'); i++) rows.push(cells(tl[i]!));
  return { header: cells(tl[h]!), rows };
}

/** `a`, `b` → ['a', 'b'] */
const ticked = (cell: string) => [...cell.matchAll(/`([^`]+)`/g)].map((m) => m[1]!);

/** Reference-link definitions at the end of the file: label → URL. */
const defs = new Map(
  [...doc.matchAll(/^\[([^\]]+)\]: (\S+)$/gm)].map((m) => [m[1]!.toLowerCase(), m[2]!] as const),
);
const isCommitLabel = (l: string) => /^[0-9a-f]{12,40}$/.test(l);
const isMailLabel = (l: string) => l.includes('@') && !/\s/.test(l);
const LORE = 'https://lore.kernel.org/r/';

describe('docs/kernel-reference.md', () => {
  it('cites only public sources (no team-private documents)', () => {
    expect(doc).not.toMatch(PRIVATE_NOTES);
  });

  it('resolves every bracketed commit id and Message-ID to git.kernel.org or lore', () => {
    const used = new Set(
      [...doc.matchAll(/\[([^\]\s]+)\](?!:|\()/g)]
        .map((m) => m[1]!)
        .filter((l) => isCommitLabel(l) || isMailLabel(l)),
    );
    expect(used.size).toBeGreaterThan(40);
    for (const label of used) {
      const url = defs.get(label.toLowerCase());
      expect(url, `[${label}] has no link definition`).toBeDefined();
      if (isCommitLabel(label)) {
        expect(url).toMatch(
          /^https:\/\/git\.kernel\.org\/pub\/scm\/linux\/kernel\/git\/torvalds\/linux\.git\/commit\/\?id=[0-9a-f]{12,40}$/,
        );
        expect(url!.split('=')[1]!.startsWith(label)).toBe(true);
      } else expect(url).toBe(`${LORE}${label}`);
    }
    // No definition is left unused.
    for (const label of defs.keys()) expect([...used].map((l) => l.toLowerCase())).toContain(label);
  });

  it('has a section per era, in history order, naming its commit (or, for v1 and v2, its mail)', () => {
    const headings = lines.filter((l) => /^### `/.test(l)).map((l) => l.match(/^### `([^`]+)`/)![1]);
    expect(headings).toEqual([...ERA_IDS]);
    for (const e of ERA_LIST) {
      const text = section(new RegExp(`^### \`${e.id.replace('.', '\\.')}\` — `));
      if (e.commit) {
        const short = e.commit.slice(0, 12);
        expect(text.split('\n')[0]).toContain(short);
        expect(text).toContain(`[${short}]`);
        expect(defs.get(short)).toBe(commitUrl(e.commit));
      } else {
        const msgid = decodeURIComponent(e.link).slice(LORE.length);
        expect(text).toContain(`[${msgid}]`);
        expect(defs.get(msgid.toLowerCase())).toBe(`${LORE}${msgid}`);
      }
      // What each era's model rests on, where it is inferred, is said so.
      if (e.inferred?.length) expect(text).toMatch(/\*INFERRED:\*/);
    }
  });

  it('has the bug table of src/model/bugs.ts: every row, every era cell, the scenarios and the sources', () => {
    const { header, rows } = table(section(/^## Bugs per era$/), 'id');
    expect(header).toEqual(['id', 'title', ...ERA_IDS, 'scenario(s)', 'source']);
    expect(rows.map((r) => r[0])).toEqual(BUGS.map((b) => b.id));
    for (const [i, bug] of BUGS.entries()) {
      const row = rows[i]!;
      expect(row).toHaveLength(header.length);
      expect(row[1], bug.id).toBe(bug.title);
      ERA_IDS.forEach((era, k) => {
        const also = bug.alsoBy?.[era];
        const want = bug.reachable[era] ?? (also ? `— (${also})` : '—');
        expect(row[2 + k], `${bug.id} in ${era}`).toBe(want);
      });
      expect(ticked(row[2 + ERA_IDS.length]!)).toEqual([...bug.scenarios]);
      // The source cites what bugs.ts cites: every Message-ID and every commit id.
      const source = row[3 + ERA_IDS.length]!;
      const msgids = [...bug.source.matchAll(/<([^>\s]+@[^>\s]+)>/g)].map((m) => m[1]!);
      for (const id of msgids) expect(source, bug.id).toContain(`[${id}]`);
      const hexes = bug.source.replace(/<[^>]+>/g, '').match(/\b[0-9a-f]{12,40}\b/g) ?? [];
      expect(msgids.length + hexes.length, bug.id).toBeGreaterThan(0);
      for (const h of hexes) expect(source, bug.id).toContain(`[${h}]`);
    }
  });

  it("names each bug row's violation kind as src/model/bugs.ts does", () => {
    const text = section(/^## Bugs per era$/).replace(/\n/g, ' ');
    const kinds = text.match(/Kinds: (.*?)\./)![1]!;
    const said = new Map<string, string>();
    for (const part of kinds.split('; ')) {
      const m = part.match(/^(.*) `([a-z-]+)`$/)!;
      for (const id of m[1]!.split(', ')) said.set(id, m[2]!);
    }
    expect(Object.fromEntries(said)).toEqual(Object.fromEntries(BUGS.map((b) => [b.id, b.kind])));
  });

  it('maps every line of the cover letter changelog to the hunks that carry it and to scenarios', () => {
    const { header, rows } = table(section(/^## The patch's changelog$/), 'version');
    expect(header).toEqual([
      'version',
      'changelog line',
      'by',
      'function(s)',
      'scenario (era)',
      'why it mattered',
    ]);
    const versions: Record<string, { era: EraId; pair: [EraId, EraId] }> = {
      v3: { era: 'after', pair: ['v2', 'after'] },
      v2: { era: 'v2', pair: ['v1', 'v2'] },
    };
    const ids = new Set(BUILTINS.map((s) => s.id));
    const seen: string[] = [];
    for (const row of rows) {
      const [version, text, by, fns, scenarios, why] = row as [
        string,
        string,
        string,
        string,
        string,
        string,
      ];
      const v = versions[version];
      expect(v, version).toBeDefined();
      const change = ERAS[v!.era].changes.find((c) => c.text === text);
      expect(change, `"${text}" is not a line of the ${version} changelog`).toBeDefined();
      seen.push(`${v!.era}|${change!.id}`);
      expect(by).toBe(change!.by ?? '—');
      expect(why.length).toBeGreaterThan(20);
      if (fns === '—') {
        expect(scenarios).toBe('—');
        continue;
      }
      const d = diffEras(...v!.pair);
      const names = ticked(fns);
      expect(names.length).toBeGreaterThan(0);
      for (const name of names) {
        const f = d.functions.find((x) => x.a?.name === name || x.b?.name === name);
        expect(f, `diff ${v!.pair.join(' ')} has no hunk in ${name}`).toBeDefined();
        const labels = f!.hunks.flatMap((h) => h.labels.map((l) => l.change?.text));
        expect(labels, `${name}: "${text}"`).toContain(text);
      }
      const refs = [...scenarios.matchAll(/`([^`]+)` \(([^)]+)\)/g)];
      expect(refs.length, scenarios).toBeGreaterThan(0);
      for (const [, id, eras] of refs) {
        expect(ids.has(id!), `no built-in scenario ${id}`).toBe(true);
        for (const e of eras!.split(/, /)) expect(isEraId(e), `${e} in ${scenarios}`).toBe(true);
      }
    }
    // Every changelog line of v2 and v3 has its row.
    const all = [
      ...ERAS.v2.changes.map((c) => `v2|${c.id}`),
      ...ERAS.after.changes.map((c) => `after|${c.id}`),
    ];
    expect(seen.sort()).toEqual(all.sort());
  });

  it('names every function and file the model runs, in some era', () => {
    const names = new Set<string>();
    const files = new Set<string>();
    for (const era of ERA_IDS)
      for (const f of compileFns(variant(era))) {
        names.add(f.name);
        if (f.file !== 'COMMIT_MSG') files.add(f.file);
      }
    const missing = [...names].filter((n) => !doc.includes(`\`${n}\``) && !doc.includes(`\`${n}(`));
    expect(missing).toEqual([]);
    const path = (f: string) => [f, f.replace(/^.*\//, '')];
    expect([...files].filter((f) => !path(f).some((p) => doc.includes(p)))).toEqual([]);
  });

  it('keeps prose lines within 110 columns (tables, link definitions and code aside)', () => {
    let code = false;
    const long: number[] = [];
    lines.forEach((l, i) => {
      if (l.startsWith('```')) code = !code;
      if (code || l.startsWith('|') || /^\[[^\]]+\]: /.test(l)) return;
      if ([...l].length > 110) long.push(i + 1);
    });
    expect(long).toEqual([]);
  });
});
