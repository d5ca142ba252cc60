/** The sequence chart's drawn parts: the layers that change only with the run, and one step's option. */
import { memo } from 'react';
import { Icon, r } from './icons.tsx';
import { AXIS_H, BAR_Y, LANE_H, MARK_BOTTOM, PAD, type SequenceLayout } from './sequenceLayout.ts';
import type { SequenceStep } from './sequenceModel.ts';
import type { Theme } from './theme.ts';

/** Lanes, axis, op spans and blocked spans: everything but the current step and the marks. */
export const StaticLayers = memo(function StaticLayers({
  lay,
  threads,
  theme,
  blockedId,
}: {
  lay: SequenceLayout;
  threads: readonly string[];
  theme: Theme;
  blockedId: string;
}) {
  const { width, height, lanesTop, cx } = lay;
  return (
    <>
      <defs>
        <pattern
          id={blockedId}
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
        {lay.ticks.map((t) => (
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
        {lay.ops.map((o, i) => (
          <g key={i}>
            <path
              d={`M${r(o.x0)},${o.ly + 4} V${o.ly + LANE_H - 4}`}
              stroke={theme.textMuted}
              strokeWidth={1.25}
            />
            {o.label && (
              <text
                x={r(o.x0 + 3)}
                y={o.ly + 13}
                fill={o.bad ? theme.danger : theme.textMuted}
                fontSize={11}
                fontWeight={o.bad ? 700 : undefined}
              >
                {o.label}
              </text>
            )}
          </g>
        ))}
      </g>

      {/* blocked spans */}
      <g data-layer="blocked" aria-hidden="true">
        {lay.blocks.map((b, i) => (
          <g key={i}>
            <rect
              x={r(b.x0)}
              y={b.ly + BAR_Y}
              width={r(b.w)}
              height={6}
              fill={`url(#${blockedId})`}
              stroke={theme.warn}
              strokeWidth={1}
            />
            {b.fits && (
              <text
                x={r(b.x0 + 4)}
                y={b.ly + MARK_BOTTOM - 4}
                fill={theme.warn}
                fontSize={11}
                fontWeight={700}
              >
                {b.text}
              </text>
            )}
          </g>
        ))}
      </g>
    </>
  );
});

export const ViolationLabels = memo(function ViolationLabels({
  lay,
  theme,
}: {
  lay: SequenceLayout;
  theme: Theme;
}) {
  return (
    <g data-layer="violation-labels" aria-hidden="true">
      {lay.violationLabels.map((v) => (
        <g key={v.n}>
          <Icon kind="warning" x={v.x} y={v.y + 2} size={12} color={theme.danger} bg={theme.bg} />
          <text x={r(v.x + 16)} y={r(v.y + 13)} fill={theme.danger} fontSize={11} fontWeight={700}>
            {v.text}
          </text>
        </g>
      ))}
    </g>
  );
});

export interface StepOptionProps {
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
export const StepOption = memo(function StepOption(p: StepOptionProps) {
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

/** Options per block: a step re-renders the block it leaves and the one it enters, not every option. */
export const OPTION_BLOCK = 16;

export interface OptionBlockProps {
  /** The block's first and last step (inclusive). */
  from: number;
  to: number;
  /** The current step, clamped to from − 1 … to + 1: a block the step is not in sees the same value from step to step. */
  cur: number;
  /** The focused step if it is in the block, else null. */
  focused: number | null;
  labels: readonly string[];
  steps: readonly SequenceStep[];
  threads: readonly string[];
  lay: SequenceLayout;
  /** Steps with a violation. */
  violations: ReadonlyMap<number, unknown>;
  interactive: boolean;
  theme: Theme;
  onPick: (n: number) => void;
  onFocusStep: (n: number) => void;
}

/** The options of steps from … to. Memoised: its props change only when the current or focused step enters or leaves it. */
export const OptionBlock = memo(function OptionBlock(p: OptionBlockProps) {
  const { lay, theme } = p;
  const out = [];
  for (let n = p.from; n <= p.to; n++) {
    const s = n === 0 ? undefined : p.steps[n - 1];
    const laneIdx = s ? p.threads.indexOf(s.thread) : -1;
    out.push(
      <StepOption
        key={n}
        n={n}
        label={p.labels[n]!}
        interactive={p.interactive}
        selected={n === p.cur}
        past={n <= p.cur}
        focused={p.focused === n}
        x={lay.xOf(n)}
        bw={lay.bw}
        step={lay.step}
        lanesTop={lay.lanesTop}
        lanesH={lay.lanesH}
        laneY={s ? lay.laneY(s.thread) : lay.lanesTop}
        kind={!s ? 'start' : s.blocked ? 'blocked' : 'run'}
        tall={!!s?.effects?.length}
        violation={p.violations.has(n)}
        color={laneIdx >= 0 ? theme.threads[laneIdx % theme.threads.length]! : theme.textMuted}
        theme={theme}
        onPick={p.onPick}
        onFocusStep={p.onFocusStep}
      />,
    );
  }
  return <>{out}</>;
});
