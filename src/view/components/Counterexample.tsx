/**
 * The counterexample the schedule is (an exploration's shortest schedule to a
 * violation, from the explorer's Replay or a link): what it reaches and
 * where, "Replay from step 0" (it plays to the violation and stops there),
 * and, while it replays, "Skip to the violation".
 */
import { Player, useSend } from '../context.ts';
import { isReplaying, type PlayerSnapshot } from '../player/selectors.ts';
import { Icon } from './Icon.tsx';
import { kindWords } from './format.ts';
import { field } from '../player/field.ts';

/** Bring the workspace (the diagram) into view: the page's top. */
export function showWorkspace(): void {
  if (typeof window !== 'undefined' && typeof window.scrollTo === 'function') window.scrollTo({ top: 0 });
}

const atCounterexample = (s: PlayerSnapshot) =>
  s.context.counterexample !== null && s.context.step === s.context.counterexample.step;

export function CounterexampleBar() {
  const send = useSend();
  const cx = Player.useSelector(field('counterexample'));
  const schedule = Player.useSelector(field('schedule'));
  // Whether the step shown is the violation's, not the step itself: no redraw on every step played.
  const atViolation = Player.useSelector(atCounterexample);
  const replaying = Player.useSelector(isReplaying);
  if (!cx) return null;
  return (
    <section className="counterexample" aria-label="Counterexample" data-testid="counterexample">
      <p>
        <strong>Counterexample: {cx.kind}</strong> ({kindWords(cx.kind)}): the shortest schedule the explorer
        found, {cx.step} micro-step{cx.step === 1 ? '' : 's'}; the violation shows after step {cx.step}.
      </p>
      <div className="counterexample-actions">
        {replaying ? (
          <button type="button" className="btn" onClick={() => send({ type: 'replay.skip' })}>
            <Icon name="forward" />
            <span>Skip to the violation</span>
          </button>
        ) : (
          <>
            <button
              type="button"
              className="btn"
              onClick={() => send({ type: 'replay', schedule, step: cx.step, kind: cx.kind })}
            >
              <Icon name="replay" />
              <span>Replay from step 0</span>
            </button>
            {!atViolation && (
              <button type="button" className="btn btn-quiet" onClick={() => send({ type: 'replay.skip' })}>
                <span>Go to the violation (step {cx.step})</span>
              </button>
            )}
          </>
        )}
      </div>
    </section>
  );
}
