/**
 * SequenceChart: the run's micro-steps as one lane per thread, one mark per
 * micro-step, op boundaries (with the op's result), blocked spans, violations,
 * and the current step. With `onSelect` it is a keyboard-operable listbox
 * (roving tabindex; selection follows focus):
 *
 *   ← / →        previous / next micro-step        Home / End   first / last
 *   ↑ / ↓        nearest step of the lane above / below
 *   PageUp/Down  10 steps back / forward            Enter/Space  select
 *
 * Handled keys are not propagated, so the page's own ← / → shortcuts do not
 * fire twice while the chart has focus.
 */
import {
  memo,
  useCallback,
  useEffect,
  useLayoutEffect,
  useMemo,
  useRef,
  useState,
  type KeyboardEvent,
} from 'react';
import { scaleBand, scaleLinear } from 'd3-scale';
import type { Violation } from '../model/types.ts';
import type { StepView } from '../model/view.ts';
import { Icon, r } from './icons.tsx';
import { idMaker, useIdPrefix } from './ids.ts';
import { textWidth, truncate } from './text.ts';
import { resolveTheme, type Theme, type ThemeName } from './theme.ts';

/** What the chart needs of a StepView (a StepView is one). */
export type SequenceStep = Pick<
  StepView,
  'n' | 'thread' | 'text' | 'blocked' | 'violations' | 'opStart' | 'opDone'
> & {
  effects?: StepView['effects'];
};

export interface SequenceChartProps {
  /** All micro-steps of the run, in order (steps[i].n === i + 1). */
  steps: readonly SequenceStep[];
  /** Thread ids, one lane each, in this order. */
  threads: readonly string[];
  /** The current state: 0 = initial state, n = after micro-step n. */
  current: number;
  /** Called with the step to go to (click, keyboard). Without it the chart is a static image. */
  onSelect?: (n: number) => void;
  /** Op labels by scenario step index ("open_device(D)"), e.g. `scenario.steps.map(opLabel)`. */
  opLabels?: readonly string[];
  /** Violations not attached to a micro-step (e.g. `run.violations`, which adds end-of-run ones). */
  violations?: readonly Violation[];
  theme?: ThemeName | Theme;
  /** Width in CSS px (default 960). If the steps need more room the SVG is wider: put it in an overflow-x container. */
  width?: number;
  /** Minimum width of one step's column (default 8). */
  minStepWidth?: number;
  idPrefix?: string;
  /** Accessible name (default "Micro-steps by thread"). */
  label?: string;
}

const PAD = 10;
const AXIS_H = 34;
const LANE_H = 50;
/** Lane bands: op label 0–15, marks 17–35 (bottom at MARK_BOTTOM), blocked bar 39–45. */
const MARK_BOTTOM = 35;
const BAR_Y = 39;

interface OpSpan {
  thread: string;
  start: number;
  end: number | null;
  label: string;
  result: string | null;
  status: 'done' | 'crashed' | 'running';
}

interface BlockSpan {
  thread: string;
  from: number;
  to: number | null;
}

function resultText(v: unknown): string {
  return v === null || v === undefined ? '' : String(v);
}

