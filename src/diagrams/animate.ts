/**
 * Step animations for the reference-flow diagram: an enhancement over the
 * static markup, run from a useEffect on the SVG's ref. A pointer copied on
 * this step travels as a token along the connector it is copied along, then
 * the arrow it leaves (holder → VM, in the markup already) draws itself from
 * the holder to the VM; a +1 / −1 travels along the holder's arrow (or
 * straight, when the holder has none) and users_count ticks. Everything animated
 * is either created here inside the `fx` overlay group (tokens, ghost
 * numbers) and removed at the end, or is a React-rendered element that only
 * gets a temporary `opacity`/`transform` attribute which is removed again.
 * `cancel()` interrupts every transition and restores the end state, so an
 * unmount or the next step never leaves anything behind.
 */
import { select, selectAll, type Selection } from 'd3-selection';
import 'd3-transition'; // patches selection.prototype.transition / interrupt (see toolchain.md pitfall 1)
import { interpolateNumber } from 'd3-interpolate';
import type { StepView } from '../model/view.ts';
import type { FlowLayout } from './flowLayout.ts';
import { holderNode } from './flowModel.ts';
import type { Theme } from './theme.ts';
import { textWidth } from './text.ts';

const NAME = 'vfio-kvm-step';
const SVG_NS = 'http://www.w3.org/2000/svg';

type Pt = [number, number];

// The layout's path shapes (flowGeom.ts), repeated here so that this chunk, loaded after the first paint,
// shares no module with it but those it already did.
function linkPath(s: Pt, t: Pt): string {
  const mx = (s[0] + t[0]) / 2;
  return `M${s[0]},${s[1]}C${mx},${s[1]},${mx},${t[1]},${t[0]},${t[1]}`;
}
function polyline(pts: readonly Pt[]): string {
  return `M${pts.map((p) => `${p[0]},${p[1]}`).join('L')}`;
}

/** The path a pointer takes from one node to another: the edge if drawn, else a curve between anchors. */
export function effectPath(layout: FlowLayout, from: string, to: string): string | null {
  const edge = layout.edges.find((e) => e.spec.id === `${from}->${to}`);
  if (edge) return edge.d;
  const a = layout.anchors[from];
  const b = layout.anchors[to];
  if (!a || !b) return null;
  if (layout.mode === 'wide') return linkPath(a.out, b.in);
  return polyline([a.out, [a.out[0], b.in[1]], b.in]);
}

/**
 * The way a +1 / −1 token travels between a holder and a VM's users_count:
 * along the holder's arrow to that VM when it is drawn (a get runs it
 * backwards, from the VM to the holder), else straight between the two.
 */
export function refPath(
  layout: FlowLayout,
  vm: string,
  holder: string,
  kind: 'get' | 'put',
): { d: string; reverse: boolean } | null {
  const node = holderNode(holder, vm);
  if (node === `vm:${vm}`) return null;
  const edge = layout.edges.find((e) => e.spec.id === `${node}->vm:${vm}`);
  if (edge) return { d: edge.d, reverse: kind === 'get' };
  const u = layout.usersAt[vm];
  const h = layout.anchors[node];
  if (!u || !h) return null;
  const pts: Pt[] = kind === 'get' ? [u, h.center] : [h.center, u];
  return { d: polyline(pts), reverse: false };
}

/** users_count of each VM before the step, from the state after it and the step's gets and puts. */
export function usersBefore(step: StepView, after: Record<string, number>): Record<string, number> {
  const before = { ...after };
  for (const e of step.effects) {
    if (e.kind === 'get' && e.vm in before) before[e.vm]! -= 1;
    if (e.kind === 'put' && e.vm in before) before[e.vm]! += 1;
  }
  return before;
}

export interface PlayInput {
  svg: SVGSVGElement;
  fx: SVGGElement;
  layout: FlowLayout;
  step: StepView;
  /** users_count per VM after the step (what the markup shows). */
  users: Record<string, number>;
  theme: Theme;
  duration: number;
}

function byAnim(svg: SVGSVGElement, key: string): Selection<SVGElement, unknown, null, undefined> {
  return selectAll(
    Array.from(svg.querySelectorAll<SVGElement>('[data-anim]')).filter(
      (el) => el.getAttribute('data-anim') === key,
    ),
  );
}

