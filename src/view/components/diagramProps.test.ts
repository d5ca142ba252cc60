/** The violations so far: one array per run and count, whoever asks. */
import { describe, expect, it } from 'vitest';
import { builtin } from '../../scenarios/index.ts';
import { getRun } from '../player/runs.ts';
import { violationsSoFar } from './diagramProps.ts';

describe('violationsSoFar', () => {
  const d = getRun(builtin('del-while-open')!, 'before', []);
  const first = Math.min(...d.run.violations.map((v) => v.step));

  it('holds the violations seen up to the step, in step order', () => {
    expect(violationsSoFar(d, first - 1)).toEqual([]);
    expect(violationsSoFar(d, d.total)).toEqual([...d.run.violations].sort((a, b) => a.step - b.step));
    expect(violationsSoFar(d, first).every((v) => v.step <= first)).toBe(true);
  });

  it('is the same array from step to step until one more violation is reached', () => {
    expect(violationsSoFar(d, 0)).toBe(violationsSoFar(d, first - 1));
    expect(violationsSoFar(d, first)).not.toBe(violationsSoFar(d, first - 1));
  });
});