export function sequenceModel(
  steps: readonly SequenceStep[],
  threads: readonly string[],
  opLabels: readonly string[] = [],
  extra: readonly Violation[] = [],
) {
  const ops: OpSpan[] = [];
  const open = new Map<string, OpSpan>();
  const blocks: BlockSpan[] = [];
  const openBlock = new Map<string, BlockSpan>();
  const violations = new Map<number, { kind: string; thread: string; detail?: string }[]>();
  for (const s of steps) {
    const b = openBlock.get(s.thread);
    if (b) {
      b.to = s.n;
      openBlock.delete(s.thread);
    }
    if (s.opStart !== null) {
      const span: OpSpan = {
        thread: s.thread,
        start: s.n,
        end: null,
        label: opLabels[s.opStart] ?? `op ${s.opStart + 1}`,
        result: null,
        status: 'running',
      };
      ops.push(span);
      open.set(s.thread, span);
    }
    if (s.opDone) {
      const span = open.get(s.thread);
      if (span) {
        span.end = s.n;
        span.status = s.opDone.status;
        span.result = s.opDone.status === 'crashed' ? 'crashed' : resultText(s.opDone.result);
        open.delete(s.thread);
      }
    }
    if (s.blocked) {
      const nb: BlockSpan = { thread: s.thread, from: s.n, to: null };
      blocks.push(nb);
      openBlock.set(s.thread, nb);
    }
    for (const v of s.violations) {
      if (!violations.has(s.n)) violations.set(s.n, []);
      violations.get(s.n)!.push({ kind: v.kind, thread: v.thread, detail: v.detail });
    }
  }
  for (const v of extra) {
    const list = violations.get(v.step) ?? [];
    if (!list.some((x) => x.kind === v.kind && x.thread === v.thread)) {
      list.push({ kind: v.kind, thread: v.thread, detail: v.detail });
      violations.set(v.step, list);
    }
  }
  const known = new Set(threads);
  return {
    ops: ops.filter((o) => known.has(o.thread)),
    blocks: blocks.filter((b) => known.has(b.thread)),
    violations,
  };
}

/** The step a key moves to from step `from` (0 … steps.length), or null for keys the chart ignores. */
export function keyTarget(
  key: string,
  from: number,
  steps: readonly Pick<SequenceStep, 'n' | 'thread'>[],
  threads: readonly string[],
): number | null {
  const total = steps.length;
  const clamp = (n: number) => Math.max(0, Math.min(total, n));
  const nearestInLane = (dir: -1 | 1): number => {
    const lane = from === 0 ? (dir > 0 ? -1 : threads.length) : threads.indexOf(steps[from - 1]!.thread);
    const t = threads[lane + dir];
    if (t === undefined) return from;
    let best = from;
    let dist = Infinity;
    for (const s of steps)
      if (s.thread === t) {
        // nearest step of that thread; on a tie, the later one
        const d = Math.abs(s.n - from) + (s.n < from ? 0.5 : 0);
        if (d < dist) {
          dist = d;
          best = s.n;
        }
      }
    return best;
  };
  switch (key) {
    case 'ArrowRight':
      return clamp(from + 1);
    case 'ArrowLeft':
      return clamp(from - 1);
    case 'Home':
      return 0;
    case 'End':
      return total;
    case 'PageDown':
      return clamp(from + 10);
    case 'PageUp':
      return clamp(from - 10);
    case 'ArrowDown':
      return nearestInLane(1);
    case 'ArrowUp':
      return nearestInLane(-1);
    case 'Enter':
    case ' ':
      return clamp(from);
    default:
      return null;
  }
}

function optionLabel(
  n: number,
  s: SequenceStep | undefined,
  viol: { kind: string }[] | undefined,
  total: number,
): string {
  if (n === 0 || !s) return `Initial state (before step 1 of ${total})`;
  const text = s.text.startsWith(`${s.thread}: `) ? s.text.slice(s.thread.length + 2) : s.text;
  const parts = [`Step ${n} of ${total}, thread ${s.thread}: ${text}`];
  if (s.blocked) parts.push('the thread blocks here');
  if (viol?.length) parts.push(`violation: ${viol.map((v) => v.kind).join(', ')}`);
  return parts.join('; ');
}

