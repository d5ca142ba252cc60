/**
 * The wide reference flow: the VMs side by side on top; below them four
 * columns, KVM-VFIO device → group → device → driver, one row per device,
 * joined by the thin connectors the pointer is copied along; each pointer an
 * arrow from its holder up to the VM it names. A holder at the top of its
 * column sends its arrow straight up from its top edge (labelled with the
 * field); one lower down leaves by its left side into a lane of the gutter.
 * An arrow whose lane is not under its VM turns along a track of the band
 * between the VMs and the holders.
 */
import type { EdgeSpec, FlowSpec } from './flowModel.ts';
import {
  buildCard,
  fmt,
  linkPath,
  place,
  roundedPath,
  tagAt,
  type Body,
  type CardGeom,
  type EdgeGeom,
  type Pt,
} from './flowGeom.ts';
import { truncate } from './text.ts';

const ROW_GAP = 14;
const TRACK = 7;

function spread(a: number, b: number, n: number, i: number): number {
  return a + ((b - a) * (i + 1)) / (n + 1);
}

interface Arrow {
  e: EdgeSpec;
  h: CardGeom;
  v: CardGeom;
  /** Index among the holder's own arrows. */
  j: number;
  clear: boolean;
  lane: number;
  exit: Pt;
  target: number;
  track: number | null;
}

