/**
 * Moving through a run: which violations a move reaches (so each is
 * announced once, also when a jump passes it), and the counterexample
 * replay's pace and check.
 */
import { VIOLATION_KINDS, type Violation } from '../../model/index.ts';
import type { Derived } from './runs.ts';
import { SPEEDS, type Announcement, type PlayerContext } from './types.ts';

/** Violations that show after micro-step `n` (and, at the end, those of the end-of-run checks). */
export function violationsAt(d: Derived, n: number): Violation[] {
  return [...(d.stepViolations.get(n) ?? []), ...(n === d.total ? d.terminalViolations : [])];
}

/** Violations that show after a micro-step in (from, to]. */
export function violationsBetween(d: Derived, from: number, to: number): Violation[] {
  return d.run.violations.filter((v) => v.step > from && v.step <= to);
}

/**
 * The step and announcement after moving from `ctx.step` to `to`. A forward
 * move announces the violations it reached or passed; one that reaches none
 * keeps the announcement already showing (its time is not up yet: a fast run
 * of clicks past a violation still announces it, once). A move back clears it:
 * landing on a violation's own step shows that violation anyway.
 */
export function moveTo(
  ctx: Pick<PlayerContext, 'step' | 'announce'>,
  d: Derived,
  to: number,
): { step: number; announce: Announcement | null } {
  const from = ctx.step;
  if (to > from) {
    const fresh = violationsBetween(d, from, to);
    if (fresh.length) return { step: to, announce: { violations: fresh, fresh: true } };
    return { step: to, announce: ctx.announce && { ...ctx.announce, fresh: false } };
  }
  if (to === from) return { step: to, announce: ctx.announce && { ...ctx.announce, fresh: false } };
  return { step: to, announce: null };
}

/** What the player's alert shows: the violations just reached, else those of the step shown. */
export function alertViolations(ctx: Pick<PlayerContext, 'step' | 'announce'>, d: Derived): Violation[] {
  return ctx.announce ? ctx.announce.violations : violationsAt(d, ctx.step);
}

/** A replay of `steps` micro-steps reaches its violation in about five seconds. */
export function replaySpeed(steps: number): number {
  return SPEEDS.find((s) => steps / s <= 5) ?? SPEEDS[SPEEDS.length - 1]!;
}

/**
 * Does the run reach a violation of `kind` by micro-step `step`? Invariant
 * kinds (the explorer's, not the run's) are taken on trust: only the explorer
 * checks them.
 */
export function reaches(d: Derived, kind: string, step: number): boolean {
  if (!(VIOLATION_KINDS as readonly string[]).includes(kind)) return true;
  return d.run.violations.some((v) => v.kind === kind && v.step <= step);
}
