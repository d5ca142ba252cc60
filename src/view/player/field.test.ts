import { describe, expect, it } from 'vitest';
import { field } from './field.ts';
import { PlayerDriver } from './driver.ts';

describe('field', () => {
  it('is one function per field, for every render that asks, and reads that field of the snapshot', () => {
    expect(field('step')).toBe(field('step'));
    expect(field('era')).not.toBe(field('step'));
    const p = new PlayerDriver({ search: '?scenario=del-while-open&era=before&step=3' });
    expect(field('step')(p.snapshot)).toBe(3);
    expect(field('era')(p.snapshot)).toBe('before');
    expect(field('scenario')(p.snapshot)).toBe(p.ctx.scenario);
  });
});