export function wideBody(flow: FlowSpec, width: number, pad: number, top: number): Body {
  // Column 0 (the KVM-VFIO devices: a title and a list of groups) is narrower than the other three.
  let gap = Math.min(84, Math.max(40, width * 0.055));
  let w0 = Math.max(132, Math.min(200, (width - 2 * pad) * 0.15));
  let colW = (width - 2 * pad - 3 * gap - w0) / 3;
  if (colW > 280) {
    colW = 280;
    w0 = 200;
    gap = Math.min(130, (width - 2 * pad - 3 * colW - w0) / 3);
  }
  const used = w0 + 3 * colW + 3 * gap;
  const x0 = Math.round((width - used) / 2);
  const colX = [x0, x0 + w0 + gap, x0 + w0 + gap + colW + gap, x0 + w0 + 2 * gap + 2 * colW + gap];

  // The VMs, side by side over the full width.
  const vmGap = 16;
  const vmW = (used - (flow.vms.length - 1) * vmGap) / Math.max(1, flow.vms.length);
  const vmCards = flow.vms.map((c, i) =>
    place(buildCard(c.vm, flow, vmW, vmW >= 420), x0 + i * (vmW + vmGap), top),
  );
  const vmBottom = top + Math.max(0, ...vmCards.map((c) => c.h));

  // The holders, laid out from y = 0, shifted under the band at the end.
  const hasNotifier = flow.edges.some((e) => e.kind === 'notifier');
  const under = hasNotifier ? 22 : 0;
  const holders: CardGeom[] = [];
  const byId = new Map<string, CardGeom>();
  const put = (c: CardGeom) => {
    holders.push(c);
    byId.set(c.spec.id, c);
  };
  const blockTop = new Map<string, number>();
  let y = 0;
  for (const g of flow.groups) {
    const gc = buildCard(g.group, flow, colW);
    const rows = g.devices.map((d) => {
      const dc = buildCard(d.device, flow, colW);
      const vc = buildCard(d.driver, flow, colW);
      return { dc, vc, h: Math.max(dc.h, vc.h) + under };
    });
    const inner = rows.reduce((s, r) => s + r.h, 0) + ROW_GAP * Math.max(0, rows.length - 1);
    const blockH = Math.max(gc.h, inner);
    put(place(gc, colX[1]!, y + (blockH - gc.h) / 2));
    let ry = y + (blockH - inner) / 2;
    for (const r of rows) {
      const rowH = r.h - under;
      put(place(r.dc, colX[2]!, ry + (rowH - r.dc.h) / 2));
      put(place(r.vc, colX[3]!, ry + (rowH - r.vc.h) / 2));
      ry += r.h + ROW_GAP;
    }
    if (g.primaryVm !== null && !blockTop.has(g.primaryVm)) blockTop.set(g.primaryVm, y);
    y += blockH + 20;
  }
  let ky = 0;
  for (const c of flow.vms) {
    const kc = buildCard(c.kvmVfio, flow, w0);
    const cy = Math.max(ky, blockTop.get(c.vm.id.slice(3)) ?? ky);
    put(place(kc, colX[0]!, cy));
    ky = cy + kc.h + ROW_GAP;
  }
  const holdersH = Math.max(y - 20, ky - ROW_GAP, 0);

  // Pointer arrows: lanes first (they depend on x and the order of cards only).
  const colOf = (c: CardGeom) => colX.findIndex((x) => Math.abs(x - c.x) < 0.5);
  const topY = new Map<number, number>();
  for (const c of holders) topY.set(colOf(c), Math.min(topY.get(colOf(c)) ?? Infinity, c.y));
  const vmById = new Map(vmCards.map((c) => [c.spec.id, c]));
  const arrows: Arrow[] = [];
  const seen = new Map<string, number>();
  for (const e of flow.edges) {
    if (e.kind !== 'pointer') continue;
    const h = byId.get(e.from);
    const v = vmById.get(e.to);
    if (!h || !v) continue;
    const j = seen.get(e.from) ?? 0;
    seen.set(e.from, j + 1);
    const clear = h.y <= topY.get(colOf(h))! + 0.5;
    arrows.push({ e, h, v, j, clear, lane: 0, exit: [0, 0], target: 0, track: null });
  }
  // Lanes in the gutter left of each column, the lowest holder furthest out (no crossing of its own lanes).
  for (let col = 0; col < 4; col++) {
    const inCol = arrows
      .filter((a) => !a.clear && colOf(a.h) === col)
      .sort((a, b) => a.h.y - b.h.y || a.j - b.j);
    const room = col === 0 ? x0 - 4 : gap - 20;
    const step = Math.min(6, room / Math.max(1, inCol.length));
    inCol.forEach((a, k) => {
      a.lane = colX[col]! - 10 - step * k;
      a.exit = [a.h.x, a.h.y + 14 + 8 * a.j];
    });
  }
  for (const a of arrows)
    if (a.clear) {
      a.lane = a.h.x + 18 + 14 * a.j;
      a.exit = [a.lane, a.h.y];
    }
  // Targets on the VM's bottom edge; an arrow not under its VM gets a track of the band.
  const jogs = arrows
    .filter((a) => a.lane < a.v.x + 10 || a.lane > a.v.x + a.v.w - 10)
    .sort((a, b) => a.lane - b.lane);
  const taken = new Map<string, number[]>();
  jogs.forEach((a, t) => {
    a.track = t;
    let tx = Math.min(Math.max(a.lane, a.v.x + 14), a.v.x + a.v.w - 14);
    const used = taken.get(a.v.spec.id) ?? [];
    while (used.some((u) => Math.abs(u - tx) < 8)) tx += a.lane < a.v.x ? 9 : -9;
    used.push(tx);
    taken.set(a.v.spec.id, used);
    a.target = tx;
  });
  for (const a of arrows) if (a.track === null) a.target = a.lane;

  const tagY = vmBottom + 12 + TRACK * jogs.length + 10;
  const holdersTop = tagY + 16;
  const cards = holders.map((c) => place(c, c.x, c.y + holdersTop));
  const cardOf = (id: string) => cards.find((c) => c.spec.id === id) ?? vmById.get(id);

  const edges: EdgeGeom[] = [];
  // Connectors between columns: the path the pointer is copied along.
  const byFrom = new Map<string, EdgeSpec[]>();
  const byTo = new Map<string, EdgeSpec[]>();
  const links = flow.edges.filter((e) => e.kind !== 'pointer');
  for (const e of links) {
    if (!byFrom.has(e.from)) byFrom.set(e.from, []);
    byFrom.get(e.from)!.push(e);
    if (!byTo.has(e.to)) byTo.set(e.to, []);
    byTo.get(e.to)!.push(e);
  }
  const centerY = (id: string) => {
    const c = cardOf(id);
    return c ? c.y + c.h / 2 : 0;
  };
  for (const e of links) {
    const a = cardOf(e.from);
    const b = cardOf(e.to);
    if (!a || !b) continue;
    if (e.kind === 'notifier') {
      const dev = cardOf(e.to.replace(/^driver:/, 'device:'))!;
      const s: Pt = [a.x + a.w, a.y + a.h - 12];
      const t: Pt = [b.x, b.y + b.h - 12];
      const ry = dev.y + dev.h + 12;
      const d = roundedPath(
        [
          s,
          [s[0] + gap * 0.3, s[1]],
          [s[0] + gap * 0.3, ry],
          [t[0] - gap * 0.3, ry],
          [t[0] - gap * 0.3, t[1]],
          t,
        ],
        8,
      );
      edges.push({ spec: e, d, mid: [dev.x + dev.w / 2, ry], tag: null });
      continue;
    }
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
    edges.push({
      spec: e,
      d: fmt(linkPath(s, t)),
      mid: [(s[0] + t[0]) / 2, (s[1] + t[1]) / 2],
      tag: null,
    });
  }
  // Pointer arrows, holder → VM.
  for (const a of arrows) {
    const ex: Pt = [a.exit[0], a.exit[1] + holdersTop];
    const bottom = a.v.y + a.v.h;
    const pts: Pt[] = a.clear ? [ex] : [ex, [a.lane, ex[1]]];
    // The glyph (⚠, ⌛, ⊗) sits on the arrow where it names its VM: above the holder when the arrow runs
    // straight up, at the turn under the VM when it runs along a track to a VM that is not above it (else it
    // would read as a mark on the VM above the holder).
    let mid: Pt = [a.lane, tagY - 18];
    if (a.track !== null) {
      const ty = vmBottom + 12 + TRACK * a.track;
      pts.push([a.lane, ty], [a.target, ty]);
      mid = [a.target, ty];
    }
    pts.push([a.target, bottom]);
    const first = a.clear && a.j === 0;
    const tag = first
      ? tagAt({ ...a.e, tag: a.e.tag && truncate(a.e.tag, colW - 30, 11, true) }, 0, tagY)
      : null;
    if (tag) tag.x = a.lane + 4 + tag.w / 2;
    edges.push({
      spec: a.e,
      d: roundedPath(pts),
      mid,
      tag,
    });
  }
  const anchor = (c: CardGeom): { in: Pt; out: Pt; center: Pt } => ({
    in: [c.x, c.y + c.h / 2],
    out: [c.x + c.w, c.y + c.h / 2],
    center: [c.x + c.w / 2, c.y + c.h / 2],
  });
  return { cards: [...vmCards, ...cards], edges, bottom: holdersTop + holdersH, anchor };
}
