/**
 * Geometry of the reference-flow diagram. The VMs are on top; everything that
 * holds a pointer to a VM is below, and each pointer is an arrow from its
 * holder up to the VM it names. Two layouts of the same FlowSpec:
 *
 * - wide (width ≥ WIDE_MIN, ./flowWide.ts): the VMs side by side, then four
 *   columns that read like the path the pointer is copied along, KVM-VFIO
 *   device → group → device → driver, one row per device;
 * - narrow (phones, ./flowNarrow.ts): the VMs stacked, then a top-to-bottom
 *   tree of the holders, connected by elbow rails on the left; pointer
 *   arrows climb a margin on the right into the VM's side.
 *
 * Everything here is a pure function of its inputs.
 */
import { layoutRows, type Part, type RowInput, type TextPart } from './card.ts';
import { edgeLook, type EdgeLook } from './edgeStyle.tsx';
import type { FlowSpec } from './flowModel.ts';
import type { CardGeom, EdgeGeom, FlowLayout, LayoutOptions, LegendItem, Pt } from './flowGeom.ts';
import { Interner, objectId } from './intern.ts';
import { narrowBody } from './flowNarrow.ts';
import { wideBody } from './flowWide.ts';
import { textWidth } from './text.ts';

export type { Body, CardGeom, EdgeGeom, FlowLayout, LayoutOptions, LegendItem, Pt } from './flowGeom.ts';

export const WIDE_MIN = 600;
export const DEFAULT_WIDTH = 960;

function headerParts(flow: FlowSpec, x: number, y: number, w: number): { parts: Part[]; height: number } {
  const rows: RowInput[] = [];
  const step = flow.step;
  rows.push({ label: 'era', text: flow.eraTitle, bold: true, size: 12 });
  if (step)
    rows.push({
      text: `step ${step.n} · ${step.text}`,
      size: 12,
      tone: step.blocked ? 'warn' : 'normal',
      icon: step.blocked ? 'blocked' : undefined,
    });
  else rows.push({ text: 'initial state', size: 12, tone: 'muted' });
  return layoutRows(rows, x, y, w);
}

function bannerParts(
  flow: FlowSpec,
  x: number,
  y: number,
  w: number,
): { parts: Part[]; height: number } | null {
  if (flow.violations.length === 0) return null;
  const shown = flow.violations.slice(0, 3);
  const rows: RowInput[] = [];
  for (const v of shown) {
    rows.push({
      text: `VIOLATION · step ${v.step} · ${v.kind} in ${v.at} (thread ${v.thread})`,
      tone: 'danger',
      bold: true,
      icon: 'warning',
      size: 12,
    });
    if (v.detail) rows.push({ text: v.detail, size: 11 });
  }
  if (flow.violations.length > shown.length)
    rows.push({ text: `and ${flow.violations.length - shown.length} more`, tone: 'muted', size: 11 });
  return layoutRows(rows, x + 10, y + 7, w - 20);
}

/** The notes under the diagram: the same for every step of a scenario in an era (laid out once per place). */
const footers = new WeakMap<FlowSpec['notes'], Map<string, { parts: Part[]; height: number }>>();
function footerParts(flow: FlowSpec, x: number, y: number, w: number): { parts: Part[]; height: number } {
  let at = footers.get(flow.notes);
  if (!at) footers.set(flow.notes, (at = new Map()));
  const key = `${x},${y},${w}`;
  let f = at.get(key);
  if (!f) at.set(key, (f = layoutFooter(flow, x, y, w)));
  return f;
}

function layoutFooter(flow: FlowSpec, x: number, y: number, w: number): { parts: Part[]; height: number } {
  const rows: RowInput[] = flow.notes.map((n) => ({
    label: `[${n.n}] ${n.label}`,
    text: n.text,
    size: 11,
    tone: 'normal',
  }));
  return layoutRows(rows, x, y, w);
}

