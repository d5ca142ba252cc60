import { describe, expect, it } from 'vitest';
import { getShortestPaths } from '@xstate/graph';
import { createActor } from 'xstate';
import { describeState, runScenario, type EraId } from '../../model/index.ts';
import { BUILTINS, builtin } from '../../scenarios/index.ts';
import { encodeBase64Url, parseUrlState } from '../url.ts';
import { PlayerDriver } from './driver.ts';
import { playerMachine } from './machine.ts';
import type { Exploration, ExploreFn, ExploreProgress } from '../deps/explorer.ts';

describe('loading the URL', () => {
  it('no parameters: the default scenario at step 0 in its own era', () => {
    const d = new PlayerDriver();
    expect(d.ctx.scenario.id).toBe('del-while-open');
    expect(d.ctx.era).toBe('before');
    expect(d.ctx.step).toBe(0);
    expect(d.ctx.total).toBe(runScenario(builtin('del-while-open')!, { era: 'before' }).records.length);
    expect(d.ctx.notices).toEqual([]);
    expect(d.url).toBe('?scenario=del-while-open&era=before&step=0&v=1');
  });

  it('reopens the exact moment a URL names', () => {
    const d = new PlayerDriver({ search: '?scenario=last-ref-deadlock&era=after&step=20&theme=dark&v=1' });
    expect([d.ctx.scenario.id, d.ctx.era, d.ctx.step, d.ctx.theme]).toEqual([
      'last-ref-deadlock',
      'after',
      20,
      'dark',
    ]);
    const r = runScenario(builtin('last-ref-deadlock')!, { era: 'after' });
    expect(d.view).toEqual(describeState(r.model, r.states[20]!));
    expect(d.url).toBe('?scenario=last-ref-deadlock&era=after&step=20&theme=dark&v=1');
  });

  it('falls back, with a notice, on an unknown scenario, a step past the end and a schedule that cannot replay', () => {
    expect(new PlayerDriver({ search: '?scenario=nope' }).ctx.notices.map((n) => n.id)).toEqual(['scenario']);
    const past = new PlayerDriver({ search: '?scenario=happy-path&era=after&step=9999' });
    expect(past.ctx.step).toBe(past.ctx.total);
    expect(past.ctx.notices[0]!.text).toContain('past the end');
    // KV cannot move first in del-while-open? It can (its op is independent); X does not exist.
    const bad = new PlayerDriver({ search: '?scenario=del-while-open&era=after&schedule=Q,Q,Z,Q' });
    expect(bad.ctx.schedule).toEqual(['Q', 'Q']);
    expect(bad.ctx.notices[0]!.text).toContain('unknown thread "Z"');
  });

  it('loads a valid user scenario from the hash and rejects an invalid one with field-level errors', () => {
    const mine = { ...builtin('happy-path')!, id: 'mine', title: 'My own' };
    const ok = new PlayerDriver({ hash: '#scenario=' + encodeBase64Url(JSON.stringify(mine)) });
    expect(ok.ctx.origin).toBe('user');
    expect(ok.ctx.scenario.title).toBe('My own');
    expect(ok.url).toMatch(/^\?era=after&step=0&v=1#scenario=/);
    const bad = { ...mine, steps: [{ thread: 'Q', op: 'open_device', device: 'E' }] };
    const ko = new PlayerDriver({ hash: '#scenario=' + encodeBase64Url(JSON.stringify(bad)) });
    expect(ko.ctx.origin).toBe('builtin');
    expect(ko.ctx.notices[0]!.text).toContain('steps[0].device: unknown device "E"; devices are D');
  });

  it('notices from URL parsing are kept', () => {
    const p = parseUrlState('?era=nope', '');
    const a = createActor(playerMachine, { input: { url: p.state, notices: p.notices } }).start();
    expect(a.getSnapshot().context.notices.map((n) => n.id)).toEqual(['era']);
    a.send({ type: 'notice.dismiss', id: 'era' });
    expect(a.getSnapshot().context.notices).toEqual([]);
  });
});

describe('stepping', () => {
  it('forward, back, goto, reset and end stay within the run', () => {
    const d = new PlayerDriver({ search: '?scenario=happy-path&era=after' });
    d.send({ type: 'step.back' });
    expect(d.ctx.step).toBe(0);
    d.send({ type: 'step.forward' }).send({ type: 'step.forward' });
    expect(d.ctx.step).toBe(2);
    d.send({ type: 'goto', step: 1e9 });
    expect(d.ctx.step).toBe(d.ctx.total);
    d.send({ type: 'step.forward' });
    expect(d.ctx.step).toBe(d.ctx.total);
    d.send({ type: 'goto', step: Number.NaN });
    expect(d.ctx.step).toBe(d.ctx.total);
    d.send({ type: 'reset' });
    expect(d.ctx.step).toBe(0);
    d.send({ type: 'end' });
    expect(d.ctx.step).toBe(d.ctx.total);
  });

  it('narrates each step with the model sentence', () => {
    const d = new PlayerDriver({ search: '?scenario=del-while-open&era=after&step=13' });
    expect(d.narration).toBe('Q: vfio_device_open takes G.group_rwsem for read');
  });

  it('autoplay advances one micro-step per tick, stops at the end, and a user move pauses it', () => {
    const d = new PlayerDriver({ search: '?scenario=happy-path&era=after' });
    d.send({ type: 'speed', speed: 4 }).send({ type: 'play' });
    expect(d.playing).toBe(true);
    d.advance(250 * 3);
    expect(d.ctx.step).toBe(3);
    d.send({ type: 'step.back' });
    expect(d.playing).toBe(false);
    expect(d.ctx.step).toBe(2);
    d.send({ type: 'speed', speed: 60 }).send({ type: 'toggle' });
    d.advance(17 * (d.ctx.total + 5));
    expect(d.ctx.step).toBe(d.ctx.total);
    expect(d.playing).toBe(false);
    // Play at the end starts over.
    d.send({ type: 'play' });
    expect(d.ctx.step).toBe(0);
    expect(d.playing).toBe(true);
    d.send({ type: 'pause' });
    expect(d.playing).toBe(false);
  });

  it('ignores speeds that are not offered', () => {
    const d = new PlayerDriver();
    d.send({ type: 'speed', speed: 1234 });
    expect(d.ctx.speed).toBe(2);
  });
});

describe('scheduler mode', () => {
  it('offers only runnable threads, and each pick extends the exact schedule', () => {
    const d = new PlayerDriver({ search: '?scenario=last-ref-deadlock&era=after' });
    d.send({ type: 'thread.run', thread: 'X' });
    expect(d.ctx.step).toBe(0); // not in scheduler mode: ignored
    d.send({ type: 'scheduler.on' });
    expect(d.scheduler).toBe(true);
    // X goes first: closes the VM fds before Q has even added the group.
    d.send({ type: 'thread.run', thread: 'X' });
    expect(d.ctx.schedule).toEqual(['X']);
    expect(d.ctx.step).toBe(1);
    const m = runScenario(builtin('last-ref-deadlock')!, { era: 'after', schedule: ['X'] });
    expect(d.view).toEqual(describeState(m.model, m.states[1]!));
    expect(d.url).toContain('schedule=X');
  });

  it('refuses a thread that cannot move', () => {
    // last-ref-deadlock after: at the end Q waits on its own read lock.
    const d = new PlayerDriver({ search: '?scenario=last-ref-deadlock&era=after&step=9999' });
    d.send({ type: 'scheduler.on' });
    expect(d.run.runnableAt(d.ctx.step)).toEqual([]);
    const before = d.ctx;
    d.send({ type: 'thread.run', thread: 'Q' });
    expect(d.ctx).toBe(before);
  });

  it('picking the default next thread keeps the schedule', () => {
    const d = new PlayerDriver({ search: '?scenario=happy-path&era=after' });
    d.send({ type: 'scheduler.on' }).send({ type: 'thread.run', thread: 'Q' });
    expect(d.ctx.schedule).toEqual([]);
    expect(d.ctx.step).toBe(1);
  });

  it('schedule.clear goes back to the default order', () => {
    const d = new PlayerDriver({ search: '?scenario=del-while-open&era=after&schedule=KV' });
    expect(d.ctx.schedule).toEqual(['KV']);
    d.send({ type: 'schedule.clear' });
    expect(d.ctx.schedule).toEqual([]);
  });
});

describe('eras and side by side', () => {
  it('an era switch keeps the place (same op) and pauses autoplay', () => {
    const d = new PlayerDriver({ search: '?scenario=del-while-open&era=before&step=43' });
    d.send({ type: 'play' }).send({ type: 'era.select', era: 'after' });
    expect(d.playing).toBe(false);
    expect(d.ctx.era).toBe('after');
    // Step 43 of `before` is the end of KV's DEL; in `after` that op ends at 30.
    expect(d.ctx.step).toBe(30);
    expect(d.ctx.compareEra).toBe('before');
  });

  it('compare shows the other era at the aligned step and the first op that differs', () => {
    const d = new PlayerDriver({ search: '?scenario=del-while-open&era=before&step=43' });
    d.send({ type: 'compare.open' });
    expect(d.comparing).toBe(true);
    expect(d.ctx.compareEra).toBe('after');
    const c = d.compare;
    expect(c.aligned.step).toBe(30);
    expect(c.difference).toMatchObject({ op: 2, label: 'kvm_del_group(K, G)', stepA: 43, stepB: 30 });
    expect(c.difference!.items).toContainEqual({ what: "D's driver pointer", a: 'NULL', b: 'K' });
    d.send({ type: 'compare.era', era: 'before' }); // same as primary: refused
    expect(d.ctx.compareEra).toBe('after');
    d.send({ type: 'compare.era', era: 'fixed' }).send({ type: 'compare.close' });
    expect(d.comparing).toBe(false);
    expect(d.ctx.compareEra).toBe('fixed');
  });
});

function fakeExplorer(result: (era: EraId) => Exploration): {
  fn: ExploreFn;
  cancelled: number;
  progress: (p: ExploreProgress) => void;
  finish: () => void;
} {
  const h = {
    cancelled: 0,
    progress: (_: ExploreProgress) => {},
    finish: () => {},
    fn: ((_s, era, onProgress) => {
      let resolve!: (e: Exploration) => void;
      const promise = new Promise<Exploration>((r) => (resolve = r));
      h.progress = onProgress;
      h.finish = () => resolve(result(era));
      return { promise, cancel: () => void h.cancelled++ };
    }) as ExploreFn,
  };
  return h;
}

const tick = () => new Promise((r) => setTimeout(r, 0));

describe('explorer', () => {
  it('runs, reports progress, lists results; replay plays the schedule from step 0 and stops at the violation', async () => {
    const sc = builtin('last-ref-deadlock')!;
    const ref = runScenario(sc, { era: 'after' });
    const x = fakeExplorer((era) => ({
      schema: 'vfio-kvm-exploration/1',
      scenario: sc.id,
      era,
      complete: true,
      states: 10,
      transitions: 12,
      interleavings: 3,
      terminals: 2,
      depth: 32,
      ms: 1,
      sites: [],
      relaxed: [],
      violations: [
        {
          kind: 'deadlock',
          schedule: ref.records.map((r) => r.thread),
          trace: ref.trace,
          step: ref.records.length,
        },
      ],
    }));
    const d = new PlayerDriver({ search: '?scenario=last-ref-deadlock&era=after', explore: x.fn });
    d.send({ type: 'explore.start' });
    expect(d.explorer).toBe('running');
    await tick();
    x.progress({ states: 5, transitions: 6, expanded: 3, depth: 2, ms: 1, kinds: [] });
    expect(d.ctx.explore.progress?.states).toBe(5);
    x.finish();
    await tick();
    expect(d.explorer).toBe('done');
    const v = d.ctx.explore.result!.violations[0]!;
    d.send({ type: 'replay', schedule: v.schedule, step: v.step, kind: v.kind });
    expect(d.ctx.schedule).toEqual(v.schedule);
    expect(d.ctx.step).toBe(0);
    expect(d.playing).toBe(true);
    expect(d.url).toContain('&counterexample=deadlock');
    // It reaches the violation in about five seconds, and stops there.
    d.advance(6000);
    expect(d.playing).toBe(false);
    expect(d.ctx.step).toBe(ref.records.length);
    expect(d.view.threads.find((t) => t.id === 'Q')!.reason).toMatch(/^waits for G\.group_rwsem \(write\)/);
  });

  it('a scenario or era change cancels a running search and clears results', async () => {
    const x = fakeExplorer(() => {
      throw new Error('unused');
    });
    const d = new PlayerDriver({ explore: x.fn });
    d.send({ type: 'explore.start' });
    await tick();
    d.send({ type: 'era.select', era: 'after' });
    expect(d.explorer).toBe('idle');
    expect(x.cancelled).toBe(1);
    d.send({ type: 'explore.start' });
    await tick();
    d.send({ type: 'explore.cancel' });
    expect(x.cancelled).toBe(2);
    expect(d.explorer).toBe('idle');
  });

  it('a failing explorer lands in failed with the message', async () => {
    const d = new PlayerDriver({
      explore: () => ({ promise: Promise.reject(new Error('worker crashed')), cancel() {} }),
    });
    d.send({ type: 'explore.start' });
    await tick();
    await tick();
    expect(d.explorer).toBe('failed');
    expect(d.ctx.explore.error).toBe('worker crashed');
  });
});

describe('every built-in scenario in every era', () => {
  it("plays to the end, and the final view is the model's", () => {
    for (const sc of BUILTINS)
      for (const era of ['v5.18', 'before', 'after', 'fixed'] as const) {
        const d = new PlayerDriver({ search: `?scenario=${sc.id}&era=${era}` });
        d.send({ type: 'end' });
        const r = runScenario(sc, { era });
        expect(d.ctx.step).toBe(r.records.length);
        expect(d.view).toEqual(describeState(r.model, r.states[r.records.length]!));
      }
  });
});

describe('graph of the machine', () => {
  it('every state of every region is reachable by events the page sends', () => {
    const paths = getShortestPaths(playerMachine, {
      input: { url: parseUrlState('?scenario=happy-path&era=after', '').state },
      events: [
        { type: 'play' },
        { type: 'pause' },
        { type: 'scheduler.on' },
        { type: 'scheduler.off' },
        { type: 'compare.open' },
        { type: 'compare.close' },
        { type: 'explore.start' },
        { type: 'explore.cancel' },
      ],
      serializeState: (s) => JSON.stringify(s.value),
    });
    const values = new Set(paths.map((p) => JSON.stringify(p.state.value)));
    // 2 (playback) × 2 (mode) × 2 (compare) × 2 (explorer: idle, running) reachable by these events.
    expect(values.size).toBe(16);
  });
});
