/**
 * The reference-flow diagram of the step shown, or, in side-by-side mode,
 * the lazily loaded comparison of two eras.
 */
import { lazy, Suspense, useId, useLayoutEffect, useRef, useState } from 'react';
import { Player, useSend } from '../context.ts';
import {
  useDerived,
  useMeasuredWidth,
  useMotion,
  useResolvedTheme,
  useStep,
  useWarmSteps,
  useWorkspaceWidth,
} from '../hooks.ts';
import { useNotes, violationsSoFar } from './diagramProps.ts';
import { isComparing } from '../player/selectors.ts';
import { flowGeometry, ReferenceFlow, WIDE_MIN } from '../deps/diagrams.tsx';
import { ERAS } from '../../model/index.ts';
import { Icon } from './Icon.tsx';
import { FlowAsText } from './FlowAsText.tsx';
import { ChunkBoundary } from './ChunkBoundary.tsx';
import { field } from '../player/field.ts';
import { useFitLayoutWidth, useFlowRoom } from './flowFit.ts';

const CompareView = lazy(() => import('./CompareView.tsx'));

/** The width the diagram is drawn at before its box has been measured, where one drawing is enough. */
const UNMEASURED_WIDTH = 720;

/**
 * The page's drawings before its box has been measured (the build-time view, and React's first pass when
 * it adopts that view): page.css shows the one for the window's width, and React keeps that node.
 * - `workspace`, from 1180 px (the page's workspace: the flow beside the side column), is the wide layout
 *   drawn at the stage's width in a 1280-px window (the window less the page's padding, the side column's
 *   420 px and the panel's padding), which is its width in every window from 1180 to 1280 px (the side
 *   column narrows there instead), so that there React adopts it as it is. page.css never scales it up:
 *   a wider window shows it at its own size, centred, until React redraws it at the stage's width, its text
 *   at the same sizes.
 * - `wide`, from 666 px (a stage of WIDE_MIN) to 1179 px, where the panels follow the flow: the wide
 *   layout at 720 px, whose height is closest to React's over those stages (tablets included).
 * - `narrow`, below: drawn at the stage's width on a 360-px phone, so that on every phone at least that
 *   wide it is shown at its own size (never scaled down), its text at the sizes React draws it at. Its
 *   height changes with the width only where a line stops wrapping: the default view's is the same for
 *   every stage from 317 to 577 px wide, so on those phones the drawing keeps its height once React redraws
 *   it at the measured width.
 */
const FIRST_DRAWINGS = [
  { key: 'workspace', layout: 'wide', width: 790, idPrefix: 'flow-ws' },
  { key: 'wide', layout: 'wide', width: UNMEASURED_WIDTH, idPrefix: 'flow' },
  { key: 'narrow', layout: 'narrow', width: 318, idPrefix: 'flow-narrow' },
] as const;

type FirstKey = (typeof FIRST_DRAWINGS)[number]['key'];

/**
 * The one drawing for a measured width, laid out at `layoutWidth` (the width, or wider in the workspace:
 * useFitLayoutWidth): keyed as the first drawing that was shown, if of the same layout.
 */
function measuredDrawing(width: number, firstShown: FirstKey | null, layoutWidth: number) {
  const layout = width >= WIDE_MIN ? 'wide' : 'narrow';
  const first = FIRST_DRAWINGS.find((f) => f.key === firstShown);
  return { key: first?.layout === layout ? first.key : layout, layout, width: layoutWidth, idPrefix: 'flow' };
}

/**
 * `compare={false}` (the embedded explorer): no "Compare eras" button, always the one-era diagram.
 * The picture is the one `vfio-kvm render` draws (no era/step lines: the header and the player bar
 * say them), scaled to its box when the page's workspace gives it a height.
 * `bothLayouts` (the page): until the box is measured, the first drawings, one per range of window widths
 * (FIRST_DRAWINGS); then the one for the measured width, which keeps the node of the first drawing shown.
 * In the page's workspace the flow names no violation in a banner of its own: the player bar right under
 * it names them (as the lock view leaves its own out), and the height is the diagram's (at the story's
 * violations the banner took a tenth to a fifth of it, and at 1280×720 the drawing is scaled to its box).
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
  const workspace = useWorkspaceWidth();
  const banner = !(bothLayouts && workspace);
  // Which of the first drawings the stylesheet showed: the drawing for the measured width keeps its key
  // (and so its node) while it has the same layout.
  const [firstShown, setFirstShown] = useState<FirstKey | null>(null);
  useLayoutEffect(() => {
    if (!bothDrawn || !box.current) return;
    const shown = [...box.current.children].find((e) => e.getClientRects().length > 0);
    const key = FIRST_DRAWINGS.find((f) => shown?.classList.contains(`flow-first-${f.key}`))?.key;
    if (key) setFirstShown(key);
  }, [bothDrawn]);
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
  const geometryAt = (s: number, w: number) => {
    const p = at(s);
    return flowGeometry(p.view, { ...p, width: w, caption: false, banner });
  };
  // In the workspace the flow is scaled to fit its room: a tall run is laid out wider when that draws it
  // larger (the same width at every step of the run).
  const room = useFlowRoom(box, bothLayouts && workspace && !comparing && measured !== null);
  const layoutWidth = useFitLayoutWidth(
    d,
    width,
    room,
    banner ? 'banner' : '',
    (s, w) => geometryAt(s, w).layout.height,
  );
  useWarmSteps(d, (s) => geometryAt(s, layoutWidth), [notes, layoutWidth, banner], !comparing);
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
          (bothDrawn ? FIRST_DRAWINGS : [measuredDrawing(width, firstShown, layoutWidth)]).map((drawing) => (
            <ReferenceFlow
              key={drawing.key}
              {...shown}
              theme={theme}
              {...motion}
              width={drawing.width}
              caption={false}
              banner={banner}
              fit
              idPrefix={drawing.idPrefix}
              className={bothDrawn ? `flow-first-${drawing.key}` : undefined}
            />
          ))
        )}
      </div>
    </section>
  );
}
