/**
 * Geometry of the reference-flow diagram. Two layouts from the same FlowSpec:
 *
 * - wide (width ≥ WIDE_MIN): four columns that read like the flow,
 *   VM + KVM-VFIO device → group → device → driver, one row per device;
 * - narrow (phones): a top-to-bottom tree, each VM followed by the groups it
 *   relates to, each group by its devices and their drivers, connected by
 *   elbow rails on the left.
 *
 * d3-shape draws the edges (linkHorizontal for the columns, line for rails
 * and the notifier detour). Everything here is a pure function of its inputs.
 */
import { curveMonotoneX, line, linkHorizontal } from 'd3-shape';
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
import type { EdgeSpec, FlowSpec, NodeSpec } from './flowModel.ts';
import { textWidth, truncate } from './text.ts';

export const WIDE_MIN = 900;
export const DEFAULT_WIDTH = 960;

type Pt = [number, number];

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
  /** The KVM-VFIO card nested in a VM card (absolute coordinates). */
  inner?: CardGeom;
}

export interface EdgeGeom {
  spec: EdgeSpec;
  d: string;
  /** Where a mid-edge glyph / tag goes. */
  mid: Pt;
  tag: { x: number; y: number; w: number; text: string } | null;
}

export interface LegendItem {
  x: number;
  y: number;
  sample: 'counted' | 'pointer' | 'null' | 'dying' | 'dangling' | 'listed';
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
  legend?: boolean;
}

const linkH = linkHorizontal();
const poly = line();
const smooth = line().curve(curveMonotoneX);

function r1(n: number): number {
  return Math.round(n * 10) / 10;
}
function fmt(d: string | null): string {
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

function buildCard(
  spec: NodeSpec,
  flow: FlowSpec,
  w: number,
  extraBottom = 0,
): Omit<CardGeom, 'x' | 'y'> & { contentH: number } {
  const innerW = w - 2 * CARD_PAD_X;
  const t = layoutTitle(spec, CARD_PAD_X, CARD_PAD_Y, innerW);
  const rows = layoutRows(
    [...spec.rows, ...noteRows(spec, flow)],
    CARD_PAD_X,
    CARD_PAD_Y + t.height + 2,
    innerW,
  );
  const contentH = CARD_PAD_Y + t.height + 2 + rows.height;
  return {
    spec,
    w,
    h: contentH + CARD_PAD_Y + extraBottom,
    title: t.title,
    badge: t.badge,
    parts: rows.parts,
    contentH,
  };
}

function place(c: Omit<CardGeom, 'x' | 'y'>, x: number, y: number): CardGeom {
  return { ...c, x, y };
}

/** VM card with its KVM-VFIO card nested at the bottom. */
function buildCluster(vm: NodeSpec, kv: NodeSpec, flow: FlowSpec, w: number, x: number, y: number): CardGeom {
  const innerW = w - 16;
  const inner = buildCard(kv, flow, innerW);
  const outer = buildCard(vm, flow, w);
  const innerY = y + outer.contentH + 6;
  const innerCard = place(inner, x + 8, innerY);
  return { ...place(outer, x, y), h: outer.contentH + 6 + inner.h + 8, inner: innerCard };
}

function spread(a: number, b: number, n: number, i: number): number {
  return a + ((b - a) * (i + 1)) / (n + 1);
}

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
    if (v.detail) rows.push({ text: v.detail, size: 12 });
  }
  if (flow.violations.length > shown.length)
    rows.push({ text: `and ${flow.violations.length - shown.length} more`, tone: 'muted', size: 11 });
  return layoutRows(rows, x + 10, y + 8, w - 20);
}

function footerParts(flow: FlowSpec, x: number, y: number, w: number): { parts: Part[]; height: number } {
  const rows: RowInput[] = flow.notes.map((n) => ({
    label: `[${n.n}] ${n.label}`,
    text: n.text,
    size: 11,
    tone: 'normal',
  }));
  return layoutRows(rows, x, y, w);
}

const LEGEND: { sample: LegendItem['sample']; label: string }[] = [
  { sample: 'counted', label: 'counted reference' },
  { sample: 'pointer', label: 'raw pointer (not counted)' },
  { sample: 'null', label: 'NULL / no pointer' },
  { sample: 'dying', label: 'points to a VM being destroyed' },
  { sample: 'dangling', label: 'dangling: points to a freed VM' },
  { sample: 'listed', label: 'listed by KVM-VFIO' },
];

