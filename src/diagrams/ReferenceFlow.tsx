/**
 * ReferenceFlow: who points at which VM, for one kernel state (KernelView)
 * and the micro-step that led to it (StepView): each holder of a KVM pointer
 * (group, device, driver, the KVM-VFIO device during an ioctl) has an arrow to
 * the VM it names, counted references told from raw pointers; thin
 * connectors show the path the pointer is copied along (KVM-VFIO device →
 * group → device → driver, or the SET_KVM notifier).
 *
 * The markup is complete without any effect running (renderToStaticMarkup,
 * the CLI's `render`); the step animation (animate.ts) only plays in a
 * browser, for a single forward step, unless reducedMotion. It is loaded
 * on its own (with d3-selection, d3-transition and d3-interpolate) right
 * after the first paint, so the first view does not wait for it.
 */
import { memo, useEffect, useRef } from 'react';
import type { Violation } from '../model/types.ts';
import type { KernelView, StepView } from '../model/view.ts';
import { FlowDefs } from './edgeStyle.tsx';
import type { DiagramNote } from './flowModel.ts';
import { flowGeometry } from './geometry.ts';
import { CardView, EdgeTag, EdgeView, Legend } from './flowParts.tsx';
import { r } from './icons.tsx';
import { idMaker, useIdPrefix } from './ids.ts';
import { PartsView } from './parts.tsx';
import { resolveTheme, type Theme, type ThemeName } from './theme.ts';

export interface ReferenceFlowProps {
  /** The state to draw: `describeState(model, states[n])`. */
  view: KernelView;
  /** The micro-step that produced `view` (`describeStep(model, records[n-1], states[n], n)`), or null for the initial state. */
  step?: StepView | null;
  /** Number of micro-steps in the run ("step 12 of 45" in the accessible name). */
  totalSteps?: number;
  /** Violations seen so far (e.g. `run.violations.filter(v => v.step <= n)`); default: the step's own. */
  violations?: readonly Violation[];
  /** Facts to flag, e.g. INFERRED ones (see `inferredNotes`). */
  notes?: readonly DiagramNote[];
  /** Overrides the era's title (default: ERAS[view.era].title). */
  eraLabel?: string;
  theme?: ThemeName | Theme;
  /** No movement: the end state only. Pass the user's `prefers-reduced-motion`. */
  reducedMotion?: boolean;
  /** Animate a single forward step (default true). */
  animate?: boolean;
  /** Duration of one step's animation in ms (default 650); lower it when autoplaying fast; 0: no movement. */
  animationMs?: number;
  /** Width in CSS px (default 960); under 600 the layout turns into a vertical tree. */
  width?: number;
  /** Prefix for every id in the SVG; must be unique on the page (default: from React's useId). */
  idPrefix?: string;
  /** Draw the era/step header and the narration (default true). */
  caption?: boolean;
  /** Draw the legend (default true). */
  legend?: boolean;
  /**
   * Name the violations so far in a banner over the flow (default true). Leave it out where the page
   * names them next to the diagram already (the objects they concern are marked either way).
   */
  banner?: boolean;
  /**
   * The SVG is scaled by its container to fit a box (CSS width and height):
   * keep its aspect ratio and align it to the top (preserveAspectRatio).
   */
  fit?: boolean;
  /** A class for the SVG element, for the page's stylesheet. */
  className?: string;
}

/** Header, banner and notes: their parts are the same from step to step more often than not. */
const Parts = memo(PartsView);

type Animate = typeof import('./animate.ts');
let animateModule: Animate | null = null;
let animateLoad: Promise<Animate> | null = null;

/** The animation code, fetched once; a failed fetch is retried on the next step (animation is optional). */
function loadAnimate(): Promise<Animate> {
  animateLoad ??= import('./animate.ts').then(
    (m) => (animateModule = m),
    (e: unknown) => {
      animateLoad = null;
      throw e;
    },
  );
  return animateLoad;
}

