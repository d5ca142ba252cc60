import { describe, expect, it } from 'vitest';
import { decodeBase64Url, encodeBase64Url, parseUrlState, serializeUrlState, URL_LIMITS } from './url.ts';

describe('base64url', () => {
  it('round-trips UTF-8 text, with and without padding', () => {
    for (const t of ['', 'a', 'ab', 'abc', '{"title":"§5 C — GROUP_DEL"}', 'x'.repeat(70_000)]) {
      const b = encodeBase64Url(t);
      expect(b).toMatch(/^[A-Za-z0-9_-]*$/);
      expect(decodeBase64Url(b)).toBe(t);
      expect(decodeBase64Url(b + '='.repeat((4 - (b.length % 4)) % 4))).toBe(t);
    }
  });
  it('rejects what is not base64url or not UTF-8', () => {
    expect(decodeBase64Url('ab+c')).toBeNull();
    expect(decodeBase64Url('a')).toBeNull();
    expect(decodeBase64Url('%%%')).toBeNull();
    expect(decodeBase64Url('_w')).toBeNull(); // 0xff: not UTF-8
  });
});

describe('parseUrlState', () => {
  it("reads every parameter of the page's URL", () => {
    const { state, notices } = parseUrlState(
      '?scenario=del-while-open&era=after&step=12&schedule=Q,Q,KV&theme=dark&v=1',
      '',
    );
    expect(notices).toEqual([]);
    expect(state).toEqual({
      scenario: 'del-while-open',
      scenarioJson: null,
      era: 'after',
      step: 12,
      schedule: ['Q', 'Q', 'KV'],
      theme: 'dark',
    });
  });
  it('an empty address is a valid default state', () => {
    expect(parseUrlState('', '')).toEqual({
      state: { scenario: null, scenarioJson: null, era: null, step: null, schedule: null, theme: null },
      notices: [],
    });
  });
  it('each malformed parameter gives one notice and falls back', () => {
    const { state, notices } = parseUrlState(
      '?scenario=<script>&era=2019&step=-3&schedule=Q,,KV&theme=neon&v=7&foo=1',
      '',
    );
    expect(state).toEqual({
      scenario: null,
      scenarioJson: null,
      era: null,
      step: null,
      schedule: null,
      theme: null,
    });
    expect(notices.map((n) => n.id).sort()).toEqual(
      ['era', 'schedule', 'scenario', 'step', 'theme', 'unknown-foo', 'v'].sort(),
    );
    expect(notices.find((n) => n.id === 'era')!.text).toContain(
      'v5.18, gvt-rework, before, v1, v2, after, group-mutex, gvt-fix, group-c, release-fix, fixed, v6.6',
    );
  });
  it('rejects huge or fractional steps and oversized schedules', () => {
    expect(parseUrlState('?step=1.5', '').state.step).toBeNull();
    expect(parseUrlState('?step=99999999', '').state.step).toBeNull();
    const long = Array.from({ length: URL_LIMITS.schedule + 1 }, () => 'Q').join(',');
    const r = parseUrlState(`?schedule=${long}`, '');
    expect(r.state.schedule).toBeNull();
    expect(r.notices[0]!.text).toContain('more than 2000');
  });
  it('ignores an over-long query entirely', () => {
    const r = parseUrlState('?scenario=' + 'a'.repeat(URL_LIMITS.query + 1), '');
    expect(r.state.scenario).toBeNull();
    expect(r.notices.map((n) => n.id)).toEqual(['url-too-long']);
  });
  it('reads a user scenario from the hash; it wins over ?scenario=', () => {
    const json = '{"id":"mine"}';
    const r = parseUrlState('?scenario=happy-path', '#scenario=' + encodeBase64Url(json));
    expect(r.state.scenarioJson).toBe(json);
    expect(r.state.scenario).toBeNull();
    expect(r.notices.map((n) => n.id)).toEqual(['both']);
  });
  it('rejects a broken or oversized hash', () => {
    expect(parseUrlState('', '#scenario=***').notices.map((n) => n.id)).toEqual(['hash']);
    expect(parseUrlState('', '#other=1').notices.map((n) => n.id)).toEqual(['hash']);
    expect(
      parseUrlState('', '#scenario=' + 'A'.repeat(URL_LIMITS.hash + 4)).notices.map((n) => n.id),
    ).toEqual(['hash']);
  });
  it('notes duplicated parameters and keeps the first', () => {
    const r = parseUrlState('?era=after&era=before', '');
    expect(r.state.era).toBe('after');
    expect(r.notices.map((n) => n.id)).toEqual(['dup-era']);
  });
});

describe('serializeUrlState', () => {
  it('is the inverse of parse for a built-in scenario', () => {
    const s = {
      scenario: 'last-ref-deadlock',
      scenarioJson: null,
      era: 'after' as const,
      step: 31,
      schedule: ['Q', 'X', 'Q'],
      theme: 'light' as const,
    };
    const { search, hash } = serializeUrlState(s);
    expect(search).toBe('?scenario=last-ref-deadlock&era=after&step=31&schedule=Q,X,Q&theme=light&v=1');
    expect(hash).toBe('');
    const back = parseUrlState(search, hash);
    expect(back.notices).toEqual([]);
    expect(back.state).toEqual({ ...s });
  });
  it('leaves out auto theme and empty schedule; a user scenario travels in the hash', () => {
    const json = JSON.stringify({ schema: 'vfio-kvm-scenario/1', id: 'mine', title: 'Ünïcode — ok' });
    const { search, hash } = serializeUrlState({
      scenario: null,
      scenarioJson: json,
      era: 'before',
      step: 0,
      schedule: [],
      theme: 'auto',
    });
    expect(search).toBe('?era=before&step=0&v=1');
    const back = parseUrlState(search, hash);
    expect(back.state.scenarioJson).toBe(json);
    expect(back.notices).toEqual([]);
  });
});