function legendItems(x: number, y: number, w: number): { items: LegendItem[]; height: number } {
  const items: LegendItem[] = [];
  let cx = x;
  let cy = y;
  for (const l of LEGEND) {
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

function anchorsOf(c: CardGeom): { in: Pt; out: Pt; center: Pt } {
  return {
    in: [c.x, c.y + c.h / 2],
    out: [c.x + c.w, c.y + c.h / 2],
    center: [c.x + c.w / 2, c.y + c.h / 2],
  };
}

function usersPoint(c: CardGeom, vmId: string): Pt {
  const p = c.parts.find((q) => q.kind === 'text' && q.anim === `users:${vmId}`) as TextPart | undefined;
  if (!p) return [c.x + c.w / 2, c.y + 30];
  return [c.x + p.x + textWidth(p.text, p.size, p.bold) / 2, c.y + p.y - p.size / 2];
}

function tagFor(e: EdgeSpec, mid: Pt, room: number): EdgeGeom['tag'] {
  if (!e.tag) return null;
  const text = truncate(e.tag, Math.max(0, room - 8), 11, true);
  if (!text) return null;
  return { x: mid[0], y: mid[1], w: textWidth(text, 11, true) + 8, text };
}

export function layoutFlow(flow: FlowSpec, opts: LayoutOptions = {}): FlowLayout {
  const width = Math.max(280, Math.round(opts.width ?? DEFAULT_WIDTH));
  const mode: FlowLayout['mode'] = width >= WIDE_MIN ? 'wide' : 'narrow';
  const pad = mode === 'wide' ? 16 : 12;
  const caption = opts.caption ?? true;
  let y = pad;
  let header: Part[] = [];
  if (caption) {
    const h = headerParts(flow, pad, y, width - 2 * pad);
    header = h.parts;
    y += h.height + 8;
  }
  let banner: FlowLayout['banner'] = null;
  const b = bannerParts(flow, pad, y, width - 2 * pad);
  if (b) {
    banner = { x: pad, y, w: width - 2 * pad, h: b.height + 16, parts: b.parts };
    y += b.height + 16 + 12;
  }
  const top = y;
  const body = mode === 'wide' ? wideBody(flow, width, pad, top) : narrowBody(flow, width, pad, top);
  y = body.bottom + 16;
  const footer = footerParts(flow, pad, y, width - 2 * pad);
  if (footer.parts.length) y += footer.height + 8;
  let legend: LegendItem[] = [];
  if (opts.legend ?? true) {
    const l = legendItems(pad, y, width - 2 * pad);
    legend = l.items;
    y += l.height;
  }
  const anchors: FlowLayout['anchors'] = {};
  const usersAt: FlowLayout['usersAt'] = {};
  for (const c of body.cards) {
    anchors[c.spec.id] = body.anchor(c);
    if (c.inner) anchors[c.inner.spec.id] = body.anchor(c.inner);
    if (c.spec.kind === 'vm') usersAt[c.spec.id.slice(3)] = usersPoint(c, c.spec.id.slice(3));
  }
  return {
    width,
    height: Math.ceil(y + pad - 4),
    mode,
    header,
    banner,
    cards: body.cards,
    edges: body.edges,
    footer: footer.parts,
    legend,
    anchors,
    usersAt,
  };
}

interface Body {
  cards: CardGeom[];
  edges: EdgeGeom[];
  bottom: number;
  anchor: (c: CardGeom) => { in: Pt; out: Pt; center: Pt };
}

function wideBody(flow: FlowSpec, width: number, pad: number, top: number): Body {
  let gap = Math.min(110, Math.max(64, width * 0.07));
  let colW = (width - 2 * pad - 3 * gap) / 4;
  if (colW > 300) {
    colW = 300;
    gap = Math.min(140, (width - 2 * pad - 4 * colW) / 3);
  }
  const used = 4 * colW + 3 * gap;
  const x0 = Math.round((width - used) / 2);
  const colX = [0, 1, 2, 3].map((i) => x0 + i * (colW + gap));
  const hasNotifier = flow.edges.some((e) => e.kind === 'notifier');
  const rowGap = 14;
  const under = hasNotifier ? 22 : 0;

  // Group blocks, top to bottom.
  const cards: CardGeom[] = [];
  const groupCards = new Map<string, CardGeom>();
  const deviceCards = new Map<string, CardGeom>();
  const driverCards = new Map<string, CardGeom>();
  let y = top;
  const blockSpans: { vm: string | null; mid: number }[] = [];
  for (const g of flow.groups) {
    const gc = buildCard(g.group, flow, colW);
    const rows = g.devices.map((d) => {
      const dc = buildCard(d.device, flow, colW);
      const vc = buildCard(d.driver, flow, colW);
      return { dc, vc, h: Math.max(dc.h, vc.h) + under };
    });
    const inner = rows.reduce((s, r) => s + r.h, 0) + rowGap * Math.max(0, rows.length - 1);
    const blockH = Math.max(gc.h, inner);
    const gcard = place(gc, colX[1]!, y + (blockH - gc.h) / 2);
    groupCards.set(g.group.id, gcard);
    cards.push(gcard);
    let ry = y + (blockH - inner) / 2;
    for (const [i, r] of rows.entries()) {
      const rowH = r.h - under;
      const d = place(r.dc, colX[2]!, ry + (rowH - r.dc.h) / 2);
      const v = place(r.vc, colX[3]!, ry + (rowH - r.vc.h) / 2);
      deviceCards.set(g.devices[i]!.device.id, d);
      driverCards.set(g.devices[i]!.driver.id, v);
      cards.push(d, v);
      ry += r.h + rowGap;
    }
    blockSpans.push({ vm: g.primaryVm, mid: y + blockH / 2 });
    y += blockH + 20;
  }
  const groupsBottom = y - 20;

  // VM clusters in column 0, near the middle of the groups they relate to.
  const clusters = new Map<string, CardGeom>();
  let vy = top;
  for (const c of flow.vms) {
    const vmId = c.vm.id.slice(3);
    const cl = buildCluster(c.vm, c.kvmVfio, flow, colW, colX[0]!, 0);
    const mids = blockSpans.filter((s) => s.vm === vmId).map((s) => s.mid);
    const want = mids.length ? mids.reduce((a, b) => a + b, 0) / mids.length - cl.h / 2 : vy;
    const cy = Math.max(vy, want);
    const placed = shift(cl, cy);
    clusters.set(c.vm.id, placed);
    cards.unshift(placed);
    vy = cy + cl.h + 20;
  }
  const bottom = Math.max(groupsBottom, vy - 20);

  // Edges.
  const edges: EdgeGeom[] = [];
  const byFrom = new Map<string, EdgeSpec[]>();
  const byTo = new Map<string, EdgeSpec[]>();
  for (const e of flow.edges) {
    if (!byFrom.has(e.from)) byFrom.set(e.from, []);
    byFrom.get(e.from)!.push(e);
    if (!byTo.has(e.to)) byTo.set(e.to, []);
    byTo.get(e.to)!.push(e);
  }
  const cardOf = (id: string): CardGeom | undefined => {
    if (id.startsWith('kvm_vfio:')) return clusters.get(`vm:${id.slice(9)}`)?.inner;
    return clusters.get(id) ?? groupCards.get(id) ?? deviceCards.get(id) ?? driverCards.get(id);
  };
  const centerY = (id: string) => {
    const c = cardOf(id);
    return c ? c.y + c.h / 2 : 0;
  };
  for (const e of flow.edges) {
    const a = cardOf(e.from);
    const b = cardOf(e.to);
    if (!a || !b) continue;
    if (e.kind === 'notifier') {
      const dev = deviceCards.get(e.to.replace(/^driver:/, 'device:'))!;
      const s: Pt = [a.x + a.w, a.y + a.h - 12];
      const t: Pt = [b.x, b.y + b.h - 12];
      const ry = dev.y + dev.h + 12;
      const pts: Pt[] = [s, [dev.x - gap * 0.3, ry], [dev.x + dev.w + gap * 0.3, ry], t];
      const mid: Pt = [dev.x + dev.w / 2, ry];
      edges.push({ spec: e, d: fmt(smooth(pts)), mid, tag: tagFor(e, mid, dev.w * 0.6) });
      continue;
    }
    // Spread several edges leaving / entering one side, ordered to avoid crossings.
    const outs = (byFrom.get(e.from) ?? [])
      .filter((x) => x.kind !== 'notifier')
      .sort((p, q) => centerY(p.to) - centerY(q.to));
    const ins = (byTo.get(e.to) ?? [])
      .filter((x) => x.kind !== 'notifier')
      .sort((p, q) => centerY(p.from) - centerY(q.from));
    const oi = outs.indexOf(e);
    const ii = ins.indexOf(e);
    const s: Pt = [
      a.x + a.w,
      outs.length > 1 ? spread(a.y + 6, a.y + a.h - 6, outs.length, oi) : a.y + a.h / 2,
    ];
    const t: Pt = [
      b.x,
      ins.length > 1
        ? spread(b.y + 6, b.y + Math.min(b.h, 90) - 6, ins.length, ii)
        : b.y + Math.min(b.h / 2, 40),
    ];
    const d = fmt(linkH({ source: s, target: t }));
    const mid: Pt = [(s[0] + t[0]) / 2, (s[1] + t[1]) / 2];
    edges.push({ spec: e, d, mid, tag: tagFor(e, mid, gap) });
  }
  return { cards, edges, bottom, anchor: anchorsOf };
}

function shift(c: CardGeom, y: number): CardGeom {
  const dy = y - c.y;
  return { ...c, y, inner: c.inner ? { ...c.inner, y: c.inner.y + dy } : undefined };
}

function narrowBody(flow: FlowSpec, width: number, pad: number, top: number): Body {
  const cards: CardGeom[] = [];
  const edges: EdgeGeom[] = [];
  const full = width - 2 * pad;
  const maxGroups = Math.max(
    1,
    ...flow.vms.map((c) => flow.groups.filter((g) => g.primaryVm === c.vm.id.slice(3)).length),
  );
  const groupIndent = 20 + 6 * (maxGroups - 1);
  const where = new Map<string, CardGeom>();
  let y = top;

  // One section per VM (its card, then the groups it relates to), then the groups related to none.
  const sections: (string | null)[] = [...flow.vms.map((c) => c.vm.id.slice(3)), null];
  for (const vm of sections) {
    const groups = flow.groups.filter((g) => g.primaryVm === vm);
    if (vm !== null) {
      const c = flow.vms.find((v) => v.vm.id === `vm:${vm}`)!;
      const cl = buildCluster(c.vm, c.kvmVfio, flow, full, pad, y);
      cards.push(cl);
      where.set(cl.spec.id, cl);
      where.set(cl.inner!.spec.id, cl.inner!);
      y += cl.h + 12;
    } else if (groups.length === 0) {
      continue;
    }
    for (const g of groups) {
      const gx = pad + groupIndent;
      const gc = place(buildCard(g.group, flow, width - pad - gx), gx, y);
      cards.push(gc);
      where.set(gc.spec.id, gc);
      y += gc.h + 10;
      const nd = g.devices.length;
      const dx = gx + 18 + 5 * (nd - 1);
      for (const d of g.devices) {
        const dc = place(buildCard(d.device, flow, width - pad - dx), dx, y);
        cards.push(dc);
        where.set(dc.spec.id, dc);
        y += dc.h + 10;
        const vx = dx + 18;
        const vc = place(buildCard(d.driver, flow, width - pad - vx), vx, y);
        cards.push(vc);
        where.set(vc.spec.id, vc);
        y += vc.h + 10;
      }
      y += 6;
    }
    y += 8;
  }
  const bottom = y - 14;

  // Rails. Edges from a KVM-VFIO card come out of its bottom, one rail per group.
  const railIndex = new Map<string, number>();
  for (const e of flow.edges) {
    const a = where.get(e.from);
    const b = where.get(e.to);
    if (!a || !b) continue;
    let pts: Pt[];
    let mid: Pt;
    if (e.from.startsWith('kvm_vfio:')) {
      const vm = e.from.slice(9);
      const sameSection = flow.groups.find((g) => g.group.id === e.to)?.primaryVm === vm;
      if (sameSection) {
        const k = railIndex.get(e.from) ?? 0;
        railIndex.set(e.from, k + 1);
        const rx = a.x + 10 + 6 * k;
        const ty = b.y + 16 + 4 * Math.min(k, 2);
        pts = [
          [rx, a.y + a.h],
          [rx, ty],
          [b.x, ty],
        ];
        mid = [rx, (a.y + a.h + ty) / 2];
      } else {
        // A relation to a VM drawn in another section: a stub from the margin, with a tag naming the VM.
        const ty = b.y + b.h - 12;
        pts = [
          [pad, ty],
          [b.x, ty],
        ];
        mid = [(pad + b.x) / 2, ty];
        edges.push({
          spec: e,
          d: fmt(poly(pts)),
          mid,
          tag: { x: pad + 12, y: ty - 9, w: textWidth(vm, 11, true) + 8, text: vm },
        });
        continue;
      }
    } else if (e.kind === 'notifier') {
      const rx = a.x + 4;
      const ty = b.y + b.h - 12;
      pts = [
        [rx, a.y + a.h],
        [rx, ty],
        [b.x, ty],
      ];
      mid = [rx, (a.y + a.h + ty) / 2];
    } else {
      const siblings = flow.edges.filter(
        (x) => x.from === e.from && x.kind !== 'notifier' && where.has(x.to),
      );
      const k = Math.max(0, siblings.indexOf(e));
      const rx = a.x + 9 + 5 * k;
      const ty = b.y + 16;
      pts = [
        [rx, a.y + a.h],
        [rx, ty],
        [b.x, ty],
      ];
      mid = [rx, (a.y + a.h + ty) / 2];
    }
    edges.push({ spec: e, d: fmt(poly(pts)), mid, tag: null });
  }
  const anchor = (c: CardGeom): { in: Pt; out: Pt; center: Pt } => ({
    in: [c.x, c.y + 16],
    out: [c.x + 12, c.y + c.h],
    center: [c.x + c.w / 2, c.y + c.h / 2],
  });
  return { cards, edges, bottom, anchor };
}
