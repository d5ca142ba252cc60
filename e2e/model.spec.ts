/**
 * Model-based: the paths come from the player machine itself (@xstate/graph's
 * shortest paths to every combination of its regions — playback × scheduler ×
 * side by side — and of where the step is: start, middle, end). Each path's
 * events drive the real page through its UI (buttons, keys, checkbox, select)
 * and, in lock-step, a real actor of the same machine; after every event the
 * page must show what the actor's snapshot says.
 *
 * (The traversal represents each abstract state by the first concrete
 * snapshot it met, so the expected snapshots come from replaying the events on
 * the actor, not from the path; an event the actor refuses is skipped on both.)
 */
import { getShortestPaths } from '@xstate/graph';
import { createActor, SimulatedClock, type SnapshotFrom } from 'xstate';
import { test, expect } from './support/fixtures.ts';
import { expectEra, selectEra } from './support/era.ts';
import { getRun, narration, parseUrlState, playerMachine, urlOf } from './support/app.ts';

type Snap = SnapshotFrom<typeof playerMachine>;

const START = '?scenario=open-vs-teardown-race&era=after&step=0';
const INPUT = { url: parseUrlState(START, '').state };

function stepClass(s: Snap): string {
  const { step, total } = s.context;
  return step === 0 ? 'start' : step >= total ? 'end' : 'mid';
}

// (@xstate/graph's TestModel refuses machines with delayed transitions, such as autoplay's tick;
// the plain traversal does not, and the paths are replayed below by hand.)
const paths = getShortestPaths(playerMachine, {
  input: INPUT,
  events: (s: Snap) => {
    const ctx = s.context;
    const out: { type: string; [k: string]: unknown }[] = [];
    if (s.matches({ mode: 'scheduler' })) {
      out.push({ type: 'scheduler.off' });
      const can = getRun(ctx.scenario, ctx.era, ctx.schedule).runnableAt(ctx.step);
      // The last runnable thread: usually not the default order's pick, so the schedule changes.
      for (const t of can.slice(-1)) out.push({ type: 'thread.run', thread: t });
    } else out.push({ type: 'scheduler.on' });
    out.push(s.matches({ compare: 'on' }) ? { type: 'compare.close' } : { type: 'compare.open' });
    out.push(s.matches({ playback: 'playing' }) ? { type: 'pause' } : { type: 'play' });
    if (ctx.step > 0) out.push({ type: 'reset' }, { type: 'step.back' });
    if (ctx.step < ctx.total) out.push({ type: 'step.forward' }, { type: 'end' });
    out.push({ type: 'era.select', era: ctx.era === 'after' ? 'before' : 'after' });
    return out as never;
  },
  serializeState: (s) => JSON.stringify({ v: (s as Snap).value, at: stepClass(s as Snap) }),
});

test('the machine has paths to test', () => {
  expect(paths.length).toBeGreaterThan(10);
});

/** Events that leave each region's non-initial state, tried (when enabled) after every path. */
const TAIL: { type: string; [k: string]: unknown }[] = [
  { type: 'pause' },
  { type: 'step.back' },
  { type: 'era.select', era: 'before' },
  { type: 'scheduler.off' },
  { type: 'compare.close' },
  { type: 'reset' },
];

/** The page offers a control for this event now (and the machine would take it). */
function offered(s: Snap, e: { type: string; [k: string]: unknown }): boolean {
  if (!s.can(e as never)) return false;
  const { step, total, era, scenario, schedule } = s.context;
  switch (e.type) {
    case 'reset':
    case 'step.back':
      return step > 0;
    case 'step.forward':
    case 'end':
      return step < total;
    case 'pause':
      return s.matches({ playback: 'playing' });
    case 'play':
      return s.matches({ playback: 'paused' });
    case 'scheduler.off':
      return s.matches({ mode: 'scheduler' });
    case 'scheduler.on':
      return s.matches({ mode: 'auto' });
    case 'compare.close':
      return s.matches({ compare: 'on' });
    case 'compare.open':
      return s.matches({ compare: 'off' });
    case 'era.select':
      return e.era !== era;
    case 'thread.run':
      return getRun(scenario, era, schedule)
        .runnableAt(step)
        .includes(e.thread as string);
    default:
      return true;
  }
}

function describe(path: (typeof paths)[number]): string {
  const evs = path.steps
    .map((st) => st.event as { type: string; thread?: string; era?: string })
    .filter((e) => !e.type.startsWith('xstate.'))
    .map((e) => e.type + (e.thread ? `(${e.thread})` : e.era ? `(${e.era})` : ''));
  return evs.length ? evs.join(' → ') : 'initial state';
}

