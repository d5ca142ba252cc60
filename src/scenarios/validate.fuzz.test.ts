/**
 * Fuzzing scenario files (issue 6): thousands of generated texts (valid
 * scenarios, near misses of valid ones, random JSON, text that is not JSON)
 * through parseScenarioText. It never throws; a rejection always has
 * messages that each begin with the path of a field ("steps[2].device: …");
 * an accepted scenario runs in the model, in every era, without an exception,
 * and its trace and views are what the page and the CLI show.
 */
import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import {
  ERA_IDS,
  ScheduleError,
  describeState,
  describeStep,
  runScenario,
  type Scenario,
} from '../model/index.ts';
import { exploreScenario } from '../explore/exploration.ts';
import { DEFAULT_ERA, fieldName, parseScenarioText, validateScenario } from './validate.ts';
import { resolveEra } from '../model/era.ts';
import { mutatedScenarioArb, scenarioTextArb, validScenarioArb } from '../testing/arbitraries.ts';

const TOP = [
  'schema',
  'id',
  'title',
  'era',
  'vms',
  'devices',
  'steps',
  'schedule',
  'description',
  'explain',
  'assume',
  'source',
];

function own(x: unknown): string[] {
  return typeof x === 'object' && x !== null && !Array.isArray(x) ? Object.keys(x) : [];
}

/** Every path a message about `data` may begin with (its fields, and the keys it actually has). */
export function fieldPaths(data: unknown): Set<string> {
  const out = new Set<string>(['scenario', 'not JSON', ...TOP, ...own(data).map(fieldName)]);
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return out;
  const d = data as Record<string, unknown>;
  for (const k of own(d.explain)) out.add(`explain.${fieldName(k)}`);
  for (const field of ['vms', 'assume', 'schedule', 'devices', 'steps']) {
    const arr = d[field];
    if (!Array.isArray(arr)) continue;
    arr.forEach((el, i) => {
      out.add(`${field}[${i}]`);
      for (const k of [
        'id',
        'driver',
        'group',
        'thread',
        'op',
        'vm',
        'device',
        'fail',
        ...own(el).map(fieldName),
      ])
        out.add(`${field}[${i}].${k}`);
    });
  }
  return out;
}

/** The longest path that `msg` begins with, followed by ": ", or null. */
export function pathOf(msg: string, paths: Set<string>): string | null {
  let best: string | null = null;
  for (const p of paths) if (msg.startsWith(`${p}: `) && (best === null || p.length > best.length)) best = p;
  return best;
}

/**
 * A clear message: one line, printable (no control or line-separator
 * characters, which would also let a file write escape sequences to the
 * terminal through the CLI), and short enough to read.
 */
export function isClear(msg: string): boolean {
  // eslint-disable-next-line no-control-regex -- control characters are what this looks for
  return msg.length <= 400 && !/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/.test(msg);
}

function tryParse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** What the page and the CLI do with an accepted scenario, in every era. */
function exercise(sc: Scenario): void {
  for (const era of ERA_IDS) {
    let r;
    try {
      r = runScenario(sc, { era, maxSteps: 20_000 });
    } catch (e) {
      // A schedule that cannot replay is bad input, reported as such; anything else is a bug.
      if (sc.schedule && e instanceof ScheduleError) continue;
      throw e;
    }
    expect(r.states.length).toBe(r.records.length + 1);
    expect(r.trace.steps).toHaveLength(sc.steps.length);
    JSON.parse(JSON.stringify(r.trace));
    for (let i = 0; i < r.records.length; i++) describeStep(r.model, r.records[i]!, r.states[i + 1]!, i + 1);
    describeState(r.model, r.states[r.states.length - 1]!);
  }
}

