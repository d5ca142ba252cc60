/** The flow's layout width in a short box: wider when that draws the whole run larger, else the box's. */
import { describe, expect, it } from 'vitest';
import { fitLayoutWidth, fitScale, FIT_GAIN } from './fitWidth.ts';
import { flowGeometry } from './geometry.ts';
import { chapterRun } from '../view/player/story.ts';
import { violationsSoFar } from '../view/components/diagramProps.ts';

/** The tallest step of a story chapter's run laid out at a width, as the page's workspace draws it. */
function tallestOf(chapter: string) {
  const { derived: d } = chapterRun(chapter);
  return (width: number) => {
    let h = 0;
    for (let s = 0; s <= d.total; s++) {
      const o = {
        step: s > 0 ? d.stepView(s) : null,
        totalSteps: d.total,
        violations: violationsSoFar(d, s),
        width,
        caption: false,
        banner: false,
      };
      h = Math.max(h, flowGeometry(d.view(s), o).layout.height);
    }
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
