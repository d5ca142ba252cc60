/**
 * The generators of ./arbitraries.ts say what they make (valid or not, which
 * notice): check that they are right, so that the fuzz tests that trust
 * them (and the embed/element tests to come) judge inputs correctly.
 */
import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { validateScenario } from '../scenarios/validate.ts';
import { parseUrlState, URL_LIMITS } from '../view/url.ts';
import { parseHostMessage } from '../view/embed/messages.ts';
import {
  elementAttributesArb,
  embedMessageArb,
  mutatedScenarioArb,
  setOwn,
  cloneJson,
  urlCaseArb,
  validScenarioArb,
} from './arbitraries.ts';

describe('the fuzz generators', () => {
  test('validScenarioArb only makes scenarios the validator accepts', () => {
    fc.assert(
      fc.property(validScenarioArb({ withSchedule: true, maxSteps: 20 }), (s) => {
        const v = validateScenario(cloneJson(s));
        expect(v.ok ? [] : v.errors).toEqual([]);
      }),
      { numRuns: 500 },
    );
  });

  test('mutatedScenarioArb makes mostly bad scenarios, and some that still pass', () => {
    let ok = 0;
    let bad = 0;
    fc.assert(
      fc.property(mutatedScenarioArb, (x) => {
        if (validateScenario(x).ok) ok++;
        else bad++;
      }),
      { numRuns: 1000, seed: 1 },
    );
    expect(bad).toBeGreaterThan(700);
    expect(ok).toBeGreaterThan(10);
  });

  test('setOwn and cloneJson keep "__proto__" as a key, never as a prototype', () => {
    const o: Record<string, unknown> = {};
    setOwn(o, '__proto__', { polluted: true });
    const c = cloneJson(o);
    expect(Object.keys(c)).toEqual(['__proto__']);
    expect(Object.getPrototypeOf(c)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  test('urlCaseArb: an address with no expected notice raises none, and each expected one is raised', () => {
    let clean = 0;
    for (const c of fc.sample(urlCaseArb, { numRuns: 2000, seed: 2 })) {
      const ids = parseUrlState(c.search, c.hash).notices.map((n) => n.id);
      for (const id of c.expectNotices) expect(ids).toContain(id);
      if (c.expectNotices.length === 0) {
        clean++;
        expect(ids).toEqual([]);
      }
    }
    expect(clean).toBeGreaterThan(100);
  });

  test('elementAttributesArb: the values it calls bad are the ones the address would refuse, and only those', () => {
    fc.assert(
      fc.property(elementAttributesArb, ({ attrs, bad }) => {
        for (const k of ['scenario', 'era', 'step', 'theme'])
          if (k in attrs && encodeURIComponent(attrs[k]!).length < URL_LIMITS.query - 20) {
            // (An attribute has no length limit of its own: only compare what fits in an address.)
            const ids = parseUrlState(`?${k}=${encodeURIComponent(attrs[k]!)}`, '').notices.map((n) => n.id);
            expect(ids.includes(k), `${k}=${JSON.stringify(attrs[k])}`).toBe(bad.includes(k));
          }
      }),
      { numRuns: 1000 },
    );
  });

  test('embedMessageArb: the messages it calls valid are the ones embed.html accepts, and only those', () => {
    let valid = 0;
    let invalid = 0;
    for (const m of fc.sample(embedMessageArb, { numRuns: 2000, seed: 3 })) {
      expect(parseHostMessage(m.data).ok, fc.stringify(m.data).slice(0, 200)).toBe(m.valid);
      if (m.valid) valid++;
      else invalid++;
    }
    expect(valid).toBeGreaterThan(300);
    expect(invalid).toBeGreaterThan(800);
  });
});
