/**
 * The width to lay the reference flow out at when it is scaled to fit a box (`fit`): a short, wide box
 * draws a tall flow small, and the wide layout gets shorter as it gets wider (the cards' text wraps less,
 * so the rows are shallower). Laid out wider than the box and scaled down to its width, the same flow
 * can be drawn larger than at the box's own width.
 *
 * The choice is for a whole run, from the tallest of its steps, so the drawing keeps one layout from step
 * to step: only the scale that fits each step into the box changes, as it does at the box's width.
 */

/** How much wider than the box the flow may be laid out: its text is then drawn at 1/factor at most. */
export const FIT_FACTORS = [1, 1.1, 1.2, 1.3, 1.4] as const;

/** A wider layout is chosen only when it draws the run this much larger than the box's width would. */
export const FIT_GAIN = 1.05;

/** The scale at which a layout `width` × `height` is drawn in a box (never enlarged). */
export function fitScale(boxWidth: number, boxHeight: number, width: number, height: number): number {
  return Math.min(1, boxWidth / width, boxHeight / height);
}

/**
 * The layout width for a run drawn in a box of `boxWidth` × `boxHeight`: the one of the box's width times
 * FIT_FACTORS that draws the run's tallest step largest; the box's own width unless a wider one gains
 * FIT_GAIN. `tallest(width)` is the height of the run's tallest step laid out at `width` (runTallest); it
 * is asked for the box's width, then for the wider widths that can still win, narrowest first.
 */
export function fitLayoutWidth(
  boxWidth: number,
  boxHeight: number,
  tallest: (width: number) => number,
): number {
  const own = Math.round(boxWidth);
  if (!(boxWidth > 0) || !(boxHeight > 0)) return own;
  const base = fitScale(boxWidth, boxHeight, own, tallest(own));
  let best = { width: own, scale: base };
  for (const f of FIT_FACTORS.slice(1)) {
    const width = Math.round(boxWidth * f);
    // A wider layout is drawn at boxWidth/width at most: from the first that cannot win, none can.
    const cap = boxWidth / width;
    if (cap <= best.scale || cap < base * FIT_GAIN) break;
    const scale = fitScale(boxWidth, boxHeight, width, tallest(width));
    if (scale > best.scale) best = { width, scale };
  }
  return best.scale >= base * FIT_GAIN ? best.width : own;
}

/**
 * `tallest` for fitLayoutWidth, for a run of `steps` steps drawn in a box `boxWidth` wide, from
 * `heightAt(step, width)`. Every step is laid out at the box's width (the layouts the page draws when it
 * keeps that width). A wider layout is seldom taller (its text wraps less; among the built-in runs, 84
 * of 132,108 steps and widths were, by 12 units at most), so at a wider width the steps are laid out
 * tallest first, only until the next one was no taller at the box's width than the tallest found: a few
 * layouts, not one per step. Where a step is taller wider than that, it is drawn that little smaller.
 */
export function runTallest(
  steps: number,
  boxWidth: number,
  heightAt: (step: number, width: number) => number,
): (width: number) => number {
  const own = Math.round(boxWidth);
  const known = new Map<number, number>();
  let base: number[] | null = null;
  let order: number[] = [];
  return (width) => {
    let h = known.get(width);
    if (h !== undefined) return h;
    if (!base) {
      const at = Array.from({ length: steps + 1 }, (_, s) => heightAt(s, own));
      order = at.map((_, s) => s).sort((a, b) => at[b]! - at[a]!);
      base = at;
    }
    h = 0;
    if (width === own) h = Math.max(...base);
    else
      for (const s of order) {
        if (base[s]! <= h) break;
        h = Math.max(h, heightAt(s, width));
      }
    known.set(width, h);
    return h;
  };
}
