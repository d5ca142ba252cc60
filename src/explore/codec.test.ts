import { expect, test } from 'vitest';
import { canRun, compileModel, scenarioThreads, type KState } from '../model/index.ts';
import { initialState, stateKey } from '../model/state.ts';
import { step } from '../model/step.ts';
import { BUILTINS } from '../scenarios/index.ts';
import { KernelCodec } from './codec.ts';

// Kernel states as vectors: one position per object slot, then one per thread; equal vectors exactly when
// the model's state keys are equal; decoding gives the same state back.

const sc = BUILTINS.find((s) => scenarioThreads(s).length >= 2)!;

test('widths: the object slots, then the threads', () => {
  const m = compileModel(sc, 'after');
  const c = new KernelCodec(m);
  expect(c.n).toBe(m.slotKeys.length);
  expect(c.threads).toBe(m.threads.length);
  expect(c.width).toBe(m.slotKeys.length + m.threads.length);
  expect(c.threads).toBeGreaterThan(1);
});

test('encode then decode: the same state; equal vectors exactly for equal state keys', () => {
  const m = compileModel(sc, 'after');
  const c = new KernelCodec(m);
  // every state on a walk where each thread in turn takes a micro-step while it can
  const states: KState[] = [initialState(m)];
  let s = states[0]!;
  for (let i = 0; i < 60; i++) {
    let moved = false;
    for (let t = 0; t < m.threads.length; t++)
      if (canRun(m, s, t)) {
        s = step(m, s, t).state;
        states.push(s);
        moved = true;
      }
    if (!moved) break;
  }
  expect(states.length).toBeGreaterThan(5);
  const vecs = states.map((st) => {
    const v = new Int32Array(c.width);
    c.encode(st, v);
    return v;
  });
  for (let i = 0; i < states.length; i++) {
    const back = c.decode(vecs[i]!);
    expect(stateKey(back)).toBe(stateKey(states[i]!));
    expect(back.o).toEqual(states[i]!.o);
    expect(back.t.map((t) => t.key)).toEqual(states[i]!.t.map((t) => t.key));
    for (let j = 0; j < states.length; j++)
      expect(vecs[i]!.join() === vecs[j]!.join()).toBe(stateKey(states[i]!) === stateKey(states[j]!));
  }
  // thread snapshot ids are dense, from 0, in order of first sight
  const threadIds = new Set(vecs.flatMap((v) => [...v.slice(c.n)]));
  expect([...threadIds].sort((a, b) => a - b)).toEqual([...Array(threadIds.size).keys()]);
  expect(vecs[0]!.slice(c.n)[0]).toBe(0);
});

test('an id it never gave out is refused, by name', () => {
  const m = compileModel(sc, 'after');
  const c = new KernelCodec(m);
  const v = new Int32Array(c.width);
  c.encode(initialState(m), v);
  expect(() => c.snap(-1)).toThrow('codec: unknown snapshot id -1');
  expect(() => c.thread(99)).toThrow('codec: unknown thread snapshot id 99');
  const bad = v.slice();
  bad[c.n] = 99;
  expect(() => c.decode(bad)).toThrow('codec: unknown thread snapshot id 99');
  expect(c.thread(v[c.n]!)).toBe(
    initialState(m).t[0]!.key === c.thread(v[c.n]!).key ? c.thread(v[c.n]!) : null,
  );
});
