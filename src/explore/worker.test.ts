import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { builtin } from '../scenarios/index.ts';
import { ExploreClient, ExploreError, type WorkerLike } from './client.ts';
import { exploreScenario } from './exploration.ts';
import { parseFromWorker, parseToWorker, type FromWorker, type ToWorker } from './protocol.ts';
import { createExploreService, type ServiceOptions } from './service.ts';

/** A fake clock that moves 100 ms per reading: every slice boundary is due a progress event. */
function fastClock(): ServiceOptions {
  let t = 0;
  return { now: () => (t += 100), sliceMs: 0 };
}

/** Run the service on a list of messages until it has nothing under way; collect what it posts. */
async function serve(
  msgs: unknown[],
  opts: ServiceOptions = {},
  during?: (posted: FromWorker[], handle: (m: unknown) => void) => void,
) {
  const posted: FromWorker[] = [];
  const svc = createExploreService((m) => {
    posted.push(structuredClone(m));
    during?.(posted, (x) => svc.handle(x));
  }, opts);
  for (const m of msgs) svc.handle(m);
  for (let i = 0; i < 100_000 && svc.running > 0; i++) await new Promise((r) => setImmediate(r));
  return posted;
}

describe('the worker service', () => {
  test('explores a scenario: progress at a bounded rate, then the result (structured-cloneable)', async () => {
    const sc = builtin('del-while-open')!;
    const posted = await serve([{ type: 'explore', id: 7, scenario: sc, era: 'before' }], fastClock());
    const progress = posted.filter((m) => m.type === 'progress');
    const last = posted[posted.length - 1]!;
    expect(progress.length).toBeGreaterThan(3);
    for (let i = 1; i < progress.length; i++)
      expect(progress[i]!.type === 'progress' && progress[i]!.states).toBeGreaterThanOrEqual(
        (progress[i - 1] as { states: number }).states,
      );
    expect(last.type).toBe('result');
    if (last.type !== 'result') return;
    expect(last.id).toBe(7);
    const direct = exploreScenario(sc, { era: 'before' });
    expect(last.exploration.states).toBe(direct.states);
    expect(last.exploration.violations.map((v) => [v.kind, v.schedule])).toEqual(
      direct.violations.map((v) => [v.kind, v.schedule]),
    );
  });

  test('progress is throttled: with a slow clock, no progress event at all', async () => {
    const posted = await serve(
      [{ type: 'explore', id: 1, scenario: builtin('del-while-open')!, era: 'before' }],
      { now: () => 0, sliceMs: 0 },
    );
    expect(posted.map((m) => m.type)).toEqual(['result']);
  });

  test.each([
    [null, null, /expected an object/],
    [[1, 2], null, /expected an object/],
    [{ type: 'explore', scenario: {} }, null, /id: expected a whole number/],
    [{ type: 'explore', id: -1, scenario: {} }, null, /id/],
    [{ type: 'launch', id: 3 }, 3, /type: expected "explore" or "cancel"/],
    [{ type: 'explore', id: 3 }, 3, /scenario: missing/],
    [{ type: 'explore', id: 3, scenario: {}, era: 'later' }, 3, /era: expected one of/],
    [{ type: 'explore', id: 3, scenario: {}, maxStates: 0 }, 3, /maxStates: expected a whole number from 1/],
    [{ type: 'explore', id: 3, scenario: {}, maxStates: 1e12 }, 3, /maxStates/],
    [{ type: 'explore', id: 3, scenario: {}, maxMs: 1.5 }, 3, /maxMs/],
    [{ type: 'explore', id: 3, scenario: {}, eval: 'x' }, 3, /unknown field "eval"/],
    [{ type: 'cancel', id: 3, extra: 1 }, 3, /unknown field/],
  ])('rejects %j', async (msg, id, error) => {
    const posted = await serve([msg]);
    expect(posted).toHaveLength(1);
    expect(posted[0]).toMatchObject({ type: 'error', id, code: 'bad-request' });
    expect((posted[0] as { message: string }).message).toMatch(error);
  });

  test('an invalid scenario: bad-scenario, with the validator messages', async () => {
    const bad = { ...builtin('happy-path')!, steps: [{ thread: 'Q', op: 'open_device', device: 'E' }] };
    const posted = await serve([{ type: 'explore', id: 2, scenario: bad }]);
    expect(posted).toHaveLength(1);
    expect(posted[0]).toMatchObject({ type: 'error', id: 2, code: 'bad-scenario' });
    expect((posted[0] as { errors: string[] }).errors.join('\n')).toMatch(
      /steps\[0\]\.device: unknown device "E"/,
    );
  });

  test('cancel stops a running exploration: error "cancelled", no result', async () => {
    let sent = false;
    const posted = await serve(
      [{ type: 'explore', id: 5, scenario: builtin('second-opener')!, era: 'before' }],
      fastClock(),
      (p, handle) => {
        if (!sent && p.some((m) => m.type === 'progress')) {
          sent = true;
          handle({ type: 'cancel', id: 5 });
        }
      },
    );
    expect(sent).toBe(true);
    expect(posted.some((m) => m.type === 'result')).toBe(false);
    expect(posted[posted.length - 1]).toMatchObject({ type: 'error', id: 5, code: 'cancelled' });
  });

  test('an id already running is refused; cancelling an unknown id is harmless', async () => {
    const sc = builtin('del-while-open')!;
    const posted = await serve([
      { type: 'explore', id: 1, scenario: sc },
      { type: 'explore', id: 1, scenario: sc },
      { type: 'cancel', id: 99 },
    ]);
    expect(posted.filter((m) => m.type === 'error')).toEqual([
      { type: 'error', id: 1, code: 'bad-request', message: 'id 1 is already running' },
    ]);
    expect(posted.filter((m) => m.type === 'result')).toHaveLength(1);
  });

  test('a bound ends the search with a result, complete: false', async () => {
    const posted = await serve([
      { type: 'explore', id: 4, scenario: builtin('second-opener')!, maxStates: 30 },
    ]);
    expect(posted[posted.length - 1]).toMatchObject({
      type: 'result',
      id: 4,
      exploration: { complete: false },
    });
  });

  test('never throws, whatever it is sent', async () => {
    const svc = createExploreService(() => {
      throw new Error('the page is gone');
    });
    fc.assert(
      fc.property(fc.anything(), (x) => {
        expect(() => svc.handle(x)).not.toThrow();
      }),
    );
    expect(() => svc.handle({ type: 'explore', id: 1, scenario: builtin('happy-path')! })).not.toThrow();
    for (let i = 0; i < 1000 && svc.running > 0; i++) await new Promise((r) => setImmediate(r));
    expect(svc.running).toBe(0);
  });
});

