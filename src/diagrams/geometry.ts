/**
 * What the reference flow and the lock diagram draw for a kernel state, as data: the spec and the layout,
 * remembered per state (./memo.ts). The components ask for it on every render, and a page can ask for
 * the steps it will show ahead of time, with the options it will render them with, so that a step shown
 * later costs no geometry at all.
 */
import type { KernelView, StepView } from '../model/view.ts';
import { buildFlow, type FlowOptions, type FlowSpec } from './flowModel.ts';
import { layoutFlow, type FlowLayout, type LayoutOptions } from './flowLayout.ts';
import { layoutLocks, type LockLayout } from './lockLayout.ts';
import { buildLocks, type LockSpec } from './locks.ts';
import { memoPer } from './memo.ts';

/** The ReferenceFlow props its geometry depends on: the flow's options and the layout's. */
export type FlowGeometryOptions = FlowOptions & LayoutOptions;

const flowLayoutOf = memoPer(
  (flow: FlowSpec, width?: number, caption?: boolean, legend?: boolean, banner?: boolean) =>
    layoutFlow(flow, { width, caption, legend, banner }),
);

export function flowGeometry(
  view: KernelView,
  o: FlowGeometryOptions,
): { flow: FlowSpec; layout: FlowLayout } {
  const flow = buildFlow(view, o);
  return { flow, layout: flowLayoutOf(flow, o.width, o.caption, o.legend, o.banner) };
}

/** The LockDiagram props its geometry depends on (`threads` as the diagram resolves it: default true). */
export interface LockGeometryOptions {
  step?: StepView | null;
  hideFree?: boolean;
  eraLabel?: string;
  totalSteps?: number;
  width?: number;
  threads?: boolean;
  caption?: boolean;
  footer?: boolean;
  banner?: boolean;
}

const lockSpecOf = memoPer(
  (view: KernelView, step: StepView | null, hideFree?: boolean, eraLabel?: string, totalSteps?: number) =>
    buildLocks(view, { step, hideFree, eraLabel, totalSteps }),
);
const lockLayoutOf = memoPer(
  (
    spec: LockSpec,
    step: StepView | null,
    width: number | undefined,
    threads: boolean,
    caption?: boolean,
    footer?: boolean,
    banner?: boolean,
  ) => layoutLocks(spec, step, width, threads, { caption, footer, banner }),
);

export function lockGeometry(
  view: KernelView,
  o: LockGeometryOptions,
): { spec: LockSpec; layout: LockLayout } {
  const step = o.step ?? null;
  const spec = lockSpecOf(view, step, o.hideFree, o.eraLabel, o.totalSteps);
  return {
    spec,
    layout: lockLayoutOf(spec, step, o.width, o.threads ?? true, o.caption, o.footer, o.banner),
  };
}
