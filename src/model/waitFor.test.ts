import { describe, expect, it } from 'vitest';
import { blockedChain, waitGraph, type Fate, type WaitLock } from './waitFor.ts';
import { compileModel, type Model } from './model.ts';
import { initialState, stateKey, type KState } from './state.ts';
import { canRun, deadlockChain, runnable, step, waitsFor } from './step.ts';
import { describeState } from './view.ts';
import { ERA_IDS } from './era.ts';
import { BUILTINS } from '../scenarios/index.ts';

const lock = (key: string, owners: string, waiters: string): WaitLock => {
  const entries = (s: string) =>
    s
      ? s.split(' ').map((x) => {
          const [thread, mode] = x.split(':') as [string, 'read' | 'write' | 'mutex'];
          return { thread, mode };
        })
      : [];
  return { key, owners: entries(owners), waiters: entries(waiters) };
};

describe('waitGraph', () => {
  it('a mutex waiter waits for the owner and for every waiter ahead of it', () => {
    const g = waitGraph([lock('m', 'A:mutex', 'B:mutex C:mutex')]);
    expect(g.waitsFor.get('B')).toEqual(['A']);
    expect(g.waitsFor.get('C')).toEqual(['A', 'B']);
    expect(g.edges.map((e) => `${e.from}>${e.to}:${e.why}`)).toEqual(['B>A:holds', 'C>A:holds', 'C>B:ahead']);
    expect(g.cycles).toEqual([]);
  });

  it('readers queued behind a reader do not wait for it; anyone behind a writer does', () => {
    const g = waitGraph([lock('r', 'W:write', 'R1:read R2:read X:write R3:read')]);
    expect(g.waitsFor.get('R2')).toEqual(['W']);
    expect(g.waitsFor.get('X')).toEqual(['W', 'R1', 'R2']);
    expect(g.waitsFor.get('R3')).toEqual(['W', 'X']);
  });

  it('a waiter that holds its own lock is a self-wait and a cycle of one', () => {
    const g = waitGraph([lock('lock:group_rwsem:G', 'Q:read', 'Q:write'), lock('d', 'Q:mutex', '')]);
    expect(g.selfWaits).toEqual([{ thread: 'Q', lock: 'lock:group_rwsem:G', held: 'read', wants: 'write' }]);
    expect(g.cycles).toEqual([['Q']]);
    expect([...g.deadlocked]).toEqual(['Q']);
  });

  it('ABBA: two threads each holding the lock the other wants', () => {
    const g = waitGraph([lock('A', 'T2:mutex', 'T1:mutex'), lock('B', 'T1:mutex', 'T2:mutex')]);
    expect(g.cycles).toEqual([['T1', 'T2']]);
    expect(g.selfWaits).toEqual([]);
  });

  it('a waiter behind a writer that waits for the waiter: a cycle through the queue', () => {
    const g = waitGraph([lock('G', 'Q:read', 'KV:write Q:read')]);
    expect(g.cycles.map((c) => c.join('>'))).toEqual(['KV>Q', 'Q']);
  });
});

describe('blockedChain', () => {
  const fates = (m: Record<string, Fate>) => (t: string) => m[t] ?? 'free';
  it('ends at a thread that never releases, or comes back to the start', () => {
    const g = new Map([
      ['A', ['B']],
      ['B', ['C']],
    ]);
    expect(blockedChain(g, 'A', fates({ B: 'stuck', C: 'never' }))).toEqual(['A', 'B', 'C']);
    expect(blockedChain(g, 'A', fates({ B: 'stuck', C: 'free' }))).toBeNull();
    expect(blockedChain(new Map([['Q', ['Q']]]), 'Q', fates({}))).toEqual(['Q', 'Q']);
  });
});

/** The model's own question, asked through the view: the analysis agrees with step.ts on every state. */
function agrees(m: Model, s: KState): void {
  const view = describeState(m, s);
  const g = waitGraph(view.locks.filter((l) => l.exists));
  const fate = (t: string): Fate => {
    const th = view.threads.find((x) => x.id === t)!;
    if (th.status === 'crashed' || th.status === 'done') return 'never';
    return th.status === 'blocked' && !th.runnable ? 'stuck' : 'free';
  };
  m.threads.forEach((t, i) => {
    expect(g.waitsFor.get(t.id) ?? []).toEqual(waitsFor(m, s, i));
    if (s.t[i]!.status === 'blocked' && !canRun(m, s, i))
      expect(blockedChain(g.waitsFor, t.id, fate)).toEqual(deadlockChain(m, s, i));
  });
}

describe('the model and the analysis agree', () => {
  it('on every state reached breadth-first from each built-in scenario in every era (bounded)', () => {
    let blocked = 0;
    for (const sc of BUILTINS)
      for (const era of ERA_IDS) {
        const m = compileModel(sc, era);
        const seen = new Set<string>();
        let frontier: KState[] = [initialState(m)];
        while (frontier.length && seen.size < 400) {
          const next: KState[] = [];
          for (const s of frontier) {
            const k = stateKey(s);
            if (seen.has(k)) continue;
            seen.add(k);
            agrees(m, s);
            blocked += s.t.filter((t) => t.status === 'blocked').length;
            for (const i of runnable(m, s)) next.push(step(m, s, i).state);
          }
          frontier = next;
        }
      }
    expect(blocked).toBeGreaterThan(100);
  }, 120_000); // 216 bounded searches
});
