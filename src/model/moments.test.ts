import { describe, expect, it } from 'vitest';
import { BUILTINS, builtin } from '../scenarios/index.ts';
import { diffEras, type EraDiff } from './diff.ts';
import { commitUrl, ERA_IDS, ERAS, loreUrl, type EraId } from './era.ts';
import { changedLines, executedSteps, MomentFinder, outcomeOf } from './moments.ts';
import { runScenario } from './run.ts';

/** Every public address a label may link to: each era's commits and mails, and each changelog entry's link. */
const KNOWN_LINKS = new Set<string>(
  ERA_IDS.flatMap((e) => {
    const era = ERAS[e];
    return [
      era.link,
      ...era.ids.map(commitUrl),
      ...[era.why, ...era.changes].flatMap((c) => (c.link ? [c.link] : [])),
    ];
  }),
);

const PAIRS: [EraId, EraId][] = [
  ['after', 'fixed'],
  ['before', 'after'],
  ['v2', 'after'],
  ['group-c', 'release-fix'],
  ['fixed', 'after'],
];

describe('the moment of a hunk', () => {
  const cache = new Map<string, { d: EraDiff; finder: MomentFinder }>();
  const finderOf = (a: EraId, b: EraId) => {
    const key = `${a}..${b}`;
    let hit = cache.get(key);
    if (!hit) {
      const d = diffEras(a, b);
      hit = { d, finder: new MomentFinder(d, BUILTINS) };
      cache.set(key, hit);
    }
    return hit;
  };

  for (const [a, b] of PAIRS) {
    it(`${a} → ${b}: each moment's step really executes a changed line of its hunk`, () => {
      const { d, finder } = finderOf(a, b);
      const moments = finder.all();
      let found = 0;
      d.functions.forEach((f, fi) =>
        f.hunks.forEach((h, hi) => {
          const m = moments[fi]![hi];
          if (!m) return;
          found++;
          expect([a, b]).toContain(m.era);
          // An independent run of the page's kind: the scenario in that era with its own schedule.
          const run = runScenario(builtin(m.scenario)!, { era: m.era });
          expect(m.step).toBeGreaterThanOrEqual(1);
          expect(m.step).toBeLessThanOrEqual(run.records.length);
          expect(run.records[m.step - 1]!.thread).toBe(m.thread);
          const fnId = run.model.fnId.get(f.key)!;
          const ran = executedSteps(run)[m.step - 1]!;
          const lines = changedLines(h).filter((c) => c.op === m.op);
          const hit = ran.filter((x) => x.fn === fnId && lines.some((c) => c.pc === x.pc));
          expect(
            hit.length,
            `${m.scenario} step ${m.step} runs no changed line of ${h.header}`,
          ).toBeGreaterThan(0);
          expect(lines.map((c) => c.text)).toContain(m.line);
          expect(run.model.fns[fnId]!.instrs[hit[0]!.pc]!.line).toBe(m.line);
          // It is the first step of that run that does.
          for (let s = 0; s < m.step - 1; s++)
            expect(
              executedSteps(run)[s]!.some((x) => x.fn === fnId && lines.some((c) => c.pc === x.pc)),
            ).toBe(false);
          // Its stated outcomes are the runs' own.
          expect(m.outcome.a).toEqual(outcomeOf(runScenario(builtin(m.scenario)!, { era: a })));
          expect(m.outcome.b).toEqual(outcomeOf(runScenario(builtin(m.scenario)!, { era: b })));
          expect(m.differs).toBe(m.outcome.a.join() !== m.outcome.b.join());
          if (m.because) {
            // The change it names is one of the hunk's, and the outcomes around it are the runs' own.
            expect(h.labels.map((l) => l.via ?? l.era)).toContain(m.because.era);
            expect(ERA_IDS.indexOf(m.because.prev)).toBe(ERA_IDS.indexOf(m.because.era) - 1);
            expect(m.because.before).toEqual(
              outcomeOf(runScenario(builtin(m.scenario)!, { era: m.because.prev })),
            );
            expect(m.because.after).toEqual(
              outcomeOf(runScenario(builtin(m.scenario)!, { era: m.because.era })),
            );
            expect(m.because.before).not.toEqual(m.because.after);
          }
        }),
      );
      expect(found).toBeGreaterThan(0);
    });
  }

  it('prefers a scenario whose outcome differs between the eras, when one runs the hunk', () => {
    const { d, finder } = finderOf('after', 'fixed');
    const moments = finder.all();
    const differing = BUILTINS.filter(
      (s) =>
        outcomeOf(runScenario(s, { era: 'after' })).join() !==
        outcomeOf(runScenario(s, { era: 'fixed' })).join(),
    ).map((s) => s.id);
    expect(differing.length).toBeGreaterThan(0);
    let some = 0;
    d.functions.forEach((f, fi) =>
      f.hunks.forEach((h, hi) => {
        const m = moments[fi]![hi];
        if (!m || m.differs) {
          if (m) some++;
          return;
        }
        // A moment in a scenario whose outcome is the same: no differing scenario runs a changed line.
        for (const id of differing) {
          const one = new MomentFinder({ ...d, functions: [f] }, [builtin(id)!]).find(f, h);
          expect(one, `${id} runs ${h.header} but was not preferred`).toBeNull();
        }
      }),
    );
    expect(some).toBeGreaterThan(0);
  });

  it('the 2b48f52f2bff hunks of after → fixed have a moment', () => {
    const { d, finder } = finderOf('after', 'fixed');
    const moments = finder.all();
    const labelled = d.functions.flatMap((f, fi) =>
      f.hunks
        .map((h, hi) => ({ h, m: moments[fi]![hi] }))
        .filter(({ h }) => h.labels.some((l) => l.commit?.startsWith('2b48f52f2bff'))),
    );
    expect(labelled.length).toBeGreaterThan(0);
    // Where one of them has a moment whose scenario 2b48f52f2bff changed, it says so.
    expect(labelled.some(({ m }) => m?.because?.era === 'fixed')).toBe(true);
  });

  it('declarations (structs, the commit message) get no moment', () => {
    const { d, finder } = finderOf('before', 'after');
    d.functions.forEach((f) => {
      if (f.decl) for (const h of f.hunks) expect(finder.find(f, h)).toBeNull();
    });
  });

  it('a step that executes nothing of a function gives no moment for it', () => {
    const { d } = finderOf('after', 'fixed');
    const f = d.functions.find((x) => !x.decl && x.hunks.length)!;
    // No scenario: nothing runs.
    expect(new MomentFinder(d, []).find(f, f.hunks[0]!)).toBeNull();
  });
});

