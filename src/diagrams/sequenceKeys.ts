/**
 * The sequence chart's keyboard (a listbox with roving tabindex):
 *
 *   ← / →        previous / next micro-step        Home / End   first / last
 *   ↑ / ↓        nearest step of the lane above / below
 *   PageUp/Down  10 steps back / forward            Enter/Space  select
 */
import type { SequenceStep } from './sequenceModel.ts';

/** The step a key moves to from step `from` (0 … steps.length), or null for keys the chart ignores. */
export function keyTarget(
  key: string,
  from: number,
  steps: readonly Pick<SequenceStep, 'n' | 'thread'>[],
  threads: readonly string[],
): number | null {
  const total = steps.length;
  const clamp = (n: number) => Math.max(0, Math.min(total, n));
  const nearestInLane = (dir: -1 | 1): number => {
    const lane = from === 0 ? (dir > 0 ? -1 : threads.length) : threads.indexOf(steps[from - 1]!.thread);
    const t = threads[lane + dir];
    if (t === undefined) return from;
    let best = from;
    let dist = Infinity;
    for (const s of steps)
      if (s.thread === t) {
        // nearest step of that thread; on a tie, the later one
        const d = Math.abs(s.n - from) + (s.n < from ? 0.5 : 0);
        if (d < dist) {
          dist = d;
          best = s.n;
        }
      }
    return best;
  };
  switch (key) {
    case 'ArrowRight':
      return clamp(from + 1);
    case 'ArrowLeft':
      return clamp(from - 1);
    case 'Home':
      return 0;
    case 'End':
      return total;
    case 'PageDown':
      return clamp(from + 10);
    case 'PageUp':
      return clamp(from - 10);
    case 'ArrowDown':
      return nearestInLane(1);
    case 'ArrowUp':
      return nearestInLane(-1);
    case 'Enter':
    case ' ':
      return clamp(from);
    default:
      return null;
  }
}
