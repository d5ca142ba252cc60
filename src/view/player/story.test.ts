/** The story in the player machine: chapters play to their moment, exploring leaves the story, and the reader comes back. */
import { describe, expect, it } from 'vitest';
import { STORY } from '../../scenarios/story.ts';
import { PlayerDriver } from './driver.ts';
import { chapterRun } from './story.ts';
import { violationsAt } from './moves.ts';

/** Let autoplay run until it stops (or `ms` of simulated time). */
function settle(d: PlayerDriver, ms = 20_000): PlayerDriver {
  for (let t = 0; t < ms && d.playing; t += 50) d.advance(50);
  return d;
}

describe('the front page opens the story', () => {
  it('at its first chapter, playing from step 0 to the moment in a few seconds, then stopping there', () => {
    const d = new PlayerDriver({ page: true });
    const first = chapterRun(STORY[0]!.id);
    expect(d.ctx.story).toEqual({ chapter: 'notifier', moment: first.moment, on: true });
    expect([d.ctx.scenario.id, d.ctx.era, d.ctx.step]).toEqual(['del-after-open', 'v5.18', 0]);
    expect(d.playing).toBe(true);
    expect(d.url).toBe('?chapter=notifier&v=1');
    d.advance(1000);
    expect(d.ctx.step).toBeGreaterThan(0);
    expect(d.ctx.step).toBeLessThan(first.moment);
    d.advance(4100);
    expect(d.playing).toBe(false);
    expect(d.ctx.step).toBe(first.moment);
    expect(d.ctx.story?.on).toBe(true);
    expect(d.url).toBe('?chapter=notifier&v=1');
    expect(d.ctx.notices).toEqual([]);
  });

  it('a v=1 link with no chapter opens as before', () => {
    const d = new PlayerDriver({ page: true, search: '?v=1' });
    expect(d.ctx.story).toBeNull();
    expect([d.ctx.scenario.id, d.ctx.era, d.ctx.step]).toEqual(['del-while-open', 'before', 0]);
    expect(d.playing).toBe(false);
  });
});

describe('chapters', () => {
  it('every permalink opens its chapter and plays to its moment, with its stated outcome', () => {
    for (const c of STORY) {
      const d = settle(new PlayerDriver({ search: `?chapter=${c.id}&v=1` }));
      const r = chapterRun(c.id);
      expect([d.ctx.scenario.id, d.ctx.era, d.ctx.step], c.id).toEqual([c.scenario, c.era, r.moment]);
      expect(d.ctx.schedule).toEqual(r.schedule);
      expect(d.ctx.notices).toEqual([]);
      const here = violationsAt(d.run, d.ctx.step).map((v) => v.kind);
      if (c.outcome === 'clean') expect(d.run.run.violations).toEqual([]);
      else {
        expect(here).toContain(c.outcome);
        // The alert announced it on the way.
        expect(d.ctx.announce?.violations.map((v) => v.kind)).toContain(c.outcome);
      }
      d.stop();
    }
  });

  it('Skip goes straight to the moment', () => {
    const d = new PlayerDriver({ search: '?chapter=abba' });
    expect(d.playing).toBe(true);
    d.send({ type: 'replay.skip' });
    expect(d.playing).toBe(false);
    expect(d.ctx.step).toBe(chapterRun('abba').moment);
    expect(d.ctx.story?.on).toBe(true);
    expect(violationsAt(d.run, d.ctx.step).map((v) => v.kind)).toContain('deadlock');
    expect(d.url).toBe('?chapter=abba&v=1');
  });

  it('stepping through all chapters in order (next chapter = chapter.open) reaches each moment', () => {
    const d = new PlayerDriver({ page: true });
    for (const c of STORY) {
      d.send({ type: 'chapter.open', id: c.id });
      expect(d.ctx.step, c.id).toBe(0);
      expect(d.playing, c.id).toBe(true);
      settle(d);
      expect(d.ctx.step, c.id).toBe(chapterRun(c.id).moment);
      expect(d.ctx.story).toMatchObject({ chapter: c.id, on: true });
      expect(d.url).toBe(`?chapter=${c.id}&v=1`);
    }
  });

  it('opening a chapter while another plays stops at the new moment', () => {
    const d = new PlayerDriver({ search: '?chapter=leak' });
    d.advance(500);
    expect(d.playing).toBe(true);
    d.send({ type: 'chapter.open', id: 'v1' });
    expect(d.ctx.step).toBe(0);
    settle(d);
    expect(d.ctx.step).toBe(chapterRun('v1').moment);
  });

  it('an unknown chapter sent by a view: a notice, nothing else changes', () => {
    const d = new PlayerDriver({ search: '?scenario=happy-path&era=after&step=3' });
    d.send({ type: 'chapter.open', id: 'nope' });
    expect(d.ctx.notices.map((n) => n.id)).toEqual(['chapter-run']);
    expect([d.ctx.scenario.id, d.ctx.step, d.ctx.story]).toEqual(['happy-path', 3, null]);
    expect(d.playing).toBe(false);
  });
});