describe('protocol validation of worker messages', () => {
  test('accepts what the worker sends and nothing else', () => {
    expect(
      parseFromWorker({
        type: 'progress',
        id: 1,
        states: 1,
        transitions: 0,
        expanded: 0,
        depth: 0,
        ms: 0,
        kinds: [],
      }).ok,
    ).toBe(true);
    expect(
      parseFromWorker({
        type: 'progress',
        id: 1,
        states: -1,
        transitions: 0,
        expanded: 0,
        depth: 0,
        ms: 0,
        kinds: [],
      }).ok,
    ).toBe(false);
    expect(parseFromWorker({ type: 'result', id: 1, exploration: { schema: 'other' } }).ok).toBe(false);
    expect(parseFromWorker({ type: 'error', id: null, code: 'bad-request', message: 'x' }).ok).toBe(true);
    expect(parseFromWorker({ type: 'error', id: 1, code: 'nope', message: 'x' }).ok).toBe(false);
    expect(parseFromWorker('result').ok).toBe(false);
    const ok: ToWorker = { type: 'explore', id: 1, scenario: {}, era: 'after', maxStates: 10, maxMs: 10 };
    expect(parseToWorker(ok)).toEqual({ ok: true, msg: ok });
  });
});

/** The client wired to the service in-process, through structured clones, as a real worker would be. */
function fakeWorker(opts: ServiceOptions = {}) {
  const listeners = {
    message: new Set<(e: { data?: unknown }) => void>(),
    error: new Set<(e: { message?: string }) => void>(),
  };
  const deliver = (data: unknown) =>
    setImmediate(() => listeners.message.forEach((l) => l({ data: structuredClone(data) })));
  const svc = createExploreService(deliver, opts);
  const state = { terminated: false, sent: [] as ToWorker[] };
  const worker: WorkerLike = {
    postMessage: (m) => {
      state.sent.push(m);
      const copy = structuredClone(m);
      setImmediate(() => !state.terminated && svc.handle(copy));
    },
    addEventListener: (type, l) => void listeners[type].add(l),
    removeEventListener: (type, l) => void listeners[type].delete(l),
    terminate: () => void (state.terminated = true),
  };
  return {
    worker,
    state,
    deliver,
    fail: (message: string) => listeners.error.forEach((l) => l({ message })),
  };
}

