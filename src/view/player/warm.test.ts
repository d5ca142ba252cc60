/** Working steps out ahead of time: in idle periods, from the step shown, stoppable. */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { warmOrder, warmSteps, type Deadline, type Idle } from './warm.ts';

/** Idle periods the test hands out by hand, each with `ms` of budget that `work` spends `cost` ms of. */
function manualIdle() {
  const queue: ((d: Deadline) => void)[] = [];
  let left = 0;
  const idle: Idle = (work) => {
    queue.push(work);
    return () => {
      const i = queue.indexOf(work);
      if (i >= 0) queue.splice(i, 1);
    };
  };
  return {
    idle,
    pending: () => queue.length,
    /** Runs the next idle period with `ms` of time; each unit of work spends `cost`. */
    period(ms: number) {
      left = ms;
      queue.shift()?.({ timeRemaining: () => left });
    },
    spend(cost: number) {
      left -= cost;
    },
  };
}

describe('warmOrder', () => {
  it('goes from the step shown to the end, then from the start', () => {
    expect(warmOrder(3, 5)).toEqual([3, 4, 5, 0, 1, 2]);
    expect(warmOrder(0, 2)).toEqual([0, 1, 2]);
  });
  it('clamps a step outside the run', () => {
    expect(warmOrder(9, 2)).toEqual([2, 0, 1]);
    expect(warmOrder(-4, 2)).toEqual([0, 1, 2]);
  });
});

describe('warmSteps', () => {
  afterEach(() => void vi.restoreAllMocks());

  it('works steps out while the idle period lasts, and goes on in the next one', () => {
    const m = manualIdle();
    const done: number[] = [];
    warmSteps(5, 2, (s) => (done.push(s), m.spend(4)), m.idle);
    expect(done).toEqual([]);
    m.period(10); // 10 → 6 → 2: two steps, then the margin stops it
    expect(done).toEqual([2, 3]);
    m.period(50);
    expect(done).toEqual([2, 3, 4, 5, 0, 1]);
    expect(m.pending()).toBe(0);
  });

  it('takes at most a few milliseconds of a long idle period, so that a click never waits long', () => {
    let now = 0;
    vi.spyOn(performance, 'now').mockImplementation(() => now);
    const m = manualIdle();
    const done: number[] = [];
    warmSteps(99, 0, (s) => (done.push(s), (now += 2)), m.idle);
    m.period(50);
    expect(done).toEqual([0, 1, 2]); // 0, 2, 4 ms in: the slice ends at 5
    expect(m.pending()).toBe(1);
  });

  it('stops when asked, between idle periods', () => {
    const m = manualIdle();
    const done: number[] = [];
    const stop = warmSteps(9, 0, (s) => (done.push(s), m.spend(5)), m.idle);
    m.period(6); // 6 → 1: one step
    expect(done).toEqual([0]);
    stop();
    expect(m.pending()).toBe(0);
    m.period(100);
    expect(done).toEqual([0]);
  });

  it('skips a step whose work throws and goes on', () => {
    const m = manualIdle();
    const done: number[] = [];
    warmSteps(
      3,
      0,
      (s) => {
        if (s === 1) throw new Error('no');
        done.push(s);
      },
      m.idle,
    );
    m.period(100);
    expect(done).toEqual([0, 2, 3]);
  });
});