describe('leaving the story and coming back', () => {
  const moves = [
    { type: 'step.forward' },
    { type: 'step.back' },
    { type: 'goto', step: 3 },
    { type: 'reset' },
    { type: 'end' },
    { type: 'era.select', era: 'after' },
    { type: 'scenario.select', id: 'happy-path' },
  ] as const;
  for (const m of moves)
    it(`${m.type} leaves the story; the address becomes the moment's; the chapter is kept`, () => {
      const d = new PlayerDriver({ search: '?chapter=oops' }).send({ type: 'replay.skip' });
      d.send(m);
      expect(d.ctx.story).toMatchObject({ chapter: 'oops', on: false });
      expect(d.url).toMatch(/^\?scenario=/);
      d.send({ type: 'chapter.open', id: 'oops' });
      expect(d.ctx.story).toMatchObject({ chapter: 'oops', on: true });
      expect([d.ctx.scenario.id, d.ctx.era, d.ctx.step]).toEqual(['del-after-open', 'gvt-rework', 0]);
      expect(d.url).toBe('?chapter=oops&v=1');
    });

  it('running a thread in scheduler mode leaves the story', () => {
    const d = new PlayerDriver({ search: '?chapter=v1' }).send({ type: 'replay.skip' });
    d.send({ type: 'scheduler.on' });
    const t = d.run.runnableAt(d.ctx.step)[0]!;
    d.send({ type: 'thread.run', thread: t });
    expect(d.ctx.story?.on).toBe(false);
  });

  it('pause keeps the story; play goes on to the moment; play at the moment explores on', () => {
    const d = new PlayerDriver({ search: '?chapter=patch' });
    const moment = chapterRun('patch').moment;
    d.advance(1000);
    d.send({ type: 'pause' });
    const at = d.ctx.step;
    expect(at).toBeGreaterThan(0);
    expect(at).toBeLessThan(moment);
    expect(d.ctx.story?.on).toBe(true);
    expect(d.url).toBe('?chapter=patch&v=1');
    d.send({ type: 'play' });
    settle(d);
    expect(d.ctx.step).toBe(moment);
    expect(d.ctx.story?.on).toBe(true);
    d.send({ type: 'play' });
    expect(d.ctx.story?.on).toBe(false);
    d.advance(500);
    expect(d.ctx.step).toBeGreaterThan(moment);
  });

  it('compare keeps the story and travels with the chapter', () => {
    const d = new PlayerDriver({ search: '?chapter=patch' }).send({ type: 'replay.skip' });
    d.send({ type: 'compare.open' });
    expect(d.ctx.story?.on).toBe(true);
    expect(d.url).toBe(`?chapter=patch&compare=${d.ctx.compareEra}&v=1`);
    const again = new PlayerDriver({ search: d.url });
    expect(again.comparing).toBe(true);
    expect(again.ctx.compareEra).toBe(d.ctx.compareEra);
  });
});
