/** `chapter=<id>` in the address: parsing (bad values: a notice and a fallback), writing, and the front page. */
import { describe, expect, it } from 'vitest';
import { CHAPTER_IDS, FIRST_CHAPTER } from '../scenarios/story.ts';
import { isFrontPage, pageUrlState, parseUrlState, serializeUrlState } from './url.ts';

describe('chapter= in the address', () => {
  it('reads every chapter id', () => {
    for (const id of CHAPTER_IDS) {
      const r = parseUrlState(`?chapter=${encodeURIComponent(id)}&v=1`, '');
      expect(r.notices).toEqual([]);
      expect(r.state.chapter).toBe(id);
    }
  });

  it('an unknown or malformed chapter: one notice, and the story opens at its first chapter', () => {
    for (const bad of ['nope', 'OOPS', '', '__proto__', '<script>', 'x'.repeat(500), 'oops%00', 'toString']) {
      const r = parseUrlState(`?chapter=${encodeURIComponent(bad)}`, '');
      expect(
        r.notices.map((n) => n.id),
        bad,
      ).toEqual(['chapter']);
      expect(r.notices[0]!.text).toContain('is not a chapter of the story');
      expect(r.notices[0]!.text).toContain('showing its first chapter');
      expect(r.notices[0]!.text.length).toBeLessThan(300);
      expect(r.state.chapter).toBe(FIRST_CHAPTER);
    }
  });

  it('an unknown chapter beside a moment of its own is ignored: the rest of the address is shown', () => {
    const r = parseUrlState('?scenario=happy-path&era=after&step=3&chapter=nope', '');
    expect(r.notices.map((n) => n.id)).toEqual(['chapter']);
    expect(r.notices[0]!.text).toContain('it was ignored');
    expect(r.state.chapter).toBeUndefined();
    expect([r.state.scenario, r.state.era, r.state.step]).toEqual(['happy-path', 'after', 3]);
  });

  it('a chapter names its own moment: scenario, era, step, schedule and counterexample beside it are ignored, with a notice', () => {
    const r = parseUrlState(
      '?chapter=abba&scenario=happy-path&era=after&step=3&schedule=Q&counterexample=deadlock',
      '',
    );
    expect(r.state.chapter).toBe('abba');
    expect(r.notices.map((n) => n.id)).toEqual(['chapter-moment']);
    expect(r.notices[0]!.text).toContain('scenario=, era=, step=, schedule=, counterexample=');
    expect([r.state.scenario, r.state.era, r.state.step, r.state.schedule]).toEqual([null, null, null, null]);
    expect(r.state.counterexample).toBeUndefined();
    // compare and theme still apply.
    const c = parseUrlState('?chapter=abba&compare=fixed&theme=dark', '');
    expect(c.notices).toEqual([]);
    expect([c.state.chapter, c.state.compare, c.state.theme]).toEqual(['abba', 'fixed', 'dark']);
  });

  it('a duplicated chapter keeps the first', () => {
    const r = parseUrlState('?chapter=leak&chapter=oops', '');
    expect(r.state.chapter).toBe('leak');
    expect(r.notices.map((n) => n.id)).toEqual(['dup-chapter']);
  });

  it('is written as the chapter alone (with compare and theme), and read back', () => {
    const base = {
      scenario: 'gvt-ref-leak',
      scenarioJson: null,
      era: 'after' as const,
      step: 12,
      schedule: [],
    };
    const w = serializeUrlState({ ...base, theme: 'dark', chapter: 'leak', compare: 'gvt-fix' });
    expect(w).toEqual({ search: '?chapter=leak&compare=gvt-fix&theme=dark&v=1', hash: '' });
    const back = parseUrlState(w.search, w.hash);
    expect(back.notices).toEqual([]);
    expect([back.state.chapter, back.state.compare, back.state.theme]).toEqual(['leak', 'gvt-fix', 'dark']);
    // Out of the story: the moment as before.
    expect(serializeUrlState({ ...base, theme: 'auto', chapter: null }).search).toBe(
      '?scenario=gvt-ref-leak&era=after&step=12&v=1',
    );
  });
});

describe('the front page', () => {
  it('is the address with no parameters, or only theme, and no hash', () => {
    for (const [s, h] of [
      ['', ''],
      ['?', ''],
      ['?theme=dark', ''],
      ['', '#'],
    ])
      expect(isFrontPage(s!, h!), `${s}${h}`).toBe(true);
    for (const [s, h] of [
      ['?v=1', ''],
      ['?scenario=happy-path', ''],
      ['?theme=dark&v=1', ''],
      ['?step=3', ''],
      ['?foo=1', ''],
      ['', '#scenario=e30'],
      ['', '#other'],
    ])
      expect(isFrontPage(s!, h!), `${s}${h}`).toBe(false);
  });

  it('opens the story at its first chapter; v=1 links open as they always did', () => {
    expect(pageUrlState('', '').state.chapter).toBe(FIRST_CHAPTER);
    expect(pageUrlState('?theme=dark', '').state).toMatchObject({ chapter: FIRST_CHAPTER, theme: 'dark' });
    expect(pageUrlState('?v=1', '').state.chapter).toBeUndefined();
    expect(pageUrlState('?scenario=del-while-open&era=before&step=53&v=1', '').state.chapter).toBeUndefined();
    // embed.html and the element read the address without the front-page rule.
    expect(parseUrlState('', '').state.chapter).toBeUndefined();
  });
});
