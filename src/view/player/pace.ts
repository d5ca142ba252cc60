/**
 * Which steps the panels around the reference flow draw during fast autoplay. Above FRAME_SPEED steps/s
 * nearly every frame draws a step, and a frame that redrew every panel as well ran over its budget
 * (`npm run bench`: script per frame). So there the reference flow and the player bar follow every step,
 * while the panels take turns: a panel moves on at the steps of its turn (step modulo TURNS), so a frame
 * redraws about half of them, and each panel lags at most TURNS − 1 steps behind. Paused, or playing at
 * FRAME_SPEED or slower, every panel shows the step itself.
 */

/** How many turns the panels take, and whose turn each is: the two halves cost about the same to draw. */
export const TURNS = 2;
export const PANEL_TURN = {
  locks: 0,
  timeline: 0,
  threads: 1,
  scenario: 1,
  report: 1,
} as const;
export type PacedPanel = keyof typeof PANEL_TURN;

/**
 * The step `panel` shows when the player is at `step` and the panel last showed `shown`; `fast`: autoplay
 * above FRAME_SPEED. Never behind by TURNS or more, never ahead, never moving back while the player goes on.
 */
export function pacedStep(panel: PacedPanel, step: number, shown: number, fast: boolean): number {
  if (!fast || step < shown || step - shown >= TURNS) return step;
  return step % TURNS === PANEL_TURN[panel] ? step : shown;
}
