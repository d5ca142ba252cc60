/**
 * Fuzzing the page's address (issue 6): generated query strings and hashes
 * through src/view/url.ts's parser, then through the player exactly as the
 * page starts it (PlayerDriver: same machine, same parser). Never a throw;
 * always a valid state; a notice for every bad part; and the player still
 * steps afterwards. The same generator drives e2e/fuzz.spec.ts in Chromium.
 */
import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { ERA_IDS } from '../model/index.ts';
import { BUILTIN_IDS } from '../scenarios/index.ts';
import { validateScenario } from '../scenarios/validate.ts';
import { parseUrlState, serializeUrlState, THEMES, URL_LIMITS, type UrlState } from '../view/url.ts';
import { PlayerDriver } from '../view/player/driver.ts';
import { getRun } from '../view/player/runs.ts';
import { eraArb, urlCaseArb, validScenarioArb } from './arbitraries.ts';

const THREAD = /^[A-Za-z][A-Za-z0-9_]{0,15}$/;

function expectValidState(s: UrlState): void {
  if (s.scenario !== null) expect(s.scenario).toMatch(/^[a-z0-9][a-z0-9._-]{0,63}$/i);
  if (s.era !== null) expect(ERA_IDS).toContain(s.era);
  if (s.step !== null)
    expect(Number.isSafeInteger(s.step) && s.step >= 0 && s.step <= URL_LIMITS.step).toBe(true);
  if (s.schedule !== null) {
    expect(s.schedule.length).toBeGreaterThan(0);
    expect(s.schedule.length).toBeLessThanOrEqual(URL_LIMITS.schedule);
    for (const t of s.schedule) expect(t).toMatch(THREAD);
  }
  if (s.theme !== null) expect(THEMES).toContain(s.theme);
  if (s.scenarioJson !== null) expect(typeof s.scenarioJson).toBe('string');
  expect(s.scenario !== null && s.scenarioJson !== null).toBe(false);
}

/**
 * Short enough to read: what a notice on the page must be. (Control
 * characters quoted from the address are harmless in the DOM, where they
 * render as spaces or not at all; the terminal is the CLI's concern, see
 * validate.fuzz.test.ts.)
 */
function clearNotice(text: string): boolean {
  return text.trim().length > 0 && text.length <= 600;
}

describe('the address (fuzz)', () => {
  test('parseUrlState never throws, yields a valid state, and raises a notice for every bad part', () => {
    let bad = 0;
    fc.assert(
      fc.property(urlCaseArb, (c) => {
        const { state, notices } = parseUrlState(c.search, c.hash);
        expectValidState(state);
        const ids = notices.map((n) => n.id);
        for (const id of c.expectNotices) expect(ids, `${c.search}${c.hash.slice(0, 80)}`).toContain(id);
        if (c.expectNotices.length === 0) expect(ids).toEqual([]);
        else bad++;
        expect(new Set(ids).size).toBe(ids.length);
        for (const n of notices) expect(clearNotice(n.text), JSON.stringify(n.text.slice(0, 200))).toBe(true);
      }),
      { numRuns: 3000 },
    );
    expect(bad).toBeGreaterThan(1000);
  });

  test('any raw string as search and hash: no throw, a valid state', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'binary', maxLength: 300 }),
        fc.string({ unit: 'binary', maxLength: 300 }),
        (search, hash) => {
          expectValidState(parseUrlState(search, hash).state);
        },
      ),
      { numRuns: 2000 },
    );
  });

  test('every valid state written to the address reads back the same, with no notice', () => {
    const stateArb = fc.record({
      builtin: fc.boolean(),
      id: fc.constantFrom(...BUILTIN_IDS),
      user: validScenarioArb(),
      era: eraArb,
      step: fc.nat({ max: URL_LIMITS.step }),
      schedule: fc.array(fc.stringMatching(THREAD), { maxLength: 20 }),
      theme: fc.constantFrom(...THEMES),
    });
    fc.assert(
      fc.property(stateArb, (s) => {
        const json = JSON.stringify(s.user);
        const w = {
          scenario: s.builtin ? s.id : null,
          scenarioJson: s.builtin ? null : json,
          era: s.era,
          step: s.step,
          schedule: s.schedule,
          theme: s.theme,
        };
        const { search, hash } = serializeUrlState(w);
        const back = parseUrlState(search, hash);
        expect(back.notices).toEqual([]);
        expect(back.state).toEqual({
          scenario: w.scenario,
          scenarioJson: w.scenarioJson,
          era: s.era,
          step: s.step,
          schedule: s.schedule.length ? s.schedule : null,
          theme: s.theme === 'auto' ? null : s.theme, // `auto` is left out of the address
        });
      }),
      { numRuns: 1000 },
    );
  });

  test('the player starts from any address in a valid state, with the notices, and still steps', () => {
    fc.assert(
      fc.property(urlCaseArb, (c) => {
        const p = new PlayerDriver({ search: c.search, hash: c.hash });
        try {
          const ctx = p.ctx;
          // A valid, runnable moment.
          expect(validateScenario(ctx.scenario).ok).toBe(true);
          expect(ERA_IDS).toContain(ctx.era);
          const d = getRun(ctx.scenario, ctx.era, ctx.schedule);
          expect(ctx.total).toBe(d.total);
          expect(ctx.step >= 0 && ctx.step <= ctx.total).toBe(true);
          expect(d.total).toBeGreaterThan(0);
          // Every problem the parser saw is on the page, each with a clear text.
          const ids = ctx.notices.map((n) => n.id);
          for (const id of c.expectNotices) expect(ids).toContain(id);
          for (const n of ctx.notices)
            expect(clearNotice(n.text), JSON.stringify(n.text.slice(0, 200))).toBe(true);
          // A user scenario that validates is shown, unless it cannot run (then a notice says so).
          if (
            c.hashPart.userScenario &&
            !c.opensChapter &&
            c.expectNotices.every((id) => id !== 'hash' && id !== 'url-too-long')
          )
            expect(ctx.origin === 'user' || ids.includes('run-error')).toBe(true);
          if (
            c.hashPart.raw.startsWith('#scenario=') &&
            !c.opensChapter &&
            !c.expectNotices.includes('hash') &&
            ctx.origin !== 'user'
          )
            expect(ids.some((i) => i === 'hash-invalid' || i === 'run-error')).toBe(true);
          // Still usable: it steps forward (or back, at the end), and the address follows.
          const n = ctx.step;
          if (n < ctx.total) expect(p.send({ type: 'step.forward' }).ctx.step).toBe(n + 1);
          else expect(p.send({ type: 'step.back' }).ctx.step).toBe(n - 1);
          const again = parseUrlState(
            ...((u) =>
              [
                u.slice(0, u.indexOf('#') < 0 ? u.length : u.indexOf('#')),
                u.indexOf('#') < 0 ? '' : u.slice(u.indexOf('#')),
              ] as const)(p.url),
          );
          expect(again.notices).toEqual([]);
        } finally {
          p.stop();
        }
      }),
      { numRuns: 1200 },
    );
  });
});