export function SequenceChart(props: SequenceChartProps) {
  const { steps, threads, current, onSelect } = props;
  const theme = resolveTheme(props.theme);
  const prefix = useIdPrefix(props.idPrefix, 'seq');
  const id = idMaker(prefix);
  const total = steps.length;
  const model = useMemo(
    () => sequenceModel(steps, threads, props.opLabels, props.violations),
    [steps, threads, props.opLabels, props.violations],
  );

  // Everything but the current step is memoized: during autoplay a step re-renders only the cursor and two marks.
  const g = useMemo(() => {
    const labelW = Math.max(48, ...threads.map((t) => textWidth(t, 12, true) + 26));
    const minStep = props.minStepWidth ?? 8;
    const wanted = Math.max(320, Math.round(props.width ?? 960));
    // A thread still blocked at the end gets a tail to the right of the last step, labelled.
    const tail = model.blocks.some((b) => b.to === null)
      ? textWidth('blocked, never resumes', 11, true) + 16
      : 0;
    const plotW = Math.max(wanted - labelW - 2 * PAD - tail, (total + 1) * minStep);
    const width = Math.round(labelW + 2 * PAD + plotW + tail);
    const lanesTop = AXIS_H;
    const height = lanesTop + threads.length * LANE_H + (model.violations.size ? 24 : 8);
    const x = scaleBand<number>()
      .domain(Array.from({ length: total + 1 }, (_, i) => i))
      .range([labelW + PAD, labelW + PAD + plotW])
      .paddingInner(0.2)
      .paddingOuter(0.1);
    const bw = x.bandwidth();
    const step = x.step();
    const cx = (n: number) => (x(n) ?? 0) + bw / 2;
    const laneY = (t: string) => lanesTop + Math.max(0, threads.indexOf(t)) * LANE_H;
    const ticks = scaleLinear()
      .domain([1, Math.max(1, total)])
      .ticks(Math.max(2, Math.floor(plotW / 70)))
      .filter((t) => Number.isInteger(t) && t >= 1 && t <= total);
    return { labelW, wanted, tail, plotW, width, lanesTop, height, x, bw, step, cx, laneY, ticks };
  }, [steps, threads, model, props.minStepWidth, props.width, total]);
  const { labelW, wanted, tail, plotW, width, lanesTop, height, x, bw, step, cx, laneY, ticks } = g;
  const cur = Math.max(0, Math.min(total, current));
  const interactive = !!onSelect;

  // Keyboard: roving tabindex; focus follows the selection.
  const svgRef = useRef<SVGSVGElement>(null);
  const pendingFocus = useRef<number | null>(null);
  const [focused, setFocused] = useState<number | null>(null);
  useEffect(() => {
    if (pendingFocus.current === null) return;
    const n = pendingFocus.current;
    if (n !== cur) return;
    pendingFocus.current = null;
    const el = svgRef.current?.querySelector<SVGGElement>(`[data-n="${n}"]`);
    el?.focus();
  }, [cur]);

  const go = (n: number) => {
    const t = Math.max(0, Math.min(total, n));
    if (t === cur) {
      svgRef.current?.querySelector<SVGGElement>(`[data-n="${t}"]`)?.focus();
      return;
    }
    pendingFocus.current = t;
    onSelect?.(t);
  };
  const goRef = useRef(go);
  useLayoutEffect(() => {
    goRef.current = go;
  });
  const pick = useCallback((n: number) => goRef.current(n), []);

  const onKeyDown = (e: KeyboardEvent<SVGGElement>) => {
    const to = keyTarget(e.key, focused ?? cur, steps, threads);
    if (to === null) return;
    e.preventDefault();
    e.stopPropagation();
    go(to);
  };

  const description = useMemo(
    () =>
      `${total} micro-steps in ${threads.length} thread${threads.length === 1 ? '' : 's'} (${threads.join(', ')}). ` +
      model.ops
        .map(
          (o) =>
            `${o.thread}: ${o.label} from step ${o.start}${o.end !== null ? ` to ${o.end}${o.result ? `, ${o.result === 'crashed' ? 'crashed' : `returns ${o.result}`}` : ''}` : ', never finishes'}.`,
        )
        .join(' ') +
      (model.blocks.length
        ? ' ' +
          model.blocks
            .map((b) => `${b.thread} blocked from step ${b.from}${b.to ? ` to ${b.to}` : ' to the end'}.`)
            .join(' ')
        : '') +
      [...model.violations]
        .map(([n, vs]) => ` Violation at step ${n}: ${vs.map((v) => `${v.kind} (${v.thread})`).join(', ')}.`)
        .join('') +
      (interactive ? ' Use the arrow keys to move between steps.' : ''),
    [model, steps, threads, total, interactive],
  );
  const labels = useMemo(
    () =>
      Array.from({ length: total + 1 }, (_, n) =>
        optionLabel(n, n === 0 ? undefined : steps[n - 1], model.violations.get(n), total),
      ),
    [steps, model, total],
  );
  // id() is a pure function of prefix.
  const staticLayers = useMemo(
    () => (
      <>
        <defs>
          <pattern
            id={id('blocked')}
            width={6}
            height={6}
            patternUnits="userSpaceOnUse"
            patternTransform="rotate(45)"
          >
            <rect width={6} height={6} fill={theme.warnBg} />
            <rect width={2} height={6} fill={theme.warn} />
          </pattern>
        </defs>
        <rect width={width} height={height} fill={theme.bg} />

        {/* lanes */}
        {threads.map((t, i) => (
          <g key={t} data-lane={t}>
            <rect
              x={0}
              y={lanesTop + i * LANE_H}
              width={width}
              height={LANE_H}
              fill={i % 2 ? theme.bg : theme.surface}
            />
            <rect
              x={PAD}
              y={lanesTop + i * LANE_H + 12}
              width={4}
              height={LANE_H - 24}
              rx={1}
              fill={theme.threads[i % theme.threads.length]}
            />
            <text
              x={PAD + 10}
              y={lanesTop + i * LANE_H + LANE_H / 2 + 5}
              fill={theme.text}
              fontSize={12}
              fontWeight={700}
            >
              {t}
            </text>
          </g>
        ))}

        {/* axis */}
        <g data-layer="axis" aria-hidden="true">
          <text x={PAD} y={14} fill={theme.textMuted} fontSize={11}>
            step
          </text>
          {ticks.map((t) => (
            <g key={t}>
              <path d={`M${r(cx(t))},${AXIS_H - 8} V${AXIS_H}`} stroke={theme.border} strokeWidth={1} />
              <text x={r(cx(t))} y={AXIS_H - 12} fill={theme.textMuted} fontSize={11} textAnchor="middle">
                {t}
              </text>
            </g>
          ))}
        </g>

        {/* op spans */}
        <g data-layer="ops" aria-hidden="true">
          {model.ops.map((o, i) => {
            const ly = laneY(o.thread);
            const x0 = (x(o.start) ?? 0) - (step - bw) / 2;
            const next = model.ops.find((p, j) => j > i && p.thread === o.thread);
            const xEnd = next ? (x(next.start) ?? 0) - (step - bw) / 2 : labelW + PAD + plotW;
            const label = `${o.label}${o.result && o.result !== '0' ? ` → ${o.result}` : ''}`;
            const room = xEnd - x0 - 6;
            const shown = room >= 24 ? truncate(label, room, 11) : '';
            const bad = o.status === 'crashed' || (o.result !== null && o.result.startsWith('-'));
            return (
              <g key={i}>
                <path
                  d={`M${r(x0)},${ly + 4} V${ly + LANE_H - 4}`}
                  stroke={theme.textMuted}
                  strokeWidth={1.25}
                />
                {shown && (
                  <text
                    x={r(x0 + 3)}
                    y={ly + 13}
                    fill={bad ? theme.danger : theme.textMuted}
                    fontSize={11}
                    fontWeight={bad ? 700 : undefined}
                  >
                    {shown}
                  </text>
                )}
              </g>
            );
          })}
        </g>

        {/* blocked spans */}
        <g data-layer="blocked" aria-hidden="true">
          {model.blocks.map((b, i) => {
            const ly = laneY(b.thread);
            const x0 = (x(b.from) ?? 0) + bw;
            const x1 = b.to !== null ? (x(b.to) ?? 0) : labelW + PAD + plotW + tail;
            const w = Math.max(2, x1 - x0);
            const text = b.to === null ? 'blocked, never resumes' : 'blocked';
            const fits = textWidth(text, 11, true) + 8 <= w;
            return (
              <g key={i}>
                <rect
                  x={r(x0)}
                  y={ly + BAR_Y}
                  width={r(w)}
                  height={6}
                  fill={`url(#${id('blocked')})`}
                  stroke={theme.warn}
                  strokeWidth={1}
                />
                {fits && (
                  <text
                    x={r(x0 + 4)}
                    y={ly + MARK_BOTTOM - 4}
                    fill={theme.warn}
                    fontSize={11}
                    fontWeight={700}
                  >
                    {text}
                  </text>
                )}
              </g>
            );
          })}
        </g>
      </>
    ),
    [g, model, theme, prefix, threads],
  );
  const violationLabels = useMemo(
    () => (
      <g data-layer="violation-labels" aria-hidden="true">
        {[...model.violations].map(([n, vs]) => {
          const t = vs.map((v) => v.kind).join(', ');
          const tw = textWidth(t, 11, true) + 16;
          const tx = Math.min(Math.max(cx(n) - tw / 2, labelW), width - PAD - tw);
          const ty = lanesTop + threads.length * LANE_H + 4;
          return (
            <g key={n}>
              <Icon kind="warning" x={tx} y={ty + 2} size={12} color={theme.danger} bg={theme.bg} />
              <text x={r(tx + 16)} y={r(ty + 13)} fill={theme.danger} fontSize={11} fontWeight={700}>
                {t}
              </text>
            </g>
          );
        })}
      </g>
    ),
    [g, model, theme, threads],
  );
  const options = Array.from({ length: total + 1 }, (_, n) => n);
  const curX = x(cur) ?? 0;
  const curLabel = cur === 0 ? 'start' : `step ${cur}`;
  const curLabelW = textWidth(curLabel, 11, true) + 10;
  const curLabelX = Math.min(Math.max(curX + bw / 2 - curLabelW / 2, labelW + 2), width - curLabelW - 2);

  return (
    <svg
      ref={svgRef}
      xmlns="http://www.w3.org/2000/svg"
      width={width}
      height={height}
      viewBox={`0 0 ${width} ${height}`}
      role={interactive ? 'group' : 'img'}
      aria-labelledby={id('title')}
      aria-describedby={id('desc')}
      fontFamily={theme.fontSans}
      data-diagram="sequence"
      data-current={cur}
      data-current-x={r(cx(cur))}
      data-scroll={width > wanted ? 'true' : undefined}
      data-theme={theme.name}
    >
      <title id={id('title')}>{`${props.label ?? 'Micro-steps by thread'} — step ${cur} of ${total}`}</title>
      <desc id={id('desc')}>{description}</desc>
      {staticLayers}

      {/* current step */}
      <g data-layer="current" aria-hidden="true">
        <rect
          x={r(curX - 1.5)}
          y={lanesTop - 2}
          width={r(bw + 3)}
          height={threads.length * LANE_H + 4}
          fill={theme.accent}
          fillOpacity={0.18}
          stroke={theme.accent}
          strokeWidth={1.5}
        />
        <rect x={r(curLabelX)} y={2} width={r(curLabelW)} height={16} rx={4} fill={theme.accent} />
        <text x={r(curLabelX + 5)} y={14} fill={theme.bg} fontSize={11} fontWeight={700}>
          {curLabel}
        </text>
      </g>

      {/* marks, one option per step */}
      <g
        role={interactive ? 'listbox' : undefined}
        aria-label={interactive ? (props.label ?? 'Micro-steps by thread') : undefined}
        aria-orientation={interactive ? 'horizontal' : undefined}
        onKeyDown={interactive ? onKeyDown : undefined}
        onBlur={interactive ? () => setFocused(null) : undefined}
      >
        {options.map((n) => {
          const s = n === 0 ? undefined : steps[n - 1];
          const laneIdx = s ? threads.indexOf(s.thread) : -1;
          return (
            <StepOption
              key={n}
              n={n}
              label={labels[n]!}
              interactive={interactive}
              selected={n === cur}
              past={n <= cur}
              focused={focused === n}
              x={x(n) ?? 0}
              bw={bw}
              step={step}
              lanesTop={lanesTop}
              lanesH={threads.length * LANE_H}
              laneY={s ? laneY(s.thread) : lanesTop}
              kind={!s ? 'start' : s.blocked ? 'blocked' : 'run'}
              tall={!!s?.effects?.length}
              violation={model.violations.has(n)}
              color={laneIdx >= 0 ? theme.threads[laneIdx % theme.threads.length]! : theme.textMuted}
              theme={theme}
              onPick={pick}
              onFocusStep={setFocused}
            />
          );
        })}
      </g>
      {violationLabels}
    </svg>
  );
}

