/**
 * The narrow reference flow (phones): the VMs stacked on top, then a
 * top-to-bottom tree, each VM's KVM-VFIO device followed by the groups it
 * relates to, each group by its devices and their drivers, joined by elbow
 * rails on the left. Each pointer leaves its holder on the right, climbs a
 * lane of the right margin and enters the side of the VM it names.
 */
import type { FlowSpec } from './flowModel.ts';
import {
  buildCard,
  fmt,
  place,
  polyline,
  roundedPath,
  type Body,
  type CardGeom,
  type EdgeGeom,
  type Pt,
} from './flowGeom.ts';
import { textWidth } from './text.ts';

const poly = polyline;
const LANE = 5;

export function narrowBody(flow: FlowSpec, width: number, pad: number, top: number): Body {
  const cards: CardGeom[] = [];
  const edges: EdgeGeom[] = [];
  const pointers = flow.edges.filter((e) => e.kind === 'pointer');
  const margin = pointers.length ? 12 + LANE * (pointers.length - 1) : 0;
  const right = width - pad - margin;
  const full = right - pad;
  const where = new Map<string, CardGeom>();
  const put = (c: CardGeom) => {
    cards.push(c);
    where.set(c.spec.id, c);
  };
  let y = top;
  for (const c of flow.vms) {
    const vc = place(buildCard(c.vm, flow, full), pad, y);
    put(vc);
    y += vc.h + 10;
  }
  y += 8;
  const maxGroups = Math.max(
    1,
    ...flow.vms.map((c) => flow.groups.filter((g) => g.primaryVm === c.vm.id.slice(3)).length),
  );
  const groupIndent = 20 + 6 * (maxGroups - 1);

  // One section per VM (its KVM-VFIO device, then the groups it relates to), then the groups related to none.
  const sections: (string | null)[] = [...flow.vms.map((c) => c.vm.id.slice(3)), null];
  for (const vm of sections) {
    const groups = flow.groups.filter((g) => g.primaryVm === vm);
    if (vm !== null) {
      const c = flow.vms.find((v) => v.vm.id === `vm:${vm}`)!;
      const kc = place(buildCard(c.kvmVfio, flow, full), pad, y);
      put(kc);
      y += kc.h + 10;
    } else if (groups.length === 0) {
      continue;
    }
    for (const g of groups) {
      const gx = pad + groupIndent;
      const gc = place(buildCard(g.group, flow, right - gx), gx, y);
      put(gc);
      y += gc.h + 10;
      const dx = gx + 18 + 5 * (g.devices.length - 1);
      for (const d of g.devices) {
        const dc = place(buildCard(d.device, flow, right - dx), dx, y);
        put(dc);
        y += dc.h + 10;
        const vx = dx + 18;
        const vc = place(buildCard(d.driver, flow, right - vx), vx, y);
        put(vc);
        y += vc.h + 10;
      }
      y += 6;
    }
    y += 8;
  }
  const bottom = y - 14;

  // Rails: the connectors the pointer is copied along. A KVM-VFIO device's rails leave its bottom, one per group.
  const railIndex = new Map<string, number>();
  for (const e of flow.edges) {
    if (e.kind === 'pointer') continue;
    const a = where.get(e.from);
    const b = where.get(e.to);
    if (!a || !b) continue;
    let pts: Pt[];
    if (e.from.startsWith('kvm_vfio:')) {
      const vm = e.from.slice(9);
      const sameSection = flow.groups.find((g) => g.group.id === e.to)?.primaryVm === vm;
      if (!sameSection) {
        // A group drawn in another VM's section: a stub from the margin, with a tag naming the VM.
        const ty = b.y + b.h - 12;
        edges.push({
          spec: e,
          d: fmt(
            poly([
              [pad, ty],
              [b.x, ty],
            ]),
          ),
          mid: [(pad + b.x) / 2, ty],
          tag: {
            x: pad + 12 + (textWidth(vm, 11, true) + 8) / 2,
            y: ty - 9,
            w: textWidth(vm, 11, true) + 8,
            text: vm,
          },
        });
        continue;
      }
      const k = railIndex.get(e.from) ?? 0;
      railIndex.set(e.from, k + 1);
      const rx = a.x + 10 + 6 * k;
      const ty = b.y + 16 + 4 * Math.min(k, 2);
      pts = [
        [rx, a.y + a.h],
        [rx, ty],
        [b.x, ty],
      ];
    } else if (e.kind === 'notifier') {
      const rx = a.x + 4;
      const ty = b.y + b.h - 12;
      pts = [
        [rx, a.y + a.h],
        [rx, ty],
        [b.x, ty],
      ];
    } else {
      const siblings = flow.edges.filter(
        (x) => x.from === e.from && x.kind !== 'notifier' && x.kind !== 'pointer' && where.has(x.to),
      );
      const k = Math.max(0, siblings.indexOf(e));
      const rx = a.x + 9 + 5 * k;
      const ty = b.y + 16;
      pts = [
        [rx, a.y + a.h],
        [rx, ty],
        [b.x, ty],
      ];
    }
    edges.push({ spec: e, d: fmt(poly(pts)), mid: [pts[0]![0], (pts[0]![1] + pts[1]![1]) / 2], tag: null });
  }

  // Pointer arrows: out of the holder's right side, up a lane of the margin, into the VM's right side.
  // A lower holder takes a lane further out and enters its VM higher, so no two arrows cross on the way.
  const arrows = pointers
    .map((e) => ({ e, h: where.get(e.from), v: where.get(e.to) }))
    .filter((a): a is { e: (typeof pointers)[number]; h: CardGeom; v: CardGeom } => !!a.h && !!a.v)
    .map((a, i, all) => ({ ...a, j: all.slice(0, i).filter((b) => b.e.from === a.e.from).length }))
    .map((a) => ({ ...a, exitY: a.h.y + 14 + 8 * a.j }))
    .sort((a, b) => a.exitY - b.exitY);
  arrows.forEach((a, k) => {
    const lane = right + 6 + LANE * k;
    const into = arrows.filter((b) => b.v === a.v).sort((p, q) => q.exitY - p.exitY);
    const idx = into.indexOf(a);
    const ty = a.v.y + 14 + ((a.v.h - 24) * (idx + 0.5)) / into.length;
    edges.push({
      spec: a.e,
      d: roundedPath(
        [
          [a.h.x + a.h.w, a.exitY],
          [lane, a.exitY],
          [lane, ty],
          [right, ty],
        ],
        4,
      ),
      mid: [lane, a.exitY - 12],
      tag: null,
    });
  });
  const anchor = (c: CardGeom): { in: Pt; out: Pt; center: Pt } => ({
    in: [c.x, c.y + 16],
    out: [c.x + 12, c.y + c.h],
    center: [c.x + c.w / 2, c.y + c.h / 2],
  });
  return { cards, edges, bottom, anchor };
}
