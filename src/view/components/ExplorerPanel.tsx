/**
 * Counterexamples: explore every interleaving of the scenario's threads in a
 * Web Worker (loaded on first use), with a progress bar; one row per
 * violation kind with its shortest schedule, and "Replay" to load it.
 */
import { useId } from 'react';
import { ERAS } from '../../model/index.ts';
import { Player, useSend } from '../context.ts';
import { explorerState } from '../player/selectors.ts';
import { Icon } from './Icon.tsx';
import { kindWords } from './format.ts';
import { showWorkspace } from './Counterexample.tsx';
import { field } from '../player/field.ts';

// Made on first use: the first Intl.NumberFormat of a page loads locale data (about 30 ms, far more on a slow
// phone), and numbers are only shown once an exploration runs.
let numberFormat: Intl.NumberFormat | null = null;
const nf = { format: (n: number) => (numberFormat ??= new Intl.NumberFormat('en')).format(n) };

export function ExplorerPanel() {
  const send = useSend();
  const status = Player.useSelector(explorerState);
  const slot = Player.useSelector(field('explore'));
  const era = Player.useSelector(field('era'));
  const scenarioId = Player.useSelector(field('scenario')).id;
  const headId = useId();
  const progId = useId();
  const p = slot.progress;
  const r = slot.result;
  return (
    <section className="panel explorer" aria-labelledby={headId}>
      <header className="panel-head">
        <h2 id={headId}>Counterexamples</h2>
      </header>
      <p className="hint">
        Search every interleaving of the threads' micro-steps of <code>{scenarioId}</code> in{' '}
        {ERAS[era].title}, and keep the shortest schedule that reaches each kind of violation.
      </p>
      <div className="explorer-actions">
        {status === 'running' ? (
          <button type="button" className="btn" onClick={() => send({ type: 'explore.cancel' })}>
            Cancel
          </button>
        ) : (
          <button type="button" className="btn btn-primary" onClick={() => send({ type: 'explore.start' })}>
            <Icon name="search" />
            <span>{status === 'idle' ? 'Explore all interleavings' : 'Explore again'}</span>
          </button>
        )}
      </div>
      {status === 'running' && (
        <div className="progress" data-testid="explore-progress">
          <label htmlFor={progId}>
            {p
              ? `Exploring: ${nf.format(p.expanded)} of ${nf.format(p.states)} states expanded, ${nf.format(p.transitions)} transitions, depth ${p.depth}, ${(p.ms / 1000).toFixed(1)} s`
              : 'Starting the explorer…'}
            {p && p.kinds.length > 0 ? ` · found so far: ${p.kinds.join(', ')}` : ''}
          </label>
          {p && p.states > 0 ? (
            <progress id={progId} max={p.states} value={p.expanded} />
          ) : (
            <progress id={progId} />
          )}
        </div>
      )}
      {status === 'failed' && (
        <p className="error" role="alert">
          The exploration failed: {slot.error}
        </p>
      )}
      {status === 'done' && r && (
        <div className="explore-result" data-testid="explore-result">
          <p>
            {r.complete
              ? 'Complete'
              : `Stopped early (${(r.reason ?? 'a bound was reached').replace(/\s*\(raise --max-states\)/, '')})`}
            : {nf.format(r.states)} states, {nf.format(r.transitions)} transitions
            {r.interleavings !== null
              ? `, ${r.interleavingsExact === false ? 'about ' : ''}${nf.format(r.interleavings)}${r.complete ? '' : '+'} interleavings`
              : ''}{' '}
            in {r.ms < 1000 ? `${Math.round(r.ms)} ms` : `${(r.ms / 1000).toFixed(1)} s`}.
          </p>
          {r.violations.length === 0 ? (
            <p className="ok">No interleaving reaches a violation{r.complete ? '' : ' within the bound'}.</p>
          ) : (
            <>
              <h3 className="found-title">Violations found, each with its shortest schedule</h3>
              <ul className="violations">
                {r.violations.map((v) => (
                  <li key={v.kind} data-kind={v.kind} className="violation">
                    <div className="violation-head">
                      <strong>{v.kind}</strong>
                      {v.invariant ? <span className="badge">invariant</span> : null}
                      <span className="muted">
                        {' '}
                        · <span className="mono">{v.schedule.length}</span> micro-steps
                      </span>
                    </div>
                    <p className="muted small">
                      {kindWords(v.kind)}
                      {v.at ? (
                        <>
                          {' '}
                          in <code>{v.at}</code>
                        </>
                      ) : null}
                      {v.thread ? ` (${v.thread})` : ''}
                      {v.detail ? `: ${v.detail}` : ''}
                    </p>
                    <button
                      type="button"
                      className="btn"
                      onClick={() => {
                        send({ type: 'replay', schedule: v.schedule, step: v.step, kind: v.kind });
                        showWorkspace();
                      }}
                    >
                      <Icon name="replay" />
                      <span>Replay</span>
                      <span className="vh">
                        {' '}
                        {v.kind} ({v.schedule.length} steps)
                      </span>
                    </button>
                  </li>
                ))}
              </ul>
            </>
          )}
          {r.error && <p className="error">The model failed on one schedule: {r.error.message}</p>}
        </div>
      )}
    </section>
  );
}
