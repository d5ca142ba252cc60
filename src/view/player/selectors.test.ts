import { describe, expect, it } from 'vitest';
import { builtin } from '../../scenarios/index.ts';
import { PlayerDriver } from './driver.ts';
import { getRun } from './runs.ts';
import { narration, opStates } from './selectors.ts';

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
});