interface StepOptionProps {
  n: number;
  label: string;
  interactive: boolean;
  selected: boolean;
  past: boolean;
  focused: boolean;
  x: number;
  bw: number;
  step: number;
  lanesTop: number;
  lanesH: number;
  laneY: number;
  kind: 'start' | 'run' | 'blocked';
  tall: boolean;
  violation: boolean;
  color: string;
  theme: Theme;
  onPick: (n: number) => void;
  onFocusStep: (n: number) => void;
}

/** One micro-step: a full-height hit column, its mark in its thread's lane. Memoised: a step change re-renders a handful. */
const StepOption = memo(function StepOption(p: StepOptionProps) {
  const { n, x: xi, bw, step, theme } = p;
  const markH = p.tall ? 18 : 12;
  return (
    <g
      data-n={n}
      role={p.interactive ? 'option' : undefined}
      aria-selected={p.interactive ? p.selected : undefined}
      aria-label={p.interactive ? p.label : undefined}
      tabIndex={p.interactive ? (p.selected ? 0 : -1) : undefined}
      onClick={p.interactive ? () => p.onPick(n) : undefined}
      onFocus={p.interactive ? () => p.onFocusStep(n) : undefined}
    >
      <title>{p.label}</title>
      <rect x={r(xi - (step - bw) / 2)} y={p.lanesTop} width={r(step)} height={p.lanesH} fill="transparent" />
      {p.kind === 'blocked' && (
        <rect
          x={r(xi)}
          y={p.laneY + MARK_BOTTOM - markH}
          width={r(Math.max(1.5, bw))}
          height={markH}
          fill={theme.bg}
          stroke={p.past ? theme.warn : theme.border}
          strokeWidth={1.25}
        />
      )}
      {p.kind === 'run' && (
        <rect
          x={r(xi)}
          y={p.laneY + MARK_BOTTOM - markH}
          width={r(Math.max(1.5, bw))}
          height={markH}
          fill={p.past ? p.color : theme.border}
        />
      )}
      {p.kind === 'start' && (
        <path
          d={`M${r(xi + bw / 2)},${p.lanesTop + 4} V${p.lanesTop + p.lanesH - 4}`}
          stroke={theme.border}
          strokeWidth={1}
          strokeDasharray="2 3"
        />
      )}
      {p.violation && (
        <path
          d={`M${r(xi + bw / 2)},${p.lanesTop} V${p.lanesTop + p.lanesH}`}
          stroke={theme.danger}
          strokeWidth={1.5}
          strokeDasharray="4 3"
        />
      )}
      {p.interactive && p.focused && (
        <rect
          x={r(xi - (step - bw) / 2 - 1)}
          y={p.lanesTop - 4}
          width={r(step + 2)}
          height={p.lanesH + 8}
          fill="none"
          stroke={theme.text}
          strokeWidth={2}
          strokeDasharray="3 2"
        />
      )}
    </g>
  );
});
