/**
 * Side by side (lazy-loaded): the same scenario in two eras, in lock-step by
 * scenario op (see player/align.ts), with the first op whose outcome differs.
 */
import { useId } from 'react';
import { ERA_IDS, ERAS, isEraId, opLabel, type EraId, type KernelView } from '../../model/index.ts';
import { Player, useSend } from '../context.ts';
import { useDerived, useMotion, useStep } from '../hooks.ts';
import { useNotes, violationsSoFar } from './diagramProps.ts';
import { ALIGNMENT_NOTE } from '../player/align.ts';
import { compareView, type PlayerSnapshot } from '../player/selectors.ts';
import { ReferenceFlow } from '../deps/diagrams.tsx';
import type { Derived } from '../player/runs.ts';

const contextOf = (s: PlayerSnapshot) => s.context;

function ThreadLine({ view }: { view: KernelView }) {
  return (
    <ul className="compare-threads">
      {view.threads.map((t) => (
        <li key={t.id} data-thread={t.id}>
          <strong>{t.id}</strong> <span className={`status status-${t.status}`}>{t.status}</span>{' '}
          {t.op ? <code>{t.op.label}</code> : null}
          {t.reason ? <span className="reason"> — {t.reason}</span> : null}
        </li>
      ))}
    </ul>
  );
}

function Column({
  era,
  d,
  step,
  width,
  theme,
  role,
  opAt,
  highlight,
}: {
  era: EraId;
  d: Derived;
  step: number;
  width: number;
  theme: 'light' | 'dark';
  role: string;
  opAt: string | null;
  highlight: boolean;
}) {
  const headId = useId();
  const motion = useMotion();
  const view = d.view(step);
  const sv = step > 0 ? d.stepView(step) : null;
  const notes = useNotes(era);
  const violations = violationsSoFar(d, step);
  return (
    <section
      className={highlight ? 'compare-col differs' : 'compare-col'}
      aria-labelledby={headId}
      data-era={era}
    >
      <h3 id={headId}>
        {ERAS[era].title} <span className="muted">({role})</span>
      </h3>
      <p className="compare-pos" data-testid="compare-pos">
        step <span className="mono">{step}</span> / <span className="mono">{d.total}</span>
        {opAt ? (
          <>
            {' '}
            · in <code>{opAt}</code>
          </>
        ) : null}
      </p>
      <ReferenceFlow
        view={view}
        step={sv}
        totalSteps={d.total}
        violations={violations}
        notes={notes}
        theme={theme}
        {...motion}
        width={width}
        legend={false}
        idPrefix={`cmp-${era}`}
      />
      <ThreadLine view={view} />
    </section>
  );
}

export default function CompareView({ width, theme }: { width: number; theme: 'light' | 'dark' }) {
  const send = useSend();
  const ctx = Player.useSelector(contextOf);
  const d = useDerived();
  const step = useStep();
  const cv = compareView(ctx);
  const selId = useId();
  const wide = width >= 860;
  const colWidth = wide ? Math.floor((width - 16) / 2) : width;
  const op = cv.aligned.op !== null ? opLabel(ctx.scenario.steps[cv.aligned.op]!) : null;
  const diff = cv.difference;
  const atDiff = diff !== null && cv.aligned.op === diff.op;
  return (
    <div className="compare">
      <div className="compare-bar">
        <div className="field field-inline">
          <label htmlFor={selId}>Compare with</label>
          <select
            id={selId}
            value={ctx.compareEra}
            onChange={(e) => {
              if (isEraId(e.target.value)) send({ type: 'compare.era', era: e.target.value });
            }}
          >
            {ERA_IDS.filter((e) => e !== ctx.era).map((e) => (
              <option key={e} value={e}>
                {ERAS[e].title}
              </option>
            ))}
          </select>
        </div>
        <p className="align-note">{ALIGNMENT_NOTE}</p>
      </div>
      <div className={diff ? 'diff-banner' : 'diff-banner same'} data-testid="diff-banner">
        {diff ? (
          <>
            <p>
              <strong>First difference</strong> at op {diff.op + 1}, <code>{diff.label}</code> (thread{' '}
              {diff.thread}):{' '}
              {diff.items.slice(0, 4).map((it, i) => (
                <span key={i} className="diff-item">
                  {i > 0 ? '; ' : ''}
                  {it.what}: {ctx.era} <strong>{it.a}</strong> vs {ctx.compareEra} <strong>{it.b}</strong>
                </span>
              ))}
              {diff.items.length > 4 ? `; and ${diff.items.length - 4} more` : ''}.
            </p>
            {!(atDiff && step === diff.stepA) && (
              <button type="button" className="btn" onClick={() => send({ type: 'goto', step: diff.stepA })}>
                Go to the end of op {diff.op + 1}
              </button>
            )}
          </>
        ) : (
          <p>Every op ends the same way in both eras (results, violations, VM, pointers and references).</p>
        )}
        {cv.options.withoutCoreRef && (
          <p className="small muted">
            users_count is compared without the VFIO core's own reference, which only{' '}
            {ctx.era === 'fixed' ? ctx.era : ctx.compareEra} takes (2b48f52f2bff).
          </p>
        )}
      </div>
      {ctx.schedule.length > 0 && (
        <p className="hint">
          The {ctx.compareEra} column runs the scenario's default order: an exact schedule of one era does not
          replay in another.
        </p>
      )}
      <div className={wide ? 'compare-cols wide' : 'compare-cols'}>
        <Column
          era={ctx.era}
          d={d}
          step={step}
          width={colWidth}
          theme={theme}
          role="stepped"
          opAt={op}
          highlight={atDiff}
        />
        <Column
          era={ctx.compareEra}
          d={cv.other}
          step={cv.aligned.step}
          width={colWidth}
          theme={theme}
          role={cv.aligned.missing ? 'never reaches this op' : 'aligned'}
          opAt={cv.aligned.missing ? null : op}
          highlight={atDiff}
        />
      </div>
    </div>
  );
}
