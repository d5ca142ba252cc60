import { describe, expect, it } from 'vitest';
import { ERA_IDS, ERAS, variant, type EraId } from './era.ts';
import { compileFns } from './program.ts';
import { diffEras, formatDiff, formatEras } from './diff.ts';

// `vfio-kvm diff` checked against the pseudo-code it compares: every hunk's header and lines are read back
// out of the two eras' compiled functions, the edit script is a shortest one (its kept lines are a longest
// common subsequence), and each hunk's labels name eras on the way from A to B.

const linesOf = (era: EraId) =>
  new Map(compileFns(variant(era)).map((f) => [f.key, { ...f, lines: f.instrs.map((i) => i.line) }]));

function lcs(a: readonly string[], b: readonly string[]): number {
  let prev = new Array<number>(b.length + 1).fill(0);
  for (let i = 1; i <= a.length; i++) {
    const cur = new Array<number>(b.length + 1).fill(0);
    for (let j = 1; j <= b.length; j++)
      cur[j] = a[i - 1] === b[j - 1] ? prev[j - 1]! + 1 : Math.max(prev[j]!, cur[j - 1]!);
    prev = cur;
  }
  return prev[b.length]!;
}

const PAIRS: [EraId, EraId][] = [
  ...ERA_IDS.slice(1).map((e, i) => [ERA_IDS[i]!, e] as [EraId, EraId]),
  ['before', 'after'],
  ['after', 'before'],
  ['v6.6', 'before'],
  ['before', 'v6.6'],
];

