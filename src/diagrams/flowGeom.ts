/**
 * The reference flow's geometry types and the helpers both layouts share:
 * cards of a given width, placed; path data; orthogonal arrows with rounded
 * corners.
 */
import {
  CARD_PAD_X,
  CARD_PAD_Y,
  layoutRows,
  layoutTitle,
  type BadgeGeom,
  type Part,
  type RowInput,
  type TextPart,
} from './card.ts';
import type { EdgeLook } from './edgeStyle.tsx';
import type { EdgeSpec, FlowSpec, NodeSpec } from './flowModel.ts';
import { textWidth } from './text.ts';

export type Pt = [number, number];

export interface CardGeom {
  spec: NodeSpec;
  /** Absolute top-left. */
  x: number;
  y: number;
  w: number;
  h: number;
  title: TextPart;
  badge: BadgeGeom | null;
  /** Relative to (x, y). */
  parts: Part[];
  /** A card nested in this one (absolute coordinates). */
  inner?: CardGeom;
}

export interface EdgeGeom {
  spec: EdgeSpec;
  d: string;
  /** Where a mid-edge glyph goes. */
  mid: Pt;
  /** A label centred on (x, y). */
  tag: { x: number; y: number; w: number; text: string } | null;
}

export interface LegendItem {
  x: number;
  y: number;
  sample: EdgeLook;
  label: string;
}

export interface FlowLayout {
  width: number;
  height: number;
  mode: 'wide' | 'narrow';
  /** Era + step line and the step's narration. */
  header: Part[];
  banner: { x: number; y: number; w: number; h: number; parts: Part[] } | null;
  cards: CardGeom[];
  edges: EdgeGeom[];
  footer: Part[];
  legend: LegendItem[];
  /** Absolute anchor points per node id, for step animations. */
  anchors: Record<string, { in: Pt; out: Pt; center: Pt }>;
  /** Where each VM's users_count value is drawn. */
  usersAt: Record<string, Pt>;
}

export interface LayoutOptions {
  width?: number;
  /** Draw the era/step header and the step narration (default true). */
  caption?: boolean;
  /** Name the violations so far in a banner over the flow (default true). */
  banner?: boolean;
  legend?: boolean;
}

export interface Body {
  cards: CardGeom[];
  edges: EdgeGeom[];
  bottom: number;
  anchor: (c: CardGeom) => { in: Pt; out: Pt; center: Pt };
}

export function r1(n: number): number {
  return Math.round(n * 10) / 10;
}
/** Path data with one decimal. */
export function fmt(d: string | null): string {
  return (d ?? '').replace(/-?\d+\.\d+/g, (m) => String(r1(Number(m))));
}

function noteRows(spec: NodeSpec, flow: FlowSpec): RowInput[] {
  return spec.notes.map((n) => {
    const note = flow.notes.find((x) => x.n === n)!;
    return {
      text: `${note.label} [${n}]`,
      tone: 'accent',
      size: 11,
      boxed: 'dotted',
      icon: 'inferred',
      bold: true,
    };
  });
}

/**
 * A card of width `w` for a node, unplaced. With `twoColumns` (a wide card
 * whose node says where its second column starts) the rows are set in two
 * columns side by side.
 */
export function buildCard(
  spec: NodeSpec,
  flow: FlowSpec,
  w: number,
  twoColumns = false,
): Omit<CardGeom, 'x' | 'y'> {
  // Once per (interned) node, width and notes: a card the step did not change keeps its layout.
  const key = `${w}|${twoColumns ? 1 : 0}|${spec.notes.map((n) => flow.notes.find((x) => x.n === n)?.label).join('|')}`;
  let byKey = cards.get(spec);
  if (!byKey) cards.set(spec, (byKey = new Map()));
  let c = byKey.get(key);
  if (!c) byKey.set(key, (c = layoutCard(spec, flow, w, twoColumns)));
  return c;
}

const cards = new WeakMap<NodeSpec, Map<string, Omit<CardGeom, 'x' | 'y'>>>();
const placed = new WeakMap<object, Map<string, CardGeom>>();

