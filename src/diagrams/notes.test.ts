import { describe, expect, test } from 'vitest';
import { BUGS } from '../model/bugs.ts';
import { ERA_IDS } from '../model/era.ts';
import { inferredNotes } from './notes.ts';

describe('INFERRED footnotes come from the bug table', () => {
  test('a note exactly where a bug the scenario shows is inferred (Y*) in the era', () => {
    for (const bug of BUGS)
      for (const era of ERA_IDS)
        for (const id of bug.scenarios) {
          const notes = inferredNotes(id, era).filter((n) => n.text.includes(`(bug ${bug.id} in`));
          expect(notes.length, `${bug.id} ${id} ${era}`).toBe(bug.reachable[era] === 'Y*' ? 1 : 0);
        }
  });

  test('reported bugs get no note; an unknown scenario gets none', () => {
    // A: the GVT oops, reported in review of the patch; reachable (Y) in gvt-rework.
    expect(inferredNotes('del-after-open', 'gvt-rework')).toEqual([]);
    expect(inferredNotes('no-such-scenario', 'before')).toEqual([]);
  });

  test('notes point at the objects they are about', () => {
    const a0 = inferredNotes('del-while-open', 'before', { D: 'gvt' });
    expect(a0.map((n) => n.target)).toContainEqual(['driver:D']);
    expect(inferredNotes('del-while-open', 'before').map((n) => n.target)).toContainEqual('driver:*');
    expect(inferredNotes('last-ref-deadlock', 'v1').map((n) => n.target)).toEqual(['group:*']);
    expect(inferredNotes('ap-last-put', 'after').map((n) => n.target)).toEqual(['vm:*']);
  });

  test('no note cites a private document', () => {
    for (const bug of BUGS)
      for (const era of ERA_IDS)
        for (const n of inferredNotes(bug.scenarios[0]!, era)) expect(n.text).not.toMatch(/domain\.md|§/);
  });
});