describe('diffEras against the compiled pseudo-code', () => {
  for (const [a, b] of PAIRS)
    it(`${a} → ${b}`, () => {
      const A = linesOf(a);
      const B = linesOf(b);
      const d = diffEras(a, b);
      expect(d).toMatchObject({ schema: 'vfio-kvm-diff/1', a, b });
      // every function that differs (text, name or file) is listed, once; no other
      for (const key of new Set([...A.keys(), ...B.keys()])) {
        const x = A.get(key);
        const y = B.get(key);
        const differs =
          !x || !y || x.lines.join('\n') !== y.lines.join('\n') || x.name !== y.name || x.file !== y.file;
        expect(d.functions.filter((f) => f.key === key).length, key).toBe(differs ? 1 : 0);
      }
      const order = d.functions.map((f) => `${(f.b ?? f.a)!.file}\u0000${(f.b ?? f.a)!.name}`);
      expect(order).toEqual([...order].sort((p, q) => p.localeCompare(q)));
      const lo = Math.min(ERAS[a].order, ERAS[b].order);
      const hi = Math.max(ERAS[a].order, ERAS[b].order);
      for (const f of d.functions) {
        const x = A.get(f.key);
        const y = B.get(f.key);
        expect(f.a).toEqual(x ? { name: x.name, file: x.file } : null);
        expect(f.b).toEqual(y ? { name: y.name, file: y.file } : null);
        expect(f.decl).toBe((x ?? y)!.decl);
        const al = x?.lines ?? [];
        const bl = y?.lines ?? [];
        if (al.join('\n') === bl.join('\n')) {
          expect(f.hunks, `${f.key}: renamed or moved`).toEqual([]);
          continue;
        }
        expect(f.hunks.length, f.key).toBeGreaterThan(0);
        let removed = 0;
        let added = 0;
        let prevEnd = -Infinity;
        for (const h of f.hunks) {
          const m = /^@@ -(\d+),(\d+) \+(\d+),(\d+) @@ (.+)$/.exec(h.header);
          expect(m, h.header).not.toBeNull();
          const [as, alen, bs, blen] = m!.slice(1, 5).map(Number) as [number, number, number, number];
          expect(m![5]).toBe((y ?? x)!.name);
          const aSide = h.lines.filter((l) => l.op !== '+').map((l) => l.text);
          const bSide = h.lines.filter((l) => l.op !== '-').map((l) => l.text);
          expect([aSide.length, bSide.length]).toEqual([alen, blen]);
          // unified-diff numbering: 1-based; an empty side is numbered by the line before it
          expect(aSide).toEqual(al.slice(alen ? as - 1 : as, (alen ? as - 1 : as) + alen));
          expect(bSide).toEqual(bl.slice(blen ? bs - 1 : bs, (blen ? bs - 1 : bs) + blen));
          // at most three lines of context around the changes, and exactly three where the function has them
          const changed = h.lines.map((l, i) => (l.op === ' ' ? -1 : i)).filter((i) => i >= 0);
          const lead = changed[0]!;
          const trail = h.lines.length - 1 - changed[changed.length - 1]!;
          expect(lead).toBeLessThanOrEqual(3);
          expect(trail).toBeLessThanOrEqual(3);
          if (alen ? as - 1 + lead > lead : false) expect(lead).toBe(3);
          // hunks do not overlap and are apart by more than twice the context
          const start = (alen ? as - 1 : as) - 0;
          expect(start).toBeGreaterThanOrEqual(prevEnd);
          prevEnd = start + alen;
          removed += h.lines.filter((l) => l.op === '-').length;
          added += h.lines.filter((l) => l.op === '+').length;
          expect(h.labels.length).toBeGreaterThan(0);
          for (const l of h.labels) {
            expect(ERAS[l.era].order, `${f.key}: ${l.era}`).toBeGreaterThan(lo);
            expect(ERAS[l.era].commit === null || l.commit === ERAS[l.era].commit).toBe(true);
            expect(l.subject).toBe(ERAS[l.era].subject);
            if (l.via) {
              expect(ERAS[l.via].commit).toBeNull();
              expect(ERAS[l.era].commit).not.toBeNull();
              expect(ERAS[l.via].order).toBeLessThan(ERAS[l.era].order);
            } else expect(ERAS[l.era].order).toBeLessThanOrEqual(hi);
            expect(l.link).toMatch(/^https:\/\//);
          }
          const orders = h.labels.map((l) => ERAS[l.era].order);
          expect(orders).toEqual([...orders].sort((p, q) => p - q));
        }
        // a shortest edit script: what is kept is a longest common subsequence
        const keep = lcs(al, bl);
        expect([removed, added], f.key).toEqual([al.length - keep, bl.length - keep]);
      }
    });

  it('a removed or added function diffs against /dev/null, from line 0', () => {
    const d = diffEras('before', 'v6.6');
    const gone = d.functions.find((f) => f.b === null);
    const born = d.functions.find((f) => f.a === null);
    expect(gone && born).toBeTruthy();
    expect(gone!.hunks[0]!.header).toMatch(/^@@ -1,\d+ \+0,0 @@ /);
    expect(born!.hunks[0]!.header).toMatch(/^@@ -0,0 \+1,\d+ @@ /);
    const text = formatDiff(d);
    expect(text).toContain(`--- a/${gone!.a!.file}  ${gone!.a!.name}\n+++ /dev/null\n`);
    expect(text).toContain(`--- /dev/null\n+++ b/${born!.b!.file}  ${born!.b!.name}\n`);
  });
});

describe('formatDiff and formatEras', () => {
  it('the header names both eras; an empty diff says so', () => {
    expect(formatDiff(diffEras('after', 'after'))).toBe(
      [
        'diff after after',
        `  after: ${ERAS.after.commit!.slice(0, 12)} ${ERAS.after.subject}`,
        `  after: ${ERAS.after.commit!.slice(0, 12)} ${ERAS.after.subject}`,
        '',
        'no differences in the modelled code',
        '',
      ].join('\n'),
    );
    const v1 = formatDiff(diffEras('v1', 'v1')).split('\n');
    expect(v1[1]).toBe(`  v1: ${ERAS.v1.link} ${ERAS.v1.subject}`);
  });

  it('each function: its two sides, then per hunk its labels, header and lines', () => {
    const d = diffEras('v2', 'after');
    const text = formatDiff(d);
    const expected: string[] = [];
    for (const f of d.functions) {
      expected.push('', `--- a/${f.a!.file}  ${f.a!.name}`, `+++ b/${f.b!.file}  ${f.b!.name}`);
      for (const h of f.hunks) {
        for (const l of h.labels) {
          const who = l.commit ? l.commit.slice(0, 12) : ERAS[l.era].title;
          const via = l.via ? ` [${ERAS[l.via].title}]` : '';
          const what = l.change ? `${l.change.text}${l.change.by ? ` (${l.change.by})` : ''}` : l.subject;
          expected.push(`# ${who}${via}: ${what}`);
        }
        expected.push(h.header, ...h.lines.map((l) => `${l.op}${l.text}`));
      }
    }
    expect(text.split('\n').slice(3, -1)).toEqual(expected);
    // v1 is a posted version: going back from after, a line that first differs at v1 is labelled with the
    // commit that merged v1's change, and v1's title
    expect(formatDiff(diffEras('after', 'before'))).toContain(`\n# 421cfe6596f6 [${ERAS.v1.title}]: `);
  });

  it('formatEras: one line per era, id padded, commit (or "patch"), date, subject', () => {
    const lines = formatEras().split('\n');
    expect(lines.pop()).toBe('');
    const w = Math.max(...ERA_IDS.map((e) => e.length));
    expect(lines).toEqual(
      ERA_IDS.map(
        (id) =>
          `${id.padEnd(w)}  ${(ERAS[id].commit?.slice(0, 12) ?? 'patch').padEnd(12)}  ${ERAS[id].date}  ${ERAS[id].subject}`,
      ),
    );
    expect(lines[0]!.startsWith(`v5.18${' '.repeat(w - 5)}  `)).toBe(true);
  });
});
