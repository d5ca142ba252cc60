/**
 * SequenceChart: the run's micro-steps as one lane per thread, one mark per
 * micro-step, op boundaries (with the op's result), blocked spans, violations,
 * and the current step. Model (./sequenceModel.ts) → layout
 * (./sequenceLayout.ts) → render (here and ./sequenceParts.tsx). With
 * `onSelect` it is a keyboard-operable listbox (roving tabindex; selection
 * follows focus; the keys are in ./sequenceKeys.ts). Handled keys are not
 * propagated, so the page's own ← / → shortcuts do not fire twice while the
 * chart has focus.
 */
import {
  useCallback,
  useEffect,
  useLayoutEffect,
  useMemo,
  useRef,
  useState,
  type KeyboardEvent,
} from 'react';
import type { Violation } from '../model/types.ts';
import { r } from './icons.tsx';
import { idMaker, useIdPrefix } from './ids.ts';
import { keyTarget } from './sequenceKeys.ts';
import { cursorLabel, layoutSequence } from './sequenceLayout.ts';
import { describeSequence, optionLabel, sequenceModel, type SequenceStep } from './sequenceModel.ts';
import { OPTION_BLOCK, OptionBlock, StaticLayers, ViolationLabels } from './sequenceParts.tsx';
import { resolveTheme, type ThemeName, type Theme } from './theme.ts';

export { sequenceModel, type SequenceStep } from './sequenceModel.ts';
export { keyTarget } from './sequenceKeys.ts';

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

export function SequenceChart(props: SequenceChartProps) {
  const { steps, threads, current, onSelect, opLabels, violations, width: widthProp, minStepWidth } = props;
  const theme = resolveTheme(props.theme);
  const prefix = useIdPrefix(props.idPrefix, 'seq');
  const id = idMaker(prefix);
  const total = steps.length;
  const model = useMemo(
    () => sequenceModel(steps, threads, opLabels, violations),
    [steps, threads, opLabels, violations],
  );
  // Everything but the current step is memoized: during autoplay a step re-renders only the cursor and two marks.
  const lay = useMemo(
    () => layoutSequence(model, threads, total, { width: widthProp, minStepWidth }),
    [model, threads, total, widthProp, minStepWidth],
  );
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
    svgRef.current?.querySelector<SVGGElement>(`[data-n="${n}"]`)?.focus();
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
    () => describeSequence(model, threads, total, interactive),
    [model, threads, total, interactive],
  );
  const labels = useMemo(
    () =>
      Array.from({ length: total + 1 }, (_, n) =>
        optionLabel(n, n === 0 ? undefined : steps[n - 1], model.violations.get(n), total),
      ),
    [steps, model, total],
  );
  const blocks = useMemo(
    () => Array.from({ length: Math.ceil((total + 1) / OPTION_BLOCK) }, (_, i) => i * OPTION_BLOCK),
    [total],
  );
  const { width, height, lanesTop, lanesH, bw } = lay;
  const curX = lay.xOf(cur);
  const curLabel = cursorLabel(lay, cur);

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
      data-current-x={r(lay.cx(cur))}
      data-scroll={width > lay.wanted ? 'true' : undefined}
      data-theme={theme.name}
    >
      <title id={id('title')}>{`${props.label ?? 'Micro-steps by thread'} — step ${cur} of ${total}`}</title>
      <desc id={id('desc')}>{description}</desc>
      <StaticLayers lay={lay} threads={threads} theme={theme} blockedId={id('blocked')} />

      {/* current step */}
      <g data-layer="current" aria-hidden="true">
        <rect
          x={r(curX - 1.5)}
          y={lanesTop - 2}
          width={r(bw + 3)}
          height={lanesH + 4}
          fill={theme.accent}
          fillOpacity={0.18}
          stroke={theme.accent}
          strokeWidth={1.5}
        />
        <rect x={r(curLabel.x)} y={2} width={r(curLabel.w)} height={16} rx={4} fill={theme.accent} />
        <text x={r(curLabel.x + 5)} y={14} fill={theme.bg} fontSize={11} fontWeight={700}>
          {curLabel.text}
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
        {blocks.map((from) => {
          const to = Math.min(total, from + OPTION_BLOCK - 1);
          return (
            <OptionBlock
              key={from}
              from={from}
              to={to}
              cur={cur < from ? from - 1 : cur > to ? to + 1 : cur}
              focused={focused !== null && focused >= from && focused <= to ? focused : null}
              labels={labels}
              steps={steps}
              threads={threads}
              lay={lay}
              violations={model.violations}
              interactive={interactive}
              theme={theme}
              onPick={pick}
              onFocusStep={setFocused}
            />
          );
        })}
      </g>
      <ViolationLabels lay={lay} theme={theme} />
    </svg>
  );
}
