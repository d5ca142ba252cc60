import { describe, expect, it } from 'vitest';
import { builtin } from '../../scenarios/index.ts';
import { PlayerDriver } from './driver.ts';
import { getRun } from './runs.ts';
import {
  explorerState,
  isComparing,
  isFastPlaying,
  isPlaying,
  isScheduler,
  narration,
  opStates,
  runShown,
} from './selectors.ts';

describe('selectors', () => {
  it('opStates follows the ops through a run with a blocked and a crashed thread', () => {
    const d = getRun(builtin('del-while-open')!, 'before', []);
    expect(opStates(d, 0).every((s) => s.state === 'pending')).toBe(true);
    const end = opStates(d, d.total);
    expect(end.map((s) => s.state)).toEqual(['done', 'done', 'done', 'crashed', 'done']);
    const dl = getRun(builtin('last-ref-deadlock')!, 'after', []);
    const last = opStates(dl, dl.total);
    expect(last[last.length - 1]).toMatchObject({ state: 'blocked' });
  });

  it('narration at step 0 says what to do; after that it is the model sentence', () => {
    const p = new PlayerDriver({ search: '?scenario=happy-path&era=after' });
    expect(narration(p.ctx)).toMatch(
      /^Step 0 of \d+: nothing has run yet \(era after; threads Q\)\. Press Play/,
    );
    p.send({ type: 'step.forward' });
    expect(narration(p.ctx)).toBe(p.run.stepView(1).text);
  });

  it('the region selectors read what snapshot.matches says, in every region, as the player moves', () => {
    const p = new PlayerDriver({ search: '?scenario=del-while-open&era=before' });
    const check = () => {
      const s = p.snapshot;
      expect(isPlaying(s)).toBe(s.matches({ playback: 'playing' }));
      expect(isScheduler(s)).toBe(s.matches({ mode: 'scheduler' }));
      expect(isComparing(s)).toBe(s.matches({ compare: 'on' }));
      expect(s.matches({ explorer: explorerState(s) })).toBe(true);
      expect(isFastPlaying(s)).toBe(isPlaying(s) && p.ctx.speed > 16);
    };
    const seen = new Set<string>();
    const events = [
      { type: 'play' },
      { type: 'speed', speed: 60 },
      { type: 'pause' },
      { type: 'scheduler.on' },
      { type: 'compare.open' },
      { type: 'toggle' },
      { type: 'speed', speed: 16 },
      { type: 'compare.close' },
      { type: 'scheduler.off' },
      { type: 'pause' },
    ] as const;
    check();
    for (const e of events) {
      p.send(e as Parameters<PlayerDriver['send']>[0]);
      p.advance(40);
      check();
      seen.add(JSON.stringify(p.snapshot.value));
    }
    // The sequence went through both states of playback, mode and compare.
    expect([...seen].some((v) => v.includes('"playback":"playing"'))).toBe(true);
    expect([...seen].some((v) => v.includes('"mode":"scheduler"'))).toBe(true);
    expect([...seen].some((v) => v.includes('"compare":"on"'))).toBe(true);
    expect([...seen].some((v) => v.includes('"playback":"paused"'))).toBe(true);
  });

  it('runShown is the run of the snapshot, the same object while only the step moves', () => {
    const p = new PlayerDriver({ search: '?scenario=del-while-open&era=before' });
    const first = runShown(p.snapshot);
    expect(first).toBe(getRun(p.ctx.scenario, 'before', p.ctx.schedule));
    p.send({ type: 'step.forward' }).send({ type: 'step.forward' });
    expect(runShown(p.snapshot)).toBe(first);
    p.send({ type: 'era.select', era: 'after' });
    const after = runShown(p.snapshot);
    expect(after).not.toBe(first);
    expect(after).toBe(getRun(p.ctx.scenario, 'after', p.ctx.schedule));
    expect(p.ctx.era).toBe('after');
  });
});
