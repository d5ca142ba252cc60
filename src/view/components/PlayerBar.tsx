/**
 * The transport: Reset, Step back, Play/Pause, Step forward, a step slider
 * and the speed; the narration of the step shown (a polite live region) and
 * its violations (role="alert"). Sticky at the bottom of the viewport.
 */
import { memo, useEffect, useId, useRef } from 'react';
import { Player, useSend } from '../context.ts';
import { useDerived, useStep } from '../hooks.ts';
import { isPlaying, narration, type PlayerSnapshot } from '../player/selectors.ts';
import { alertViolations } from '../player/moves.ts';
import { SPEEDS } from '../player/types.ts';
import { Icon } from './Icon.tsx';
import { violationText } from './format.ts';
import { LockdepNote } from './LockdepNote.tsx';
import { field } from '../player/field.ts';

function speedLabel(s: number): string {
  return s === SPEEDS[SPEEDS.length - 1] ? 'Max (≤ 60/s)' : `${s}/s`;
}

/** The sentence of the live region (a selector defined once: ../player/field.ts says why). */
const narrationOf = (s: PlayerSnapshot) => narration(s.context);

/** `variant="embedded"`: in the flow of the embedded explorer (not fixed to the viewport, no page-wide CSS variable). */
export function PlayerBar({ variant = 'page' }: { variant?: 'page' | 'embedded' } = {}) {
  const send = useSend();
  const d = useDerived();
  const step = useStep();
  const playing = Player.useSelector(isPlaying);
  const text = Player.useSelector(narrationOf);
  const ids = { slider: useId(), speed: useId() };
  const bar = useRef<HTMLElement>(null);
  // The page keeps room for the fixed bar: --bar-h follows its height (set through CSSOM, no inline style in the HTML).
  useEffect(() => {
    const el = bar.current;
    if (variant !== 'page' || !el || typeof ResizeObserver !== 'function') return;
    const ro = new ResizeObserver(() =>
      document.documentElement.style.setProperty(
        '--bar-h',
        `${Math.ceil(el.getBoundingClientRect().height)}px`,
      ),
    );
    ro.observe(el);
    return () => ro.disconnect();
  }, [variant]);
  const last = step > 0 ? d.stepView(step) : null;
  // The violations just reached (also those a jump passed), else the step's own.
  const announce = Player.useSelector(field('announce'));
  const violations = alertViolations({ step, announce }, d);

  return (
    <section
      ref={bar}
      className={variant === 'page' ? 'playerbar' : 'playerbar playerbar-embedded'}
      aria-label="Player"
    >
      <div className="playerbar-inner">
        <Transport atStart={step === 0} atEnd={step >= d.total} playing={playing} />
        <div className="scrub">
          <label htmlFor={ids.slider} className="scrub-label">
            Step{' '}
            <output className="mono" data-testid="step-counter">
              {step}
            </output>{' '}
            / <span className="mono">{d.total}</span>
          </label>
          <input
            id={ids.slider}
            type="range"
            min={0}
            max={d.total}
            value={step}
            onChange={(e) => send({ type: 'goto', step: Number(e.target.value) })}
            aria-valuetext={`step ${step} of ${d.total}`}
          />
        </div>
        <Speed id={ids.speed} />
      </div>
      <div className="narration-row">
        <p className="narration" aria-live="polite" aria-atomic="true" data-testid="narration">
          {last && (
            <span className={`thread-chip t${threadIndex(d, last.thread)}`} aria-hidden="true">
              {last.thread}
            </span>
          )}
          <span className="narration-text">{text}</span>
        </p>
        <div
          role="alert"
          className={violations.length ? 'violation-alert' : 'violation-alert empty'}
          data-testid="violation-alert"
        >
          {violations.map((v, i) => (
            <p key={i} title={violationText(v)}>
              {violationText(v)}
            </p>
          ))}
        </div>
        <LockdepNote d={d} step={step} />
      </div>
    </section>
  );
}

/** The buttons: they change only at either end of the run and when play starts or stops (memo). */
const Transport = memo(function Transport({
  atStart,
  atEnd,
  playing,
}: {
  atStart: boolean;
  atEnd: boolean;
  playing: boolean;
}) {
  const send = useSend();
  return (
    <div className="transport" role="group" aria-label="Step controls">
      <button type="button" className="btn" onClick={() => send({ type: 'reset' })} disabled={atStart}>
        <Icon name="reset" />
        <span className="btn-text">Reset</span>
      </button>
      <button type="button" className="btn" onClick={() => send({ type: 'step.back' })} disabled={atStart}>
        <Icon name="back" />
        <span className="btn-text">Step back</span>
      </button>
      <button
        type="button"
        className="btn btn-primary btn-play"
        onClick={() => send({ type: playing ? 'pause' : 'play' })}
      >
        <Icon name={playing ? 'pause' : 'play'} />
        <span className="btn-text">{playing ? 'Pause' : 'Play'}</span>
      </button>
      <button type="button" className="btn" onClick={() => send({ type: 'step.forward' })} disabled={atEnd}>
        <Icon name="forward" />
        <span className="btn-text">Step forward</span>
      </button>
    </div>
  );
});

/** The speed control (memo: a step does not touch it). */
const Speed = memo(function Speed({ id }: { id: string }) {
  const send = useSend();
  const speed = Player.useSelector(field('speed'));
  return (
    <div className="field field-inline speed">
      <label htmlFor={id}>Speed</label>
      <select id={id} value={speed} onChange={(e) => send({ type: 'speed', speed: Number(e.target.value) })}>
        {SPEEDS.map((s) => (
          <option key={s} value={s}>
            {speedLabel(s)}
          </option>
        ))}
      </select>
    </div>
  );
});

export function threadIndex(d: ReturnType<typeof useDerived>, id: string): number {
  return Math.max(0, d.run.model.threadIndex.get(id) ?? 0) % 6;
}