describe('the client', () => {
  test('resolves with the exploration and reports progress', async () => {
    const w = fakeWorker(fastClock());
    const client = new ExploreClient(w.worker);
    const seen: number[] = [];
    const job = client.explore(
      { scenario: builtin('last-ref-deadlock')!, era: 'after' },
      { onProgress: (p) => seen.push(p.states) },
    );
    const x = await job.result;
    expect(x.complete).toBe(true);
    expect(x.violations.map((v) => v.kind)).toContain('deadlock');
    expect(seen.length).toBeGreaterThan(0);
    expect(w.state.sent[0]).toMatchObject({ type: 'explore', id: job.id, era: 'after' });
  });

  test('cancel() and AbortSignal reject with code "cancelled"', async () => {
    const client = new ExploreClient(fakeWorker(fastClock()).worker);
    const a = client.explore({ scenario: builtin('second-opener')!, era: 'before' });
    setImmediate(() => a.cancel());
    await expect(a.result).rejects.toMatchObject({ name: 'ExploreError', code: 'cancelled' });
    const ctl = new AbortController();
    const b = client.explore({ scenario: builtin('second-opener')!, era: 'before' }, { signal: ctl.signal });
    setImmediate(() => ctl.abort());
    await expect(b.result).rejects.toMatchObject({ code: 'cancelled' });
    ctl.abort();
    await expect(
      client.explore({ scenario: builtin('happy-path')! }, { signal: ctl.signal }).result,
    ).rejects.toMatchObject({ code: 'cancelled' });
  });

  test('a bad scenario rejects with the validator messages', async () => {
    const client = new ExploreClient(fakeWorker().worker);
    const err = await client.explore({ scenario: { schema: 'nope' } }).result.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ExploreError);
    expect((err as ExploreError).code).toBe('bad-scenario');
    expect((err as ExploreError).errors.length).toBeGreaterThan(0);
  });

  test('ignores messages that do not parse or belong to no job', async () => {
    const w = fakeWorker();
    const client = new ExploreClient(w.worker);
    const job = client.explore({ scenario: builtin('happy-path')! });
    w.deliver({ type: 'result', id: job.id, exploration: { schema: 'forged' } });
    w.deliver({ type: 'result', id: 999, exploration: null });
    w.deliver('garbage');
    const x = await job.result;
    expect(x.schema).toBe('vfio-kvm-exploration/1');
  });

  test('dispose() terminates the worker and rejects what is pending; a worker error rejects too', async () => {
    const w = fakeWorker(fastClock());
    const client = new ExploreClient(w.worker);
    const job = client.explore({ scenario: builtin('second-opener')!, era: 'before' });
    client.dispose();
    await expect(job.result).rejects.toMatchObject({ code: 'terminated' });
    expect(w.state.terminated).toBe(true);
    await expect(client.explore({ scenario: builtin('happy-path')! }).result).rejects.toMatchObject({
      code: 'terminated',
    });

    const w2 = fakeWorker(fastClock());
    const c2 = new ExploreClient(w2.worker);
    const j2 = c2.explore({ scenario: builtin('second-opener')!, era: 'before' });
    w2.fail('script error');
    await expect(j2.result).rejects.toMatchObject({ code: 'internal', message: /script error/ });
    c2.dispose();
  });
});
