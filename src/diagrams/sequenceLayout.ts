/**
 * Geometry of the sequence chart: one lane per thread, one band per
 * micro-step (d3-scale's band scale), the op spans, blocked spans and
 * violation labels placed; a pure function of the model and the width.
 */
import { scaleBand, scaleLinear } from 'd3-scale';
import type { SequenceModel } from './sequenceModel.ts';
import { textWidth, truncate } from './text.ts';

export const PAD = 10;
export const AXIS_H = 34;
export const LANE_H = 50;
/** Lane bands: op label 0–15, marks 17–35 (bottom at MARK_BOTTOM), blocked bar 39–45. */
export const MARK_BOTTOM = 35;
export const BAR_Y = 39;

export interface OpGeom {
  /** Boundary x and lane top. */
  x0: number;
  ly: number;
  /** The label that fits ('' when none does). */
  label: string;
  bad: boolean;
}

export interface BlockGeom {
  x0: number;
  ly: number;
  w: number;
  text: string;
  fits: boolean;
}

export interface ViolationLabelGeom {
  n: number;
  x: number;
  y: number;
  text: string;
}

export interface SequenceLayout {
  labelW: number;
  /** The width asked for; `width` is more when the steps need more room. */
  wanted: number;
  width: number;
  height: number;
  lanesTop: number;
  lanesH: number;
  plotW: number;
  /** Left edge of step n's band, its width, and the distance between bands. */
  xOf: (n: number) => number;
  bw: number;
  step: number;
  /** Centre of step n's band. */
  cx: (n: number) => number;
  laneY: (thread: string) => number;
  ticks: number[];
  ops: OpGeom[];
  blocks: BlockGeom[];
  violationLabels: ViolationLabelGeom[];
}

export interface SequenceLayoutOptions {
  width?: number;
  minStepWidth?: number;
}

export function layoutSequence(
  model: SequenceModel,
  threads: readonly string[],
  total: number,
  opts: SequenceLayoutOptions = {},
): SequenceLayout {
  const labelW = Math.max(48, ...threads.map((t) => textWidth(t, 12, true) + 26));
  const minStep = opts.minStepWidth ?? 8;
  const wanted = Math.max(320, Math.round(opts.width ?? 960));
  // A thread still blocked at the end gets a tail to the right of the last step, labelled.
  const tail = model.blocks.some((b) => b.to === null)
    ? textWidth('blocked, never resumes', 11, true) + 16
    : 0;
  const plotW = Math.max(wanted - labelW - 2 * PAD - tail, (total + 1) * minStep);
  const width = Math.round(labelW + 2 * PAD + plotW + tail);
  const lanesTop = AXIS_H;
  const lanesH = threads.length * LANE_H;
  const height = lanesTop + lanesH + (model.violations.size ? 24 : 8);
  const x = scaleBand<number>()
    .domain(Array.from({ length: total + 1 }, (_, i) => i))
    .range([labelW + PAD, labelW + PAD + plotW])
    .paddingInner(0.2)
    .paddingOuter(0.1);
  const bw = x.bandwidth();
  const step = x.step();
  const xOf = (n: number) => x(n) ?? 0;
  const cx = (n: number) => xOf(n) + bw / 2;
  const laneY = (t: string) => lanesTop + Math.max(0, threads.indexOf(t)) * LANE_H;
  const ticks = scaleLinear()
    .domain([1, Math.max(1, total)])
    .ticks(Math.max(2, Math.floor(plotW / 70)))
    .filter((t) => Number.isInteger(t) && t >= 1 && t <= total);

  const ops = model.ops.map((o, i): OpGeom => {
    const x0 = xOf(o.start) - (step - bw) / 2;
    const next = model.ops.find((p, j) => j > i && p.thread === o.thread);
    const xEnd = next ? xOf(next.start) - (step - bw) / 2 : labelW + PAD + plotW;
    const label = `${o.label}${o.result && o.result !== '0' ? ` → ${o.result}` : ''}`;
    const room = xEnd - x0 - 6;
    return {
      x0,
      ly: laneY(o.thread),
      label: room >= 24 ? truncate(label, room, 11) : '',
      bad: o.status === 'crashed' || (o.result !== null && o.result.startsWith('-')),
    };
  });
  const blocks = model.blocks.map((b): BlockGeom => {
    const x0 = xOf(b.from) + bw;
    const x1 = b.to !== null ? xOf(b.to) : labelW + PAD + plotW + tail;
    const w = Math.max(2, x1 - x0);
    const text = b.to === null ? 'blocked, never resumes' : 'blocked';
    return { x0, ly: laneY(b.thread), w, text, fits: textWidth(text, 11, true) + 8 <= w };
  });
  const violationLabels = [...model.violations].map(([n, vs]): ViolationLabelGeom => {
    const text = vs.map((v) => v.kind).join(', ');
    const tw = textWidth(text, 11, true) + 16;
    return {
      n,
      x: Math.min(Math.max(cx(n) - tw / 2, labelW), width - PAD - tw),
      y: lanesTop + lanesH + 4,
      text,
    };
  });
  return {
    labelW,
    wanted,
    width,
    height,
    lanesTop,
    lanesH,
    plotW,
    xOf,
    bw,
    step,
    cx,
    laneY,
    ticks,
    ops,
    blocks,
    violationLabels,
  };
}

/** Where the "step n" label of the cursor goes. */
export function cursorLabel(lay: SequenceLayout, cur: number): { x: number; w: number; text: string } {
  const text = cur === 0 ? 'start' : `step ${cur}`;
  const w = textWidth(text, 11, true) + 10;
  const x = Math.min(Math.max(lay.xOf(cur) + lay.bw / 2 - w / 2, lay.labelW + 2), lay.width - w - 2);
  return { x, w, text };
}
