/**
 * Shareable moments: compare mode, a counterexample (and its replay) and the
 * violation alert, through the player as the page starts it (PlayerDriver).
 */
import { describe, expect, it } from 'vitest';
import { runScenario } from '../../model/index.ts';
import { builtin } from '../../scenarios/index.ts';
import { parseUrlState } from '../url.ts';
import { PlayerDriver } from './driver.ts';
import { alertViolations } from './moves.ts';
import { ALERT_MS } from './types.ts';

const split = (url: string) => {
  const i = url.indexOf('#');
  return i < 0 ? ([url, ''] as const) : ([url.slice(0, i), url.slice(i)] as const);
};

describe('compare=<era>', () => {
  it('opens side by side and round-trips through the address', () => {
    const d = new PlayerDriver({ search: '?scenario=del-while-open&era=before&compare=after&step=40&v=1' });
    expect(d.comparing).toBe(true);
    expect(d.ctx.compareEra).toBe('after');
    expect(d.url).toBe('?scenario=del-while-open&era=before&compare=after&step=40&v=1');
    d.send({ type: 'compare.era', era: 'fixed' });
    expect(d.url).toContain('compare=fixed');
    const again = new PlayerDriver({ search: split(d.url)[0] });
    expect([again.comparing, again.ctx.compareEra, again.ctx.step]).toEqual([true, 'fixed', 40]);
    d.send({ type: 'compare.close' });
    expect(d.url).toBe('?scenario=del-while-open&era=before&step=40&v=1');
  });

  it('a bad or useless compare gives a notice and one era', () => {
    const same = new PlayerDriver({ search: '?scenario=happy-path&era=after&compare=after' });
    expect(same.comparing).toBe(false);
    expect(same.ctx.notices.map((n) => n.id)).toEqual(['compare']);
    const bad = new PlayerDriver({ search: '?scenario=happy-path&compare=2019' });
    expect(bad.comparing).toBe(false);
    expect(bad.ctx.notices[0]!.text).toContain('compare="2019" is not an era');
    expect(bad.url).not.toContain('compare');
  });

  it('a v=1 link made before compare existed parses with no compare field at all', () => {
    expect(parseUrlState('?scenario=happy-path&era=after&step=3&v=1', '').state).not.toHaveProperty(
      'compare',
    );
  });
});

describe('counterexample=<kind>', () => {
  const sc = builtin('last-ref-deadlock')!;
  const ref = runScenario(sc, { era: 'after' });
  const schedule = ref.records.map((r) => r.thread).join(',');

  it('with no step, the link replays the counterexample from step 0 and stops at its violation', () => {
    const d = new PlayerDriver({
      search: `?scenario=last-ref-deadlock&era=after&schedule=${schedule}&counterexample=deadlock&v=1`,
    });
    expect(d.ctx.counterexample).toEqual({ kind: 'deadlock', step: ref.records.length });
    expect(d.ctx.step).toBe(0);
    expect(d.playing).toBe(true);
    d.advance(6000);
    expect(d.playing).toBe(false);
    expect(d.ctx.step).toBe(ref.records.length);
    expect(alertViolations(d.ctx, d.run).map((v) => v.kind)).toContain('deadlock');
    // The address now names the moment, and reopens it paused, with the counterexample.
    const again = new PlayerDriver({ search: split(d.url)[0] });
    expect([again.ctx.step, again.playing, again.ctx.counterexample?.kind]).toEqual([
      ref.records.length,
      false,
      'deadlock',
    ]);
  });

  it('the replay can be skipped; stepping by hand keeps the counterexample, the scheduler drops it', () => {
    const d = new PlayerDriver({
      search: `?scenario=last-ref-deadlock&era=after&schedule=${schedule}&counterexample=deadlock`,
    });
    d.advance(300);
    expect(d.playing).toBe(true);
    d.send({ type: 'replay.skip' });
    expect(d.playing).toBe(false);
    expect(d.ctx.step).toBe(ref.records.length);
    d.send({ type: 'step.back' });
    expect(d.ctx.counterexample?.kind).toBe('deadlock');
    d.send({ type: 'era.select', era: 'fixed' });
    expect(d.ctx.counterexample).toBeNull();
    expect(d.url).not.toContain('counterexample');
  });

  it('a kind the schedule does not reach, or no schedule, is a notice and a plain schedule', () => {
    const wrong = new PlayerDriver({
      search: `?scenario=last-ref-deadlock&era=after&schedule=${schedule}&counterexample=null-deref&step=3`,
    });
    expect(wrong.ctx.counterexample).toBeNull();
    expect(wrong.ctx.notices.map((n) => n.id)).toEqual(['counterexample']);
    expect(wrong.ctx.step).toBe(3);
    const none = new PlayerDriver({
      search: '?scenario=last-ref-deadlock&era=after&counterexample=deadlock',
    });
    expect(none.ctx.counterexample).toBeNull();
    expect(none.ctx.notices[0]!.text).toContain('needs the schedule=');
  });
});

describe('the violation alert announces each violation once', () => {
  const kinds = (d: PlayerDriver) => alertViolations(d.ctx, d.run).map((v) => v.kind);
  // The step at which del-while-open in era before dereferences NULL (GVT's release_work), from the model.
  const at = runScenario(builtin('del-while-open')!, { era: 'before' }).violations.find(
    (v) => v.kind === 'null-deref',
  )!.step;

  it('a permalink past the violation announces it, for a moment', () => {
    const d = new PlayerDriver({ search: `?scenario=del-while-open&era=before&step=${at + 5}` });
    expect(kinds(d)).toEqual(['null-deref']);
    d.advance(ALERT_MS + 10);
    expect(kinds(d)).toEqual([]);
  });

  it('"Go to step" past it, and a fast run of clicks over it, announce it; going on does not repeat it', () => {
    const d = new PlayerDriver({ search: '?scenario=del-while-open&era=before&step=10' });
    expect(kinds(d)).toEqual([]);
    d.send({ type: 'goto', step: at + 4 });
    expect(kinds(d)).toEqual(['null-deref']);
    const first = d.ctx.announce;
    d.send({ type: 'step.forward' });
    expect(kinds(d)).toEqual(['null-deref']);
    expect(d.ctx.announce?.fresh).toBe(false);
    expect(d.ctx.announce?.violations).toBe(first?.violations);
    d.advance(ALERT_MS + 10);
    expect(kinds(d)).toEqual([]);
    // Clicks from before it to past it, quicker than the alert's time.
    d.send({ type: 'goto', step: at - 1 });
    for (let i = 0; i < 5; i++) d.send({ type: 'step.forward' });
    expect(d.ctx.step).toBe(at + 4);
    expect(kinds(d)).toEqual(['null-deref']);
  });

  it('stepping onto it shows it for as long as it is the step shown; stepping back past it clears it', () => {
    const d = new PlayerDriver({ search: `?scenario=del-while-open&era=before&step=${at - 1}` });
    d.send({ type: 'step.forward' });
    expect(kinds(d)).toEqual(['null-deref']);
    d.advance(ALERT_MS * 2);
    expect(kinds(d)).toEqual(['null-deref']);
    d.send({ type: 'step.back' });
    expect(kinds(d)).toEqual([]);
  });

  it('the end-of-run checks are announced when a jump reaches the end', () => {
    const d = new PlayerDriver({ search: '?scenario=gvt-ref-leak&era=after' });
    d.send({ type: 'end' });
    expect(kinds(d)).toEqual(['refcount-leak']);
  });
});