describe('executed instructions', () => {
  it('every step of every built-in in after replays as recorded and includes its visible instruction', () => {
    for (const sc of BUILTINS) {
      const run = runScenario(sc, { era: 'after' });
      const ex = executedSteps(run);
      run.records.forEach((rec, i) => {
        expect(ex[i], `${sc.id} step ${i + 1}`).not.toBeNull();
        expect(ex[i]!.some((x) => x.fn === rec.fn && x.pc === rec.pc)).toBe(true);
      });
    }
  });
});

describe('hunk labels', () => {
  for (const [a, b] of PAIRS) {
    it(`${a} → ${b}: every label links to a real commit or mail of its era`, () => {
      const d = diffEras(a, b);
      for (const f of d.functions)
        for (const h of f.hunks) {
          expect(h.labels.length).toBeGreaterThan(0);
          for (const l of h.labels) {
            expect(KNOWN_LINKS.has(l.link), l.link).toBe(true);
            expect(l.link).toMatch(
              /^https:\/\/(git\.kernel\.org\/pub\/scm\/linux\/kernel\/git\/torvalds\/linux\.git\/commit\/\?id=[0-9a-f]{40}|lore\.kernel\.org\/)/,
            );
            // A change first made in a posted version (via) links to that version's mail.
            if (!l.change?.link) expect(l.link).toBe(l.via ? ERAS[l.via].link : commitUrl(l.commit!));
          }
        }
    });
  }

  it('a label of a posted version links to its mail on lore', () => {
    const d = diffEras('before', 'v1');
    const ls = d.functions.flatMap((f) => f.hunks.flatMap((h) => h.labels));
    expect(ls.length).toBeGreaterThan(0);
    for (const l of ls) if (!l.commit) expect(l.link.startsWith(loreUrl('').slice(0, 26))).toBe(true);
  });
});
