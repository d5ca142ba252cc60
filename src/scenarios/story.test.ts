/**
 * The story's chapters against the model: each one runs, reaches its moment,
 * and shows there the outcome its sentences state.
 */
import { describe, expect, it } from 'vitest';
import { ERAS, ERA_IDS, VIOLATION_KINDS } from '../model/index.ts';
import { BUGS } from '../model/bugs.ts';
import { chapterRun } from '../view/player/story.ts';
import { violationsAt } from '../view/player/moves.ts';
import { activeThread } from '../view/player/selectors.ts';
import { BUILTIN_IDS } from './index.ts';
import { CHAPTER_IDS, FIRST_CHAPTER, STORY, chapterById, chapterIndex, isChapterId } from './story.ts';

describe('the story as data', () => {
  it('has ten chapters with permanent ids, in the order of the history', () => {
    // Ids are permanent (permalinks): this list only ever grows.
    expect(CHAPTER_IDS).toEqual([
      'notifier',
      'oops',
      'group-rwsem',
      'v1',
      'patch',
      'leak',
      'last-reference',
      'abba',
      'kvm-ref-lock',
      'v6.6',
    ]);
    expect(new Set(CHAPTER_IDS).size).toBe(CHAPTER_IDS.length);
    expect(FIRST_CHAPTER).toBe('notifier');
    expect(STORY.map((c) => c.era)).toEqual([
      'v5.18',
      'gvt-rework',
      'before',
      'v1',
      'after',
      'after',
      'after',
      'release-fix',
      'fixed',
      'v6.6',
    ]);
    // Never back in time.
    const orders = STORY.map((c) => ERAS[c.era].order);
    expect(orders).toEqual([...orders].sort((a, b) => a - b));
  });

  it('names only built-in scenarios, eras and violation kinds; ids are URL-safe', () => {
    for (const c of STORY) {
      expect(BUILTIN_IDS).toContain(c.scenario);
      expect(ERA_IDS).toContain(c.era);
      if (c.outcome !== 'clean') expect(VIOLATION_KINDS).toContain(c.outcome);
      if ('violation' in c.moment) expect(c.moment.violation).toBe(c.outcome);
      expect(c.id).toMatch(/^[a-z0-9][a-z0-9.-]*$/);
      // Two or three sentences.
      const sentences = c.text.split(/[.:”]\s+(?=[A-Z0-9“])/).length;
      expect(sentences, c.id).toBeGreaterThanOrEqual(2);
      expect(c.text.length, c.id).toBeLessThan(560);
    }
  });

  it('looks chapters up by id only', () => {
    expect(isChapterId('oops')).toBe(true);
    for (const bad of ['', 'OOPS', 'nope', '__proto__', 'constructor', 1, null, undefined])
      expect(isChapterId(bad)).toBe(false);
    expect(chapterById('abba')?.era).toBe('release-fix');
    expect(chapterById('toString')).toBeUndefined();
    expect(chapterIndex('v6.6')).toBe(9);
  });
});

describe('each chapter, run by the model, reaches its moment and its stated outcome', () => {
  for (const c of STORY) {
    it(`${c.id}: ${c.scenario} in ${c.era} → ${c.outcome}`, () => {
      const r = chapterRun(c.id);
      // The schedule replays as written (the page would cut it, with a notice, otherwise).
      if (c.schedule) expect(r.derived.prefix(c.schedule.length)).toEqual(c.schedule);
      expect(r.moment).toBeGreaterThan(0);
      expect(r.moment).toBeLessThanOrEqual(r.derived.total);
      const kinds = r.derived.run.violations.map((v) => v.kind);
      if (c.outcome === 'clean') {
        // A clean run: no violation anywhere in it, and the moment is the step the chapter names.
        expect(kinds).toEqual([]);
        expect('text' in c.moment && r.derived.stepView(r.moment).text).toContain(
          'text' in c.moment ? c.moment.text : '',
        );
      } else {
        // The violation shows exactly at the moment (the first of its kind), nothing worse before it.
        expect(violationsAt(r.derived, r.moment).map((v) => v.kind)).toContain(c.outcome);
        const earlier = r.derived.run.violations.filter((v) => v.step < r.moment);
        expect(earlier).toEqual([]);
      }
      // A few seconds of play from step 0 to the moment.
      expect(r.moment / r.speed).toBeLessThanOrEqual(5);
      expect(r.moment / r.speed).toBeGreaterThan(1);
    });
  }

  it('the oops and the clean teardown are the same step of the same scenario (chapters 1 and 2)', () => {
    const a = chapterRun('notifier');
    const b = chapterRun('oops');
    expect(b.moment).toBe(a.moment);
    expect(a.derived.stepView(a.moment).text).toContain('from K');
    expect(b.derived.stepView(b.moment).text).toContain('from NULL');
    expect(b.derived.stepView(b.moment).thread).toBe('W');
  });

  it('the deadlocks are the ones the sentences describe', () => {
    const self = chapterRun('last-reference');
    const v = violationsAt(self.derived, self.moment).find((x) => x.kind === 'deadlock')!;
    expect(v.detail).toContain('which it holds itself');
    expect(self.derived.stepView(self.moment).text).toContain('group_rwsem (write)');
    const abba = chapterRun('abba');
    const threads = violationsAt(abba.derived, abba.moment).map((x) => x.thread);
    expect(new Set(threads)).toEqual(new Set(['Q', 'X']));
    const view = abba.derived.view(abba.moment);
    const blocked = view.threads.filter((t) => t.status === 'blocked').map((t) => `${t.id} on ${t.reason}`);
    expect(blocked.join('; ')).toMatch(/Q on .*K->lock/);
    expect(blocked.join('; ')).toMatch(/X on .*group_lock/);
  });

  it('the same interleaving runs clean in fixed, and the moment is X taking kvm_ref_lock while Q holds group_lock', () => {
    const f = chapterRun('kvm-ref-lock');
    expect(f.derived.stepView(f.moment).thread).toBe('X');
    const q = f.derived.view(f.moment).threads.find((t) => t.id === 'Q')!;
    expect(JSON.stringify(q)).toContain('group_lock');
  });

  it("each chapter's outcome agrees with the table of bugs per era", () => {
    for (const c of STORY) {
      const bugs = BUGS.filter((b) => b.scenarios.includes(c.scenario));
      if (c.outcome === 'clean') continue;
      expect(
        bugs.some((b) => b.kind === c.outcome && b.reachable[c.era]),
        `${c.id}: a bug of kind ${c.outcome} reachable in ${c.era} for ${c.scenario}`,
      ).toBe(true);
    }
    // The bugs the clean chapters leave behind are gone in their eras.
    expect(BUGS.find((b) => b.id === 'A')!.reachable.after).toBeUndefined();
    expect(BUGS.find((b) => b.id === 'E')!.reachable.fixed).toBeUndefined();
    expect(BUGS.find((b) => b.id === 'G')!.reachable['v6.6']).toBeUndefined();
    expect(BUGS.find((b) => b.id === 'D')!.reachable['release-fix']).toBeUndefined();
  });

  it('at a violation moment, the page opens the call stack of the thread that crashed or is stuck', () => {
    for (const c of STORY.filter((x) => x.outcome !== 'clean')) {
      const r = chapterRun(c.id);
      const named = violationsAt(r.derived, r.moment).map((v) => v.thread);
      expect(named, c.id).toContain(activeThread(r.derived, r.moment));
    }
  });
});
