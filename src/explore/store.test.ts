import { expect, test } from 'vitest';
import fc from 'fast-check';
import { StateStore } from './store.ts';

test('numbers vectors in insertion order; a repeat gets its number back', () => {
  const s = new StateStore(3);
  expect(s.add(Int32Array.of(1, 2, 3))).toBe(-1); // new: number 0
  expect(s.add(Int32Array.of(3, 2, 1))).toBe(-2); // new: number 1
  expect(s.add(Int32Array.of(1, 2, 3))).toBe(0);
  expect(s.add(Int32Array.of(3, 2, 1))).toBe(1);
  expect(s.size).toBe(2);
  const out = new Int32Array(3);
  s.get(1, out);
  expect([...out]).toEqual([3, 2, 1]);
});

test('behaves as a set of vectors through growth and rehashing (any values, including negatives)', () => {
  fc.assert(
    fc.property(
      fc.array(fc.array(fc.integer({ min: -5, max: 5 }), { minLength: 4, maxLength: 4 }), {
        maxLength: 3000,
      }),
      (vs) => {
        const s = new StateStore(4);
        const ref = new Map<string, number>();
        for (const v of vs) {
          const r = s.add(Int32Array.from(v));
          const k = v.join(',');
          const known = ref.get(k);
          if (known === undefined) {
            expect(r).toBe(-1 - ref.size);
            ref.set(k, ref.size);
          } else expect(r).toBe(known);
        }
        expect(s.size).toBe(ref.size);
        const out = new Int32Array(4);
        for (const [k, id] of ref) {
          s.get(id, out);
          expect([...out].join(',')).toBe(k);
        }
      },
    ),
    { numRuns: 50 },
  );
});

test('many distinct vectors', () => {
  const s = new StateStore(2);
  for (let i = 0; i < 100_000; i++) expect(s.add(Int32Array.of(i % 317, Math.floor(i / 317)))).toBe(-1 - i);
  for (let i = 0; i < 100_000; i += 997) expect(s.add(Int32Array.of(i % 317, Math.floor(i / 317)))).toBe(i);
});
