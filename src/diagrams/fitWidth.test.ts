/** The flow's layout width in a short box: wider when that draws the whole run larger, else the box's. */
import { describe, expect, it } from 'vitest';
import { fitLayoutWidth, fitScale, FIT_GAIN, runTallest } from './fitWidth.ts';
import { flowGeometry } from './geometry.ts';
import { chapterRun } from '../view/player/story.ts';
import { violationsSoFar } from '../view/components/diagramProps.ts';
import { inferredNotes } from './notes.ts';

/** A story chapter's flow at a step laid out at a width, as the page's workspace draws it. */
const runs = new Map<string, ReturnType<typeof chapterRun>>();
function stepHeight(chapter: string, s: number, width: number): number {
  if (!runs.has(chapter)) runs.set(chapter, chapterRun(chapter));
  const { derived: d, scenario, era } = runs.get(chapter)!;
  const o = {
    step: s > 0 ? d.stepView(s) : null,
    totalSteps: d.total,
    violations: violationsSoFar(d, s),
    notes: inferredNotes(scenario.id, era, Object.fromEntries(scenario.devices.map((x) => [x.id, x.driver]))),
    width,
    caption: false,
    banner: false,
  };
  return flowGeometry(d.view(s), o).layout.height;
}

/** The tallest step of a story chapter's run laid out at a width, every step laid out. */
function tallestOf(chapter: string) {
  const { derived: d } = chapterRun(chapter);
  return (width: number) => {
    let h = 0;
    for (let s = 0; s <= d.total; s++) h = Math.max(h, stepHeight(chapter, s, width));
    return h;
  };
}

describe('fitLayoutWidth', () => {
  it("keeps the box's width when the run fits the box", () => {
    const asked: number[] = [];
    const w = fitLayoutWidth(790, 400, (x) => (asked.push(x), 300));
    expect(w).toBe(790);
    // Nothing wider can draw it larger than 1:1, so nothing wider is laid out.
    expect(asked).toEqual([790]);
  });

  it('lays out wider when the wider layout is short enough to be drawn larger', () => {
    // 518 units tall at the box's width (0.62 in a 320-unit box), 405 from 950 (0.79 at 1.2×).
    const tallest = (x: number) => (x >= 940 ? 405 : x >= 860 ? 500 : 518);
    const w = fitLayoutWidth(790, 320, tallest);
    expect(w).toBe(948);
    expect(fitScale(790, 320, w, tallest(w))).toBeGreaterThan(fitScale(790, 320, 790, 518) * FIT_GAIN);
  });

  it('keeps the box width for a gain under FIT_GAIN, and when the flow does not get shorter', () => {
    expect(fitLayoutWidth(790, 320, (x) => (x > 790 ? 322 : 331))).toBe(790);
    expect(fitLayoutWidth(790, 200, () => 400)).toBe(790);
  });

  it('stops laying out wider widths once none can win', () => {
    const asked: number[] = [];
    // From 869 on, 200 units tall: 869 is drawn at 0.909, and 948 at 0.833 at most cannot beat it.
    expect(fitLayoutWidth(790, 220, (x) => (asked.push(x), x > 800 ? 200 : 400))).toBe(869);
    expect(asked).toEqual([790, 869]);
  });

  it('gives the box width back for a box not yet measured', () => {
    expect(fitLayoutWidth(790, 0, () => 400)).toBe(790);
    expect(fitLayoutWidth(0, 300, () => 400)).toBe(0);
  });

  it("draws the story's leak chapter larger in a 1280×720 window's box, and leaves a clean chapter as it is", () => {
    // The workspace's box for the flow at 1280×720, without the player bar's alert lines: 790 × 349.
    const leak = tallestOf('leak');
    const w = fitLayoutWidth(790, 349, leak);
    expect(w).toBeGreaterThan(790);
    expect(fitScale(790, 320, w, leak(w))).toBeGreaterThan(0.75);
    expect(fitScale(790, 320, 790, leak(790))).toBeLessThan(0.65);
    expect(fitLayoutWidth(790, 349, tallestOf('notifier'))).toBe(790);
  });
});

describe('runTallest', () => {
  // Five steps; each a little shorter when laid out wider.
  const base = [200, 340, 260, 330, 100];
  const layouts: [number, number][] = [];
  const heightAt = (s: number, w: number) => (layouts.push([s, w]), base[s]! - (w - 790) / 10);

  it("lays every step out at the box's width, and at a wider width only the tallest steps, tallest first", () => {
    layouts.length = 0;
    const tallest = runTallest(4, 790, heightAt);
    expect(tallest(790)).toBe(340);
    expect(layouts).toHaveLength(5);
    layouts.length = 0;
    // At 948: step 1 is 324.2, step 3 314.2; step 2 (260 at 790) cannot be taller than 324.2.
    expect(tallest(948)).toBeCloseTo(324.2);
    expect(layouts).toEqual([
      [1, 948],
      [3, 948],
    ]);
    layouts.length = 0;
    expect(tallest(948)).toBeCloseTo(324.2);
    expect(layouts).toEqual([]);
  });

  it('asked first for a wider width, lays the box width out first all the same', () => {
    layouts.length = 0;
    expect(runTallest(4, 790, heightAt)(869)).toBeCloseTo(332.1);
    expect(layouts.slice(0, 5).every(([, w]) => w === 790)).toBe(true);
  });

  it("finds each story chapter's tallest step at the widths the chooser asks for", () => {
    for (const id of ['leak', 'abba', 'last-reference']) {
      const exact = tallestOf(id);
      const { derived: d } = chapterRun(id);
      const pruned = runTallest(d.total, 790, (s, w) => stepHeight(id, s, w));
      for (const w of [790, 869, 948, 1027, 1106]) expect(pruned(w), `${id} at ${w}`).toBe(exact(w));
    }
  });
});
