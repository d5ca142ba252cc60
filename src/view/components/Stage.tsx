/**
 * The reference-flow diagram of the step shown, or, in side-by-side mode,
 * the lazily loaded comparison of two eras.
 */
import { lazy, Suspense, useId, useRef } from 'react';
import { Player, useSend } from '../context.ts';
import {
  useDerived,
  useMeasuredWidth,
  useMotion,
  useResolvedTheme,
  useStep,
  useWarmSteps,
} from '../hooks.ts';
import { useNotes, violationsSoFar } from './diagramProps.ts';
import { isComparing } from '../player/selectors.ts';
import { flowGeometry, ReferenceFlow, WIDE_MIN } from '../deps/diagrams.tsx';
import { ERAS } from '../../model/index.ts';
import { Icon } from './Icon.tsx';
import { FlowAsText } from './FlowAsText.tsx';
import { ChunkBoundary } from './ChunkBoundary.tsx';
import { field } from '../player/field.ts';

const CompareView = lazy(() => import('./CompareView.tsx'));

/** The width the diagram is drawn at before its box has been measured, where one drawing is enough. */
const UNMEASURED_WIDTH = 720;

/**
 * The page's two drawings before its box has been measured (the build-time view, and React's first pass
 * when it adopts that view), one for each layout of the flow; page.css shows the one for the window's
 * width. The narrow one is drawn at the stage's width on a 360-px phone, so that on every phone at least
 * that wide it is shown at its own size (never scaled down): its text at the sizes React draws it at. Its
 * height changes with the width only where a line stops wrapping: the default view's is the same for every
 * stage from 317 to 577 px wide, so on those phones the drawing keeps its height once React redraws it at
 * the measured width.
 */
const FIRST_DRAWINGS = [
  { layout: 'wide', width: UNMEASURED_WIDTH, idPrefix: 'flow' },
  { layout: 'narrow', width: 318, idPrefix: 'flow-narrow' },
] as const;

/**
 * `compare={false}` (the embedded explorer): no "Compare eras" button, always the one-era diagram.
 * The picture is the one `vfio-kvm render` draws (no era/step lines: the header and the player bar
 * say them), scaled to its box when the page's workspace gives it a height.
 * `bothLayouts` (the page): until the box is measured, both layouts' drawings (FIRST_DRAWINGS); then
 * the one for the measured width, which keeps the node of the drawing of its layout.
 */
export function Stage({
  compare = true,
  bothLayouts = false,
}: { compare?: boolean; bothLayouts?: boolean } = {}) {
  const send = useSend();
  const comparing = Player.useSelector(isComparing) && compare;
  const era = Player.useSelector(field('era'));
  const d = useDerived();
  const step = useStep();
  const theme = useResolvedTheme();
  const box = useRef<HTMLDivElement>(null);
  const measured = useMeasuredWidth(box);
  const width = measured ?? UNMEASURED_WIDTH;
  const bothDrawn = measured === null && bothLayouts;
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
          (bothDrawn
            ? FIRST_DRAWINGS
            : [{ layout: width >= WIDE_MIN ? 'wide' : 'narrow', width, idPrefix: 'flow' }]
          ).map((drawing) => (
            <ReferenceFlow
              key={drawing.layout}
              {...shown}
              theme={theme}
              {...motion}
              width={drawing.width}
              caption={false}
              fit
              idPrefix={drawing.idPrefix}
              className={bothDrawn ? `flow-first-${drawing.layout}` : undefined}
            />
          ))
        )}
      </div>
    </section>
  );
}
