/**
 * ReferenceFlow: how the KVM reference flows from the KVM-VFIO device into
 * the group, the device and the driver, for one kernel state (KernelView) and
 * the micro-step that led to it (StepView).
 *
 * The markup is complete without any effect running (renderToStaticMarkup,
 * the CLI's `render`); the step animation (animate.ts) only plays in a
 * browser, for a single forward step, unless reducedMotion. It is loaded
 * on its own (with d3-selection, d3-transition and d3-interpolate) right
 * after the first paint, so the first view does not wait for it.
 */
import { memo, useEffect, useMemo, useRef } from 'react';
import type { Violation } from '../model/types.ts';
import type { KernelView, StepView } from '../model/view.ts';
import { FlowDefs, edgeLook, markerId, strokeFor } from './edgeStyle.tsx';
import { buildFlow, type DiagramNote } from './flowModel.ts';
import { layoutFlow, type CardGeom, type EdgeGeom, type FlowLayout, type LegendItem } from './flowLayout.ts';
import { Icon, r } from './icons.tsx';
import { idMaker, useIdPrefix } from './ids.ts';
import { BadgeView, PartsView, Tag } from './parts.tsx';
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
  /** Width in CSS px (default 960); under 900 the layout turns into a vertical tree. */
  width?: number;
  /** Prefix for every id in the SVG; must be unique on the page (default: from React's useId). */
  idPrefix?: string;
  /** Draw the era/step header and the narration (default true). */
  caption?: boolean;
  /** Draw the legend (default true). */
  legend?: boolean;
}

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
  const flow = useMemo(
    () =>
      buildFlow(view, {
        step,
        violations: props.violations,
        notes: props.notes,
        eraLabel: props.eraLabel,
        totalSteps: props.totalSteps,
      }),
    [view, step, props.violations, props.notes, props.eraLabel, props.totalSteps],
  );
  const layout = useMemo(
    () => layoutFlow(flow, { width: props.width, caption: props.caption, legend: props.legend }),
    [flow, props.width, props.caption, props.legend],
  );

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
      xmlns="http://www.w3.org/2000/svg"
      width={layout.width}
      height={layout.height}
      viewBox={`0 0 ${layout.width} ${layout.height}`}
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
        <PartsView parts={layout.header} theme={theme} bg={theme.bg} />
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
          <PartsView parts={layout.banner.parts} theme={theme} bg={theme.dangerBg} />
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
          <EdgeTag key={e.spec.id} e={e} theme={theme} mode={layout.mode} />
        ))}
      </g>
      {layout.footer.length > 0 && (
        <g data-layer="notes">
          <PartsView parts={layout.footer} theme={theme} bg={theme.bg} />
        </g>
      )}
      {layout.legend.length > 0 && <Legend items={layout.legend} theme={theme} prefix={prefix} />}
      <g ref={fxRef} data-layer="fx" aria-hidden="true" pointerEvents="none" />
    </svg>
  );
}

const EdgeView = memo(function EdgeView({ e, prefix, theme }: { e: EdgeGeom; prefix: string; theme: Theme }) {
  const look = edgeLook(e.spec);
  const s = strokeFor(look, theme);
  return (
    <g data-edge={e.spec.id} data-look={look}>
      <title>{e.spec.description}</title>
      {e.spec.touched && (
        <path
          d={e.d}
          fill="none"
          stroke={theme.accent}
          strokeOpacity={0.3}
          strokeWidth={s.width + 7}
          strokeLinecap="round"
        />
      )}
      <path d={e.d} fill="none" stroke="transparent" strokeWidth={12} />
      <path
        d={e.d}
        fill="none"
        stroke={s.stroke}
        strokeWidth={s.width}
        strokeDasharray={s.dash}
        markerEnd={s.arrow ? `url(#${markerId(prefix, look)})` : undefined}
      />
    </g>
  );
}, sameProps);

const EdgeTag = memo(function EdgeTag({
  e,
  theme,
  mode,
}: {
  e: EdgeGeom;
  theme: Theme;
  mode: FlowLayout['mode'];
}) {
  const s = strokeFor(edgeLook(e.spec), theme);
  const glyph = s.glyph && (
    <g>
      <circle cx={r(e.mid[0])} cy={r(e.mid[1])} r={9} fill={theme.bg} stroke={s.stroke} strokeWidth={1.5} />
      <Icon kind={s.glyph} x={e.mid[0] - 6} y={e.mid[1] - 6} size={12} color={s.stroke} bg={theme.bg} />
    </g>
  );
  if (mode === 'narrow' || !e.tag) {
    if (e.tag && mode === 'narrow')
      return <Tag x={e.tag.x + e.tag.w / 2} y={e.tag.y} text={e.tag.text} theme={theme} tone={s.tone} />;
    return glyph ? <g aria-hidden="true">{glyph}</g> : null;
  }
  const withGlyph = !!glyph;
  const ty = withGlyph ? e.tag.y + 18 : e.tag.y;
  return (
    <g aria-hidden="true">
      {glyph}
      <Tag x={e.tag.x} y={ty} text={e.tag.text} theme={theme} tone={s.tone} />
    </g>
  );
}, sameProps);