function layoutCard(
  spec: NodeSpec,
  flow: FlowSpec,
  w: number,
  twoColumns: boolean,
): Omit<CardGeom, 'x' | 'y'> {
  const innerW = w - 2 * CARD_PAD_X;
  const t = layoutTitle(spec, CARD_PAD_X, CARD_PAD_Y, innerW);
  const top = CARD_PAD_Y + t.height + 2;
  const all = [...spec.rows, ...noteRows(spec, flow)];
  const split = twoColumns && spec.split !== undefined && spec.split > 0 ? spec.split : 0;
  let parts: Part[];
  let height: number;
  if (split) {
    const colW = (innerW - 16) / 2;
    const a = layoutRows(all.slice(0, split), CARD_PAD_X, top, colW);
    const b = layoutRows(all.slice(split), CARD_PAD_X + colW + 16, top, colW);
    parts = [...a.parts, ...b.parts];
    height = Math.max(a.height, b.height);
  } else {
    const rows = layoutRows(all, CARD_PAD_X, top, innerW);
    parts = rows.parts;
    height = rows.height;
  }
  return {
    spec,
    w,
    h: top + height + CARD_PAD_Y,
    title: t.title,
    badge: t.badge,
    parts,
  };
}

/** The card at (x, y): the same object for the same card at the same place (React then skips it). */
export function place(c: Omit<CardGeom, 'x' | 'y'>, x: number, y: number): CardGeom {
  let at = placed.get(c);
  if (!at) placed.set(c, (at = new Map()));
  const key = `${x},${y}`;
  let p = at.get(key);
  if (!p) at.set(key, (p = { ...c, x, y }));
  return p;
}

/**
 * Path data for a horizontal link (a cubic whose control points sit halfway
 * across, d3-shape's linkHorizontal) and for a polyline: written here so that
 * the first view's diagram needs no d3 (the step animation, loaded later, has it).
 */
export function linkPath(s: Pt, t: Pt): string {
  const mx = (s[0] + t[0]) / 2;
  return `M${s[0]},${s[1]}C${mx},${s[1]},${mx},${t[1]},${t[0]},${t[1]}`;
}

export function polyline(pts: readonly Pt[]): string {
  return `M${pts.map((p) => `${p[0]},${p[1]}`).join('L')}`;
}

/** An orthogonal polyline through `pts` with corners rounded by `radius`. */
export function roundedPath(pts: readonly Pt[], radius = 6): string {
  const p = pts.filter((q, i) => i === 0 || q[0] !== pts[i - 1]![0] || q[1] !== pts[i - 1]![1]);
  if (p.length === 0) return '';
  let d = `M${r1(p[0]![0])},${r1(p[0]![1])}`;
  for (let i = 1; i < p.length; i++) {
    const [x, y] = p[i]!;
    const next = p[i + 1];
    if (!next) {
      d += ` L${r1(x)},${r1(y)}`;
      break;
    }
    const [px, py] = p[i - 1]!;
    const inLen = Math.hypot(x - px, y - py);
    const outLen = Math.hypot(next[0] - x, next[1] - y);
    const k = Math.min(radius, inLen / 2, outLen / 2);
    const ax = x - ((x - px) / (inLen || 1)) * k;
    const ay = y - ((y - py) / (inLen || 1)) * k;
    const bx = x + ((next[0] - x) / (outLen || 1)) * k;
    const by = y + ((next[1] - y) / (outLen || 1)) * k;
    d += ` L${r1(ax)},${r1(ay)} Q${r1(x)},${r1(y)} ${r1(bx)},${r1(by)}`;
  }
  return d;
}

/** A tag for an edge, centred on (x, y), or null when the edge has none. */
export function tagAt(e: EdgeSpec, x: number, y: number): EdgeGeom['tag'] {
  if (!e.tag) return null;
  return { x, y, w: textWidth(e.tag, 11, true) + 8, text: e.tag };
}
