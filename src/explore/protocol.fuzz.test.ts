/**
 * Fuzzing the explorer worker's messages (issue 6): thousands of generated
 * payloads (anything structured-cloneable, and near misses of good requests)
 * through parseToWorker, judged by an oracle written from the protocol's
 * documentation, and through the worker service: a bad request is answered
 * with one `error` message (bad-request, or bad-scenario for a scenario that
 * does not validate), never acted on, never thrown.
 */
import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { ERA_IDS } from '../model/index.ts';
import { validateScenario } from '../scenarios/validate.ts';
import { parseFromWorker, parseToWorker, REQUEST_LIMITS, type FromWorker } from './protocol.ts';
import { createExploreService } from './service.ts';
import {
  goodWorkerRequestArb,
  mutatedScenarioArb,
  workerRequestNearMissArb,
} from '../testing/arbitraries.ts';

/** What protocol.ts says a page → worker message must be (independent of its code). */
function oracle(x: unknown): { ok: boolean; id: number | null } {
  if (typeof x !== 'object' || x === null || Array.isArray(x)) return { ok: false, id: null };
  const m = x as Record<string, unknown>;
  const id = typeof m.id === 'number' && Number.isSafeInteger(m.id) && m.id >= 0 ? m.id : null;
  if (id === null) return { ok: false, id: null };
  const keys = Object.keys(m);
  if (m.type === 'cancel') return { ok: keys.every((k) => k === 'type' || k === 'id'), id };
  if (m.type !== 'explore') return { ok: false, id };
  const allowed = ['type', 'id', 'scenario', 'era', 'maxStates', 'maxMs'];
  if (!keys.every((k) => allowed.includes(k)) || !('scenario' in m)) return { ok: false, id };
  if (m.era !== undefined && !(ERA_IDS as readonly unknown[]).includes(m.era)) return { ok: false, id };
  for (const k of ['maxStates', 'maxMs'] as const) {
    const v = m[k];
    if (
      v !== undefined &&
      !(typeof v === 'number' && Number.isSafeInteger(v) && v >= 1 && v <= REQUEST_LIMITS[k])
    )
      return { ok: false, id };
  }
  return { ok: true, id };
}

const anyMessage = fc.oneof(goodWorkerRequestArb, workerRequestNearMissArb);

describe('explorer worker messages (fuzz)', () => {
  test('parseToWorker never throws and agrees with the protocol, field by field', () => {
    let rejected = 0;
    fc.assert(
      fc.property(anyMessage, (x) => {
        const p = parseToWorker(x);
        const want = oracle(x);
        expect(
          p.ok,
          JSON.stringify(x, (_k, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v))?.slice(0, 300),
        ).toBe(want.ok);
        if (!p.ok) {
          rejected++;
          expect(p.id).toBe(want.id);
          expect(p.error.length).toBeGreaterThan(0);
          expect(p.error.length).toBeLessThanOrEqual(200);
          return;
        }
        const m = x as Record<string, unknown>;
        // The parsed message carries exactly the known fields, with their values.
        expect(p.msg.type).toBe(m.type);
        expect(p.msg.id).toBe(m.id);
        if (p.msg.type === 'explore') {
          expect(p.msg.scenario).toBe(m.scenario);
          for (const k of ['era', 'maxStates', 'maxMs'] as const) expect(p.msg[k]).toBe(m[k]);
        } else expect(Object.keys(p.msg).sort()).toEqual(['id', 'type']);
      }),
      { numRuns: 5000 },
    );
    expect(rejected).toBeGreaterThan(2000);
  });

  test('a field whose toString is not a function (or throws) gets an error message, not an exception', () => {
    // The counterexample fast-check found: String() of the array ran its element's toString, which is "".
    const hostile: unknown[] = [
      [{ toString: '' }],
      { toString: '' },
      {
        toString() {
          throw new Error('no');
        },
      },
      { [Symbol.toPrimitive]: 1 },
    ];
    for (const type of hostile) {
      const p = parseToWorker({ type, id: 0 });
      expect(p.ok).toBe(false);
      if (!p.ok) expect(p.error).toMatch(/^type: expected "explore" or "cancel", got an? (array|object)$/);
      const posted: FromWorker[] = [];
      createExploreService((m) => posted.push(m), { now: () => 0, sliceMs: 0 }).handle({ type, id: 0 });
      expect(posted).toMatchObject([{ type: 'error', code: 'bad-request', id: 0 }]);
    }
  });

  test('the service answers every bad request with exactly one error message, synchronously, and starts nothing', async () => {
    const bad = fc.oneof(
      workerRequestNearMissArb.filter((x) => !oracle(x).ok),
      // A good envelope around a scenario that does not validate.
      fc
        .tuple(
          fc.nat(),
          mutatedScenarioArb.filter((s) => !validateScenario(s).ok),
        )
        .map(([id, scenario]) => ({ type: 'explore', id, scenario })),
    );
    await fc.assert(
      fc.asyncProperty(bad, async (x) => {
        const posted: FromWorker[] = [];
        const svc = createExploreService((m) => posted.push(m), { now: () => 0, sliceMs: 0 });
        expect(() => svc.handle(x)).not.toThrow();
        expect(posted).toHaveLength(1);
        const e = posted[0]!;
        expect(e.type).toBe('error');
        if (e.type !== 'error') return;
        const envelopeOk = oracle(x).ok;
        expect(e.code).toBe(envelopeOk ? 'bad-scenario' : 'bad-request');
        expect(e.id).toBe(oracle(x).id);
        expect(e.message.length).toBeGreaterThan(0);
        if (e.code === 'bad-scenario') expect(e.errors?.length).toBeGreaterThan(0);
        await new Promise((r) => setImmediate(r));
        expect(svc.running).toBe(0);
        expect(posted).toHaveLength(1);
        // What the worker posts is what the page accepts.
        expect(parseFromWorker(structuredClone(e)).ok).toBe(true);
      }),
      { numRuns: 3000 },
    );
  });

  test('good requests with small bounds end in one result (or a bounded stop), never an internal error', async () => {
    const small = goodWorkerRequestArb
      .filter((m) => m.type === 'explore')
      .map((m) => ({
        ...m,
        maxStates: Math.min(Number(m.maxStates ?? 400), 400),
        maxMs: Math.min(Number(m.maxMs ?? 200), 200),
      }));
    await fc.assert(
      fc.asyncProperty(small, async (x) => {
        const posted: FromWorker[] = [];
        const svc = createExploreService((m) => posted.push(structuredClone(m)), { sliceMs: 5 });
        svc.handle(x);
        for (let i = 0; i < 100_000 && svc.running > 0; i++) await new Promise((r) => setImmediate(r));
        const last = posted[posted.length - 1]!;
        expect(last.type, JSON.stringify(last).slice(0, 300)).toBe('result');
        if (last.type === 'result') expect(last.exploration.error).toBeUndefined();
        for (const m of posted) expect(parseFromWorker(m).ok).toBe(true);
      }),
      { numRuns: 150 },
    );
  });

  test('parseFromWorker never throws on anything', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.anything({ withNullPrototype: true, withMap: true, withBigInt: true }),
          workerRequestNearMissArb,
        ),
        (x) => {
          const p = parseFromWorker(x);
          if (!p.ok) expect(typeof p.error).toBe('string');
        },
      ),
      { numRuns: 3000 },
    );
  });
});