function cardStroke(c: CardGeom, theme: Theme): { stroke: string; width: number; dash?: string } {
  switch (c.spec.tone) {
    case 'danger':
      return { stroke: theme.danger, width: 2.5, dash: '8 3' };
    case 'warn':
      return { stroke: theme.warn, width: 2, dash: '8 3' };
    case 'muted':
      return { stroke: theme.border, width: 1, dash: '4 3' };
    default:
      return { stroke: theme.border, width: 1 };
  }
}

const CardView = memo(function CardView({
  c,
  theme,
  prefix,
  parentX = 0,
  parentY = 0,
}: {
  c: CardGeom;
  theme: Theme;
  prefix: string;
  parentX?: number;
  parentY?: number;
}) {
  const s = cardStroke(c, theme);
  const inner = c.spec.kind === 'kvm_vfio';
  const fill = c.spec.hatch ? theme.dangerBg : inner ? theme.surface2 : theme.surface;
  return (
    <g
      data-node={c.spec.id}
      data-kind={c.spec.kind}
      transform={`translate(${r(c.x - parentX)},${r(c.y - parentY)})`}
    >
      <title>{c.spec.description}</title>
      {c.spec.touched && (
        <rect
          x={-4}
          y={-4}
          width={r(c.w + 8)}
          height={r(c.h + 8)}
          rx={9}
          fill="none"
          stroke={theme.accent}
          strokeWidth={2}
          strokeDasharray="5 3"
        />
      )}
      {c.spec.hatch ? (
        <>
          <rect width={r(c.w)} height={r(c.h)} rx={6} fill={`url(#${prefix}-hatch)`} />
          <rect x={6} y={6} width={r(c.w - 12)} height={r(c.h - 12)} rx={4} fill={fill} />
          <rect
            width={r(c.w)}
            height={r(c.h)}
            rx={6}
            fill="none"
            stroke={s.stroke}
            strokeWidth={s.width}
            strokeDasharray={s.dash}
          />
        </>
      ) : (
        <rect
          width={r(c.w)}
          height={r(c.h)}
          rx={6}
          fill={fill}
          stroke={s.stroke}
          strokeWidth={s.width}
          strokeDasharray={s.dash}
        />
      )}
      <text x={r(c.title.x)} y={r(c.title.y)} fill={theme.text} fontSize={c.title.size} fontWeight={700}>
        {c.title.text}
      </text>
      {c.badge && <BadgeView b={c.badge} theme={theme} />}
      <PartsView parts={c.parts} theme={theme} bg={fill} />
      {c.inner && <CardView c={c.inner} theme={theme} prefix={prefix} parentX={c.x} parentY={c.y} />}
    </g>
  );
}, sameProps);

const Legend = memo(function Legend({
  items,
  theme,
  prefix,
}: {
  items: LegendItem[];
  theme: Theme;
  prefix: string;
}) {
  return (
    <g data-layer="legend" aria-hidden="true">
      {items.map((it) => {
        const s = strokeFor(it.sample, theme);
        const y = it.y + 9;
        return (
          <g key={it.sample}>
            <path
              d={`M${r(it.x)},${r(y)} H${r(it.x + 26)}`}
              fill="none"
              stroke={s.stroke}
              strokeWidth={s.width}
              strokeDasharray={s.dash}
              markerEnd={s.arrow ? `url(#${markerId(prefix, it.sample)})` : undefined}
            />
            <text x={r(it.x + 32)} y={r(y + 4)} fill={theme.textMuted} fontSize={11}>
              {it.label}
            </text>
          </g>
        );
      })}
    </g>
  );
}, sameProps);

/**
 * Props equal in value: a step builds a new layout, but most cards, edges and
 * tags come out the same, and React then skips them (a forward step during
 * autoplay re-renders the few parts that changed). The geometry objects are
 * plain data, so comparing their JSON is exact; it costs far less than
 * reconciling the SVG of a card. Each object is serialised once (it is
 * compared as the new props, then as the old ones).
 */
const jsonOf = new WeakMap<object, string>();
function json(o: object): string {
  let j = jsonOf.get(o);
  if (j === undefined) jsonOf.set(o, (j = JSON.stringify(o)));
  return j;
}

function sameProps<P extends object>(a: P, b: P): boolean {
  const ka = Object.keys(a) as (keyof P)[];
  if (ka.length !== Object.keys(b).length) return false;
  for (const k of ka) {
    const x = a[k];
    const y = b[k];
    if (x === y) continue;
    if (typeof x !== 'object' || typeof y !== 'object' || x === null || y === null) return false;
    if (json(x) !== json(y)) return false;
  }
  return true;
}