describe('scenario files (fuzz)', () => {
  test('parseScenarioText never throws; each message names a field; accepted scenarios run in every era', () => {
    const seen = { ok: 0, bad: 0 };
    fc.assert(
      fc.property(scenarioTextArb, (text) => {
        const v = parseScenarioText(text);
        expect(Object.prototype).not.toHaveProperty('polluted');
        if (v.ok) {
          seen.ok++;
          // What was accepted is exactly what was given (nothing dropped, no other defaults smuggled
          // in), except what a user's own file may leave out: the id and the era (which may also be
          // given as a commit id: the scenario carries the era it names).
          const given = tryParse(text) as Record<string, unknown>;
          expect(v.scenario).toEqual({
            ...given,
            id: given.id ?? 'scenario',
            era: resolveEra(typeof given.era === 'string' ? given.era : DEFAULT_ERA),
          });
          exercise(v.scenario);
          return;
        }
        seen.bad++;
        expect(v.errors.length).toBeGreaterThan(0);
        expect(v.errors.length).toBeLessThanOrEqual(20);
        const paths = fieldPaths(tryParse(text));

        for (const e of v.errors) {
          expect(typeof e).toBe('string');
          expect(
            pathOf(e, paths),
            `message names a field: ${JSON.stringify(e.slice(0, 200))}`,
          ).not.toBeNull();
          expect(isClear(e), `a clear message: ${JSON.stringify(e.slice(0, 200))}`).toBe(true);
        }
      }),
      { numRuns: 2500 },
    );
    // Both sides were exercised (the generator is not stuck on one).
    expect(seen.ok).toBeGreaterThan(300);
    expect(seen.bad).toBeGreaterThan(1000);
    // Each accepted scenario runs in all twelve eras: on a shared 2-core machine this takes
    // more than the default 30 s; the limit is a guard against a hang, not a speed test.
  }, 180_000);

  test('the same through validateScenario on values (no text): never throws, same verdict as the text', () => {
    fc.assert(
      fc.property(mutatedScenarioArb, (x) => {
        const direct = validateScenario(x);
        const text = JSON.stringify(x) ?? '';
        fc.pre(text.length <= 1_000_000); // a bigger text is refused for its size alone
        const viaText = parseScenarioText(text);
        expect(direct.ok).toBe(x === undefined ? false : viaText.ok);
        if (!direct.ok && x !== undefined && !viaText.ok) expect(direct.errors).toEqual(viaText.errors);
      }),
      { numRuns: 1500 },
    );
  });

  test('messages never repeat unknown keys or non-JSON text raw (found by this fuzzing: huge keys, control characters)', () => {
    const base = {
      schema: 'vfio-kvm-scenario/1',
      id: 'x',
      title: 'x',
      era: 'after',
      vms: ['K'],
      devices: [{ id: 'D', driver: 'gvt', group: 'G' }],
    };
    const huge = 'k'.repeat(100_000);
    for (const text of [
      JSON.stringify({ ...base, steps: [{ thread: 'Q', op: 'run_work', [huge]: 1 }] }),
      JSON.stringify({ ...base, steps: [{ thread: 'Q', op: 'run_work' }], 'x\u001b[31mred\nsecond line': 1 }),
      '{"a":\u0001\n\u001b[2J}',
      JSON.stringify({ ...base, era: 'after\u009b2J\u2028' }),
    ]) {
      const v = parseScenarioText(text);
      expect(v.ok).toBe(false);
      if (!v.ok) for (const e of v.errors) expect(isClear(e), JSON.stringify(e.slice(0, 80))).toBe(true);
    }
  });

  test('accepted scenarios explore (bounded) without a model error', () => {
    fc.assert(
      fc.property(validScenarioArb({ maxSteps: 6 }), fc.constantFrom(...ERA_IDS), (sc, era) => {
        expect(validateScenario(sc).ok).toBe(true);
        const x = exploreScenario(sc, { era, maxStates: 3000, maxMs: 500 });
        expect(x.error, 'no model exception inside a transition').toBeUndefined();
        if (!x.complete) expect(x.reason).toMatch(/bound reached/);
      }),
      { numRuns: 300 },
    );
  });
});