export function ReferenceFlow(props: ReferenceFlowProps) {
  const {
    view,
    step = null,
    theme: themeProp,
    reducedMotion = false,
    animate = true,
    animationMs = 650,
  } = props;
  const prefix = useIdPrefix(props.idPrefix, 'flow');
  const id = idMaker(prefix);
  const theme = resolveTheme(themeProp);
  const { flow, layout } = flowGeometry(view, {
    step,
    violations: props.violations,
    notes: props.notes,
    eraLabel: props.eraLabel,
    totalSteps: props.totalSteps,
    width: props.width,
    caption: props.caption,
    legend: props.legend,
    banner: props.banner,
  });

  const svgRef = useRef<SVGSVGElement>(null);
  const fxRef = useRef<SVGGElement>(null);
  const lastStep = useRef<number | null>(null);
  // The latest props for the effect, so that it only re-runs when the step (or
  // the geometry) really changes, not on every render of the page.
  const latest = useRef({ layout, step, view, theme });
  useEffect(() => {
    latest.current = { layout, step, view, theme };
  });
  const n = step?.n ?? 0;
  const animKey = `${view.era}|${n}|${layout.width}|${layout.height}|${theme.name}`;
  useEffect(() => {
    const prev = lastStep.current;
    lastStep.current = n;
    const svg = svgRef.current;
    const fx = fxRef.current;
    const { layout: lay, step: st, view: v, theme: th } = latest.current;
    if (
      !svg ||
      !fx ||
      !st ||
      reducedMotion ||
      !animate ||
      animationMs <= 0 ||
      prev === null ||
      n !== prev + 1
    )
      return;
    if (typeof (svg as Partial<SVGSVGElement>).getBBox !== 'function') return;
    const users = Object.fromEntries(v.vms.map((vm) => [vm.id, vm.users]));
    let cancel: (() => void) | null = null;
    let gone = false;
    const play = (m: Animate) => {
      if (gone) return;
      try {
        cancel = m.playFlowStep({ svg, fx, layout: lay, step: st, users, theme: th, duration: animationMs });
      } catch {
        // Animation is an enhancement: never let it break the page.
        cancel = null;
      }
    };
    if (animateModule) play(animateModule);
    else loadAnimate().then(play, () => {});
    return () => {
      gone = true;
      cancel?.();
    };
  }, [animKey, n, reducedMotion, animate, animationMs]);

  // Fetch the animation code once the first view is painted, so the first step animates at once.
  useEffect(() => {
    if (!animate || reducedMotion || animateModule || typeof window === 'undefined') return;
    const idle = window.requestIdleCallback ?? ((f: () => void) => window.setTimeout(f, 200));
    idle(() => void loadAnimate().catch(() => {}));
  }, [animate, reducedMotion]);

  return (
    <svg
      ref={svgRef}
      className={props.className}
      xmlns="http://www.w3.org/2000/svg"
      width={layout.width}
      height={layout.height}
      viewBox={`0 0 ${layout.width} ${layout.height}`}
      preserveAspectRatio={props.fit ? 'xMidYMin meet' : undefined}
      role="img"
      aria-labelledby={id('title')}
      aria-describedby={id('desc')}
      fontFamily={theme.fontSans}
      data-diagram="reference-flow"
      data-era={view.era}
      data-step={step?.n ?? 0}
      data-layout={layout.mode}
      data-theme={theme.name}
    >
      <title id={id('title')}>{flow.title}</title>
      <desc id={id('desc')}>{flow.summary}</desc>
      <FlowDefs prefix={prefix} theme={theme} />
      <rect width={layout.width} height={layout.height} fill={theme.bg} />
      <g data-layer="header">
        <Parts parts={layout.header} theme={theme} bg={theme.bg} />
      </g>
      {layout.banner && (
        <g data-layer="violations">
          <rect
            x={r(layout.banner.x)}
            y={r(layout.banner.y)}
            width={r(layout.banner.w)}
            height={r(layout.banner.h)}
            rx={6}
            fill={theme.dangerBg}
            stroke={theme.danger}
            strokeWidth={2.5}
          />
          <Parts parts={layout.banner.parts} theme={theme} bg={theme.dangerBg} />
        </g>
      )}
      <g data-layer="edges">
        {layout.edges.map((e) => (
          <EdgeView key={e.spec.id} e={e} prefix={prefix} theme={theme} />
        ))}
      </g>
      <g data-layer="nodes">
        {layout.cards.map((c) => (
          <CardView key={c.spec.id} c={c} theme={theme} prefix={prefix} />
        ))}
      </g>
      <g data-layer="edge-tags">
        {layout.edges.map((e) => (
          <EdgeTag key={e.spec.id} e={e} theme={theme} />
        ))}
      </g>
      {layout.footer.length > 0 && (
        <g data-layer="notes">
          <Parts parts={layout.footer} theme={theme} bg={theme.bg} />
        </g>
      )}
      {layout.legend.length > 0 && <Legend items={layout.legend} theme={theme} prefix={prefix} />}
      <g ref={fxRef} data-layer="fx" aria-hidden="true" pointerEvents="none" />
    </svg>
  );
}