const LEGEND: { sample: EdgeLook; label: string; always?: boolean }[] = [
  { sample: 'counted', label: 'counted ref → VM', always: true },
  { sample: 'pointer', label: 'raw pointer → VM', always: true },
  { sample: 'dying', label: '→ dying VM' },
  { sample: 'dangling', label: 'dangling → freed VM' },
  { sample: 'refonly', label: 'ref kept, pointer elsewhere' },
  { sample: 'copy', label: 'copied along', always: true },
  { sample: 'notifier', label: 'SET_KVM notifier' },
  { sample: 'listed', label: 'listed by KVM-VFIO' },
];

/** The legend: the pointer kinds every diagram has, and the others only when they are drawn. */
function legendItems(
  flow: FlowSpec,
  x: number,
  y: number,
  w: number,
): { items: LegendItem[]; height: number } {
  const present = new Set(flow.edges.map(edgeLook));
  const items: LegendItem[] = [];
  let cx = x;
  let cy = y;
  for (const l of LEGEND) {
    if (!l.always && !present.has(l.sample)) continue;
    const iw = 30 + textWidth(l.label, 11) + 18;
    if (cx > x && cx + iw > x + w) {
      cx = x;
      cy += 18;
    }
    items.push({ x: cx, y: cy, sample: l.sample, label: l.label });
    cx += iw;
  }
  return { items, height: cy - y + 18 };
}

function usersPoint(c: CardGeom, vmId: string): Pt {
  const p = c.parts.find((q) => q.kind === 'text' && q.anim === `users:${vmId}`) as TextPart | undefined;
  if (!p) return [c.x + c.w / 2, c.y + 30];
  return [c.x + p.x + textWidth(p.text, p.size, p.bold) / 2, c.y + p.y - p.size / 2];
}

const edgeGeoms = new Interner<EdgeGeom>();
/** No header (caption off): one empty list, never mutated. */
const NO_PARTS: Part[] = [];

export function layoutFlow(flow: FlowSpec, opts: LayoutOptions = {}): FlowLayout {
  const width = Math.max(280, Math.round(opts.width ?? DEFAULT_WIDTH));
  const mode: FlowLayout['mode'] = width >= WIDE_MIN ? 'wide' : 'narrow';
  const pad = mode === 'wide' ? 16 : 12;
  const caption = opts.caption ?? true;
  let y = pad;
  let header: Part[] = NO_PARTS;
  if (caption) {
    const h = headerParts(flow, pad, y, width - 2 * pad);
    header = h.parts;
    y += h.height + 8;
  }
  let banner: FlowLayout['banner'] = null;
  const b = (opts.banner ?? true) ? bannerParts(flow, pad, y, width - 2 * pad) : null;
  if (b) {
    banner = { x: pad, y, w: width - 2 * pad, h: b.height + 14, parts: b.parts };
    y += b.height + 14 + 10;
  }
  const body = mode === 'wide' ? wideBody(flow, width, pad, y) : narrowBody(flow, width, pad, y);
  y = body.bottom + 14;
  const footer = footerParts(flow, pad, y, width - 2 * pad);
  if (footer.parts.length) y += footer.height + 8;
  let legend: LegendItem[] = [];
  if (opts.legend ?? true) {
    const l = legendItems(flow, pad, y, width - 2 * pad);
    legend = l.items;
    y += l.height;
  }
  const anchors: FlowLayout['anchors'] = {};
  const usersAt: FlowLayout['usersAt'] = {};
  for (const c of body.cards) {
    anchors[c.spec.id] = body.anchor(c);
    if (c.spec.kind === 'vm') usersAt[c.spec.id.slice(3)] = usersPoint(c, c.spec.id.slice(3));
  }
  return {
    width,
    height: Math.ceil(y + pad - 4),
    mode,
    header,
    banner,
    cards: body.cards,
    // Interned (./intern.ts): an edge this step left where it was is the object the last step drew.
    edges: body.edges.map((e) =>
      edgeGeoms.get(
        e,
        `${objectId(e.spec)}|${e.d}|${e.mid[0]},${e.mid[1]}|${e.tag ? `${e.tag.x},${e.tag.y},${e.tag.w},${e.tag.text}` : ''}`,
      ),
    ),
    footer: footer.parts,
    legend,
    anchors,
    usersAt,
  };
}