/** Run the step's animation; returns `cancel`, which jumps to the end state. */
export function playFlowStep(input: PlayInput): () => void {
  const { svg, fx, layout, step, theme, duration } = input;
  const fxSel = select(fx);
  const touched: SVGElement[] = [];
  const created: SVGElement[] = [];
  const restores: (() => void)[] = [];
  const before = usersBefore(step, input.users);

  const fadeIn = (key: string, delay: number) => {
    byAnim(svg, key).each(function () {
      touched.push(this);
      select(this)
        .attr('opacity', 0)
        .transition(NAME)
        .delay(delay)
        .duration(duration * 0.4)
        .attr('opacity', 1)
        .on('end interrupt', function () {
          (this as SVGElement).removeAttribute('opacity');
        });
    });
  };

  const travel = (d: string, label: string, fill: string, delay: number, reverse = false) => {
    const guide = document.createElementNS(SVG_NS, 'path');
    guide.setAttribute('d', d);
    guide.setAttribute('fill', 'none');
    guide.setAttribute('stroke', 'none');
    fx.appendChild(guide);
    created.push(guide);
    const len = guide.getTotalLength();
    const w = Math.max(22, textWidth(label, 11, true) + 12);
    const g = fxSel.append('g').attr('opacity', 0);
    created.push(g.node()!);
    g.append('rect')
      .attr('x', -w / 2)
      .attr('y', -9)
      .attr('width', w)
      .attr('height', 18)
      .attr('rx', 9)
      .attr('fill', fill)
      .attr('stroke', theme.bg)
      .attr('stroke-width', 1.5);
    g.append('text')
      .attr('text-anchor', 'middle')
      .attr('y', 4)
      .attr('font-size', 11)
      .attr('font-weight', 700)
      .attr('fill', theme.token.text)
      .text(label);
    const at = (t: number) => {
      const p = guide.getPointAtLength((reverse ? 1 - t : t) * len);
      return `translate(${p.x.toFixed(1)},${p.y.toFixed(1)})`;
    };
    g.attr('transform', at(0))
      .transition(NAME)
      .delay(delay)
      .duration(duration)
      .attr('opacity', 1)
      .attrTween('transform', () => at)
      .transition()
      .duration(duration * 0.25)
      .attr('opacity', 0)
      .on('end', () => guide.remove())
      .remove();
  };

  const tick = (vm: string, from: number, to: number, delay: number) => {
    const real = byAnim(svg, `users:${vm}`);
    const el = real.node();
    if (!el || !(el instanceof SVGTextElement)) return;
    touched.push(el);
    const box = el.getBBox();
    const ctm = el.getCTM();
    const fxCtm = fx.getCTM();
    let x = box.x;
    let y = box.y + box.height * 0.8;
    if (ctm && fxCtm) {
      const m = fxCtm.inverse().multiply(ctm);
      const p = new DOMPoint(x, y).matrixTransform(m);
      x = p.x;
      y = p.y;
    }
    const ghost = fxSel
      .append('text')
      .attr('x', x)
      .attr('y', y)
      .attr('font-size', el.getAttribute('font-size'))
      .attr('font-weight', el.getAttribute('font-weight'))
      .attr('fill', el.getAttribute('fill'))
      .text(String(from));
    created.push(ghost.node()!);
    const num = interpolateNumber(from, to);
    select(el).attr('opacity', 0);
    ghost
      .transition(NAME)
      .delay(delay)
      .duration(duration * 0.5)
      .attr('opacity', 0)
      .attr('transform', 'translate(0,-10)')
      .tween('text', function () {
        return (t: number) => {
          (this as SVGTextElement).textContent = String(Math.round(num(t)));
        };
      })
      .remove();
    select(el)
      .attr('transform', 'translate(0,10)')
      .transition(NAME)
      .delay(delay + duration * 0.25)
      .duration(duration * 0.5)
      .attr('opacity', 1)
      .attr('transform', 'translate(0,0)')
      .on('end interrupt', function () {
        (this as SVGElement).removeAttribute('opacity');
        (this as SVGElement).removeAttribute('transform');
      });
  };

  /** The arrow a copy leaves behind draws itself from the holder to the VM. */
  const drawOn = (edgeId: string, delay: number) => {
    const el = Array.from(svg.querySelectorAll<SVGGElement>('[data-edge]')).find(
      (g) => g.getAttribute('data-edge') === edgeId,
    );
    const path = el?.querySelector<SVGPathElement>('path:last-of-type');
    if (!path) return;
    touched.push(path);
    const len = path.getTotalLength();
    const dash = path.getAttribute('stroke-dasharray');
    const restore = function (this: SVGPathElement) {
      if (dash === null) this.removeAttribute('stroke-dasharray');
      else this.setAttribute('stroke-dasharray', dash);
      this.removeAttribute('stroke-dashoffset');
    };
    select(path)
      .attr('stroke-dasharray', `${len} ${len}`)
      .attr('stroke-dashoffset', len)
      .transition(NAME)
      .delay(delay)
      .duration(duration * 0.5)
      .attr('stroke-dashoffset', 0)
      .on('end interrupt', restore);
    restores.push(() => restore.call(path));
  };

  const cancel = () => {
    for (const el of [...touched, ...created]) select(el).interrupt(NAME);
    for (const el of created) el.remove();
    for (const el of touched) {
      el.removeAttribute('opacity');
      el.removeAttribute('transform');
    }
    for (const f of restores) f();
  };

  try {
    const ticks = new Map<string, number>();
    for (const e of step.effects) {
      if (e.kind === 'ptr') {
        const d = effectPath(layout, e.from, e.to);
        if (d) travel(d, e.vm ?? 'NULL', e.vm ? theme.token.ptr : theme.edge.null, 0);
        fadeIn(`ptr:${e.to}`, duration * 0.85);
        if (e.vm) drawOn(`${e.to}->vm:${e.vm}`, duration);
      } else {
        const p = refPath(layout, e.vm, e.holder, e.kind);
        if (p)
          travel(
            p.d,
            e.kind === 'get' ? '+1' : '−1',
            e.kind === 'get' ? theme.token.get : theme.token.put,
            0,
            p.reverse,
          );
        ticks.set(e.vm, Math.max(ticks.get(e.vm) ?? 0, e.kind === 'get' || !p ? 0 : duration));
        const node = holderNode(e.holder, e.vm);
        if (node.startsWith('driver:'))
          fadeIn(`ref:${node.slice(7)}`, e.kind === 'get' ? duration * 0.85 : 0);
        fadeIn(`holders:${e.vm}`, duration * 0.85);
      }
    }
    for (const [vm, delay] of ticks) {
      const from = before[vm];
      const to = input.users[vm];
      if (from !== undefined && to !== undefined && from !== to) tick(vm, from, to, delay);
    }
  } catch (err) {
    // e.g. a DOM without SVG geometry (getTotalLength, getBBox): show the end state.
    cancel();
    throw err;
  }
  return cancel;
}
