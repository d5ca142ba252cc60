/**
 * The reference-flow diagram of the step shown, or, in side-by-side mode,
 * the lazily loaded comparison of two eras.
 */
import { lazy, Suspense, useId, useRef } from 'react';
import { Player, useSend } from '../context.ts';
import { useDerived, useMotion, useResolvedTheme, useStep, useWarmSteps, useWidth } from '../hooks.ts';
import { useNotes, violationsSoFar } from './diagramProps.ts';
import { isComparing } from '../player/selectors.ts';
import { flowGeometry, ReferenceFlow } from '../deps/diagrams.tsx';
import { ERAS } from '../../model/index.ts';
import { Icon } from './Icon.tsx';
import { FlowAsText } from './FlowAsText.tsx';
import { ChunkBoundary } from './ChunkBoundary.tsx';
import { field } from '../player/field.ts';

const CompareView = lazy(() => import('./CompareView.tsx'));

/**
 * `compare={false}` (the embedded explorer): no "Compare eras" button, always the one-era diagram.
 * The picture is the one `vfio-kvm render` draws (no era/step lines: the header and the player bar
 * say them), scaled to its box when the page's workspace gives it a height.
 */
export function Stage({ compare = true }: { compare?: boolean } = {}) {
  const send = useSend();
  const comparing = Player.useSelector(isComparing) && compare;
  const era = Player.useSelector(field('era'));
  const d = useDerived();
  const step = useStep();
  const theme = useResolvedTheme();
  const box = useRef<HTMLDivElement>(null);
  const width = useWidth(box);
  const headId = useId();
  const motion = useMotion();
  const notes = useNotes(era);
  // What the diagram draws at a step, the same for the step shown and for the steps worked out ahead.
  const at = (s: number) => ({
    view: d.view(s),
    step: s > 0 ? d.stepView(s) : null,
    totalSteps: d.total,
    violations: violationsSoFar(d, s),
    notes,
  });
  useWarmSteps(
    d,
    (s) => {
      const p = at(s);
      flowGeometry(p.view, { ...p, width, caption: false });
    },
    [notes, width],
    !comparing,
  );
  const shown = at(step);
  return (
    <section className={comparing ? 'panel stage comparing' : 'panel stage'} aria-labelledby={headId}>
      <header className="panel-head">
        <h2 id={headId}>{comparing ? 'Side by side' : 'Reference flow'}</h2>
        <span className="era-badge">{ERAS[era].title}</span>
        {compare && (
          <button
            type="button"
            className="btn btn-quiet"
            aria-pressed={comparing}
            onClick={() => send({ type: comparing ? 'compare.close' : 'compare.open' })}
          >
            <Icon name="columns" />
            <span>Compare eras</span>
          </button>
        )}
        {!comparing && <FlowAsText {...shown} />}
      </header>
      <div ref={box} className="stage-body">
        {comparing ? (
          <Suspense fallback={<p className="loading">Loading the side-by-side view…</p>}>
            <ChunkBoundary what="the side-by-side view">
              <CompareView width={width} theme={theme} />
            </ChunkBoundary>
          </Suspense>
        ) : (
          <ReferenceFlow
            {...shown}
            theme={theme}
            {...motion}
            width={width}
            caption={false}
            fit
            idPrefix="flow"
          />
        )}
      </div>
    </section>
  );
}
