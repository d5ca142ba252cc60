/** Working steps out ahead of time: in idle periods, from the step shown, stoppable. */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { browserIdle, warmOrder, warmSteps, type Deadline, type Idle } from './warm.ts';

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

describe('browserIdle', () => {
  afterEach(() => {
    vi.restoreAllMocks();
    vi.unstubAllGlobals();
  });

  it('runs each slice as a background task of at most a few milliseconds, and can be cancelled', async () => {
    let now = 100;
    vi.spyOn(performance, 'now').mockImplementation(() => now);
    const tasks: { run: () => void; signal: AbortSignal }[] = [];
    vi.stubGlobal('scheduler', {
      postTask: (run: () => void, o: { priority: string; signal: AbortSignal }) => {
        expect(o.priority).toBe('background');
        tasks.push({ run, signal: o.signal });
        return Promise.resolve();
      },
    });
    const seen: number[] = [];
    browserIdle((d) => {
      seen.push(d.timeRemaining());
      now += 3;
      seen.push(d.timeRemaining());
      now += 30;
      seen.push(d.timeRemaining());
    });
    tasks[0]!.run();
    expect(seen).toEqual([5, 2, 0]);
    const cancel = browserIdle(() => {});
    cancel();
    expect(tasks[1]!.signal.aborted).toBe(true);
  });

  it("keeps the idle period's own deadline when it is sooner", () => {
    vi.spyOn(performance, 'now').mockReturnValue(0);
    let left = 1;
    vi.stubGlobal('requestIdleCallback', (f: (d: Deadline) => void) => (f({ timeRemaining: () => left }), 1));
    vi.stubGlobal('cancelIdleCallback', () => {});
    const seen: number[] = [];
    browserIdle((d) => {
      seen.push(d.timeRemaining());
      left = 40;
      seen.push(d.timeRemaining());
    });
    expect(seen).toEqual([1, 5]);
  });
});