for (const path of paths) {
  test(`path: ${describe(path)}`, async ({ app, page }) => {
    await app.open(START);
    // Slow autoplay: a path's check of `playing` happens well within one tick.
    await page.getByLabel('Speed').selectOption('0.5');
    const checkState = async (s: Snap) => {
      const ctx = s.context;
      const playing = s.matches({ playback: 'playing' });
      await expect(page.getByRole('button', { name: playing ? 'Pause' : 'Play' })).toBeVisible();
      await expectEra(page, ctx.era);
      await expect(page.getByRole('checkbox', { name: 'Scheduler mode' })).toBeChecked({
        checked: s.matches({ mode: 'scheduler' }),
      });
      await expect(page.getByRole('button', { name: 'Compare eras' })).toHaveAttribute(
        'aria-pressed',
        String(s.matches({ compare: 'on' })),
      );
      if (playing) return;
      await expect(page.getByTestId('step-counter')).toHaveText(String(ctx.step));
      await expect(page.getByTestId('narration')).toContainText(narration(ctx));
      if (s.matches({ mode: 'scheduler' })) {
        const can = getRun(ctx.scenario, ctx.era, ctx.schedule).runnableAt(ctx.step);
        await expect(page.getByRole('button', { name: /^Run / })).toHaveText(can.map((t) => `Run ${t}`));
      } else await expect(page.getByRole('button', { name: /^Run / })).toHaveCount(0);
      if (s.matches({ compare: 'on' })) await expect(page.getByTestId('diff-banner')).toBeVisible();
      await expect.poll(() => page.evaluate(() => location.search)).toBe(urlOf(ctx).search);
    };
    const exec: Record<string, (arg: { event: unknown }) => Promise<void>> = {
      'step.forward': async () => {
        await app.blur();
        await page.keyboard.press('ArrowRight');
      },
      'step.back': async () => {
        await page.getByRole('button', { name: 'Step back' }).click();
      },
      reset: async () => {
        await page.getByRole('button', { name: 'Reset' }).click();
      },
      play: async () => {
        await page.getByRole('button', { name: 'Play' }).click();
      },
      pause: async () => {
        await app.blur();
        await page.keyboard.press('Space');
      },
      'scheduler.on': async () => {
        await page.getByRole('checkbox', { name: 'Scheduler mode' }).check();
      },
      'scheduler.off': async () => {
        await page.getByRole('checkbox', { name: 'Scheduler mode' }).uncheck();
      },
      'thread.run': async ({ event }) => {
        const t = (event as unknown as { thread: string }).thread;
        await page.getByRole('button', { name: `Run ${t}`, exact: true }).click();
      },
      'compare.open': async () => {
        await page.getByRole('button', { name: 'Compare eras' }).click();
      },
      'compare.close': async () => {
        await page.getByRole('button', { name: 'Compare eras' }).click();
      },
      'era.select': async ({ event }) => {
        const era = (event as unknown as { era: string }).era;
        await selectEra(page, era);
      },
      end: async () => {
        await app.blur();
        await page.keyboard.press('End');
      },
    };
    // The actor keeps simulated time. The page's autoplay ticks on its own clock; when the page has paused,
    // the actor is given exactly the ticks the page took (each one the machine's own `tick`), so a busy
    // machine, where a second can pass between Play and Pause, cannot set the two apart.
    const clock = new SimulatedClock();
    const actor = createActor(playerMachine, { input: INPUT, clock }).start();
    actor.send({ type: 'speed', speed: 0.5 });
    const catchUp = async () => {
      await expect(page.getByRole('button', { name: 'Play' })).toBeVisible();
      const shown = await app.step();
      for (let i = 0; i < 1000; i++) {
        const s = actor.getSnapshot();
        if (!s.matches({ playback: 'playing' }) || s.context.step >= shown) break;
        clock.increment(Math.round(1000 / s.context.speed));
      }
    };
    await checkState(actor.getSnapshot());
    // The path to the state, then the way back out of it (so every event is exercised, not only those leading in).
    const events = [...path.steps.map((st) => st.event as { type: string }), ...TAIL];
    for (const e of events) {
      if (e.type.startsWith('xstate.')) continue;
      if (!offered(actor.getSnapshot(), e)) continue;
      const run = exec[e.type];
      if (!run) throw new Error(`no executor for ${e.type}`);
      await run({ event: e });
      if (e.type === 'pause') await catchUp();
      actor.send(e as never);
      await checkState(actor.getSnapshot());
    }
    actor.stop();
  });
}
