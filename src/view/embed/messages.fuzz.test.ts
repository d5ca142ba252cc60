/**
 * postMessage payloads (issue 6): thousands of generated values, most of them
 * near misses of embed.html's commands, sent through the same judge embed.html
 * uses. It never throws, accepts exactly what the README's protocol table
 * allows (the oracle, isEmbedCommand, is written apart from messages.ts),
 * maps every accepted one onto a player event, and explains every refusal of
 * our namespace in one short printable line.
 */
import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { embedMessageArb, isEmbedCommand } from '../../testing/arbitraries.ts';
import { parseHostMessage, toPlayerEvent } from './messages.ts';

// eslint-disable-next-line no-control-regex -- control characters are what this looks for
const printable = (s: string) => s.length <= 200 && !/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/.test(s);

describe('postMessage payloads (fuzz)', () => {
  test('accepted exactly when the embed protocol allows; never throws; refusals of ours say why in one line', () => {
    let accepted = 0;
    let ours = 0;
    fc.assert(
      fc.property(embedMessageArb, ({ data, valid }) => {
        const r = parseHostMessage(data);
        expect(r.ok, fc.stringify(data).slice(0, 200)).toBe(valid);
        if (r.ok) {
          accepted++;
          expect(toPlayerEvent(r.message).type).toMatch(/^(step\.forward|step\.back|reset|goto|theme)$/);
        } else if (r.ours) {
          ours++;
          expect(printable(r.reason), JSON.stringify(r.reason)).toBe(true);
        }
      }),
      { numRuns: 5000 },
    );
    expect(accepted).toBeGreaterThan(500);
    expect(ours).toBeGreaterThan(1000);
  });

  test('anything at all (cyclic, exotic prototypes, getters that throw): never throws, same verdict as the oracle', () => {
    const hostile = fc.oneof(
      fc.anything({
        withBoxedValues: true,
        withMap: true,
        withSet: true,
        withNullPrototype: true,
        withBigInt: true,
        withDate: true,
        withTypedArray: true,
        withSparseArray: true,
      }),
      fc.constantFrom<unknown>(
        (() => {
          const o: Record<string, unknown> = { type: 'vfio-kvm-explorer:command', command: 'step' };
          o.self = o;
          return o;
        })(),
        Object.defineProperty({ type: 'vfio-kvm-explorer:command' }, 'command', {
          enumerable: true,
          get() {
            throw new Error('a getter that throws');
          },
        }),
        new Proxy(
          {},
          {
            ownKeys: () => {
              throw new Error('trap');
            },
          },
        ),
        Object.create({ type: 'vfio-kvm-explorer:command', command: 'step' }),
      ),
    );
    fc.assert(
      fc.property(hostile, (data) => {
        let r: ReturnType<typeof parseHostMessage> | undefined;
        expect(() => (r = parseHostMessage(data))).not.toThrow();
        let oracle: boolean;
        try {
          oracle = isEmbedCommand(data);
        } catch {
          oracle = false;
        }
        expect(r!.ok).toBe(oracle);
      }),
      { numRuns: 3000 },
    );
  });
});
