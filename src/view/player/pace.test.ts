import { describe, expect, it } from 'vitest';
import { PANEL_TURN, TURNS, pacedStep, type PacedPanel } from './pace.ts';

const PANELS = Object.keys(PANEL_TURN) as PacedPanel[];

/** The steps a panel shows while the player goes from `from` to `to` one step at a time. */
function follow(panel: PacedPanel, from: number, to: number, fast: boolean): number[] {
  let shown = from;
  const out: number[] = [];
  for (let step = from + 1; step <= to; step++) out.push((shown = pacedStep(panel, step, shown, fast)));
  return out;
}

describe('pacedStep', () => {
  it('paused or playing slowly, every panel shows the step itself', () => {
    for (const p of PANELS) {
      expect(follow(p, 0, 20, false)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
      expect(pacedStep(p, 3, 9, false)).toBe(3);
      expect(pacedStep(p, 40, 2, false)).toBe(40);
    }
  });

  it('during fast autoplay each panel moves on at its turn only, never more than TURNS − 1 behind', () => {
    for (const p of PANELS) {
      const shown = follow(p, 5, 60, true);
      shown.forEach((s, i) => {
        const step = 6 + i;
        expect(s).toBeLessThanOrEqual(step);
        expect(step - s).toBeLessThan(TURNS);
        if (s !== shown[i - 1] && i > 0) expect(s % TURNS).toBe(PANEL_TURN[p]);
      });
      // Never moving back.
      expect(shown).toEqual([...shown].sort((a, b) => a - b));
    }
  });

  it('the panels take turns: no step redraws them all, and each turn redraws some', () => {
    const turns = new Set(Object.values(PANEL_TURN));
    expect(turns.size).toBe(TURNS);
    for (let step = 10; step < 30; step++) {
      const moved = PANELS.filter((p) => pacedStep(p, step, step - 1, true) === step);
      expect(moved.length).toBeGreaterThan(0);
      expect(moved.length).toBeLessThan(PANELS.length);
    }
  });

  it('a jump or a move back is shown at once, also while fast', () => {
    for (const p of PANELS) {
      expect(pacedStep(p, 3, 10, true)).toBe(3);
      expect(pacedStep(p, 10 + TURNS, 10, true)).toBe(10 + TURNS);
      expect(pacedStep(p, 10, 10, true)).toBe(10);
    }
  });
});
