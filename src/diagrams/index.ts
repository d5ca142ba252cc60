/**
 * Diagrams of vfio-kvm-explorer: leaf React components, pure functions of
 * their props (no global state, no context), safe to render several times on
 * one page, on the server (renderToStaticMarkup) and in a shadow root.
 *
 * Markup rules they all follow: SVG presentation attributes only (no `style`
 * attribute, no `<style>` element), colours from a theme object, system font
 * stacks, every id prefixed with `idPrefix` (or a sanitised React useId).
 *
 * ────────────────────────────────────────────────────────────────────────────
 * ReferenceFlow — `<svg role="img">` named "KVM reference flow — <era>, step n of N"
 *
 *   view: KernelView                 describeState(model, states[n])
 *   step?: StepView | null           describeStep(model, records[n-1], states[n], n); null at n = 0
 *   totalSteps?: number              records.length (for the accessible name)
 *   violations?: Violation[]         seen so far: run.violations.filter(v => v.step <= n)
 *                                    (default: step.violations)
 *   notes?: DiagramNote[]            flagged facts, e.g. inferredNotes(scenario.id, era, drivers)
 *   eraLabel?: string                default ERAS[view.era].title
 *   theme?: 'light' | 'dark' | Theme default 'light'
 *   reducedMotion?: boolean          prefers-reduced-motion: no movement, end state only
 *   animate?: boolean                default true
 *   animationMs?: number             default 650; use ≤ 0.9 × the autoplay interval
 *   width?: number                   CSS px, default 960; < 600 → vertical tree layout
 *   idPrefix?: string                unique per instance
 *   caption?: boolean                era/step header + narration (default true)
 *   legend?: boolean                 default true
 *   banner?: boolean                 the violations so far, named over the flow (default true)
 *   fit?: boolean                    scaled by CSS into a box: keep the aspect ratio, top-aligned
 *
 *   The SVG's width/height are the layout's (height grows with content). Give
 *   it the container's width (ResizeObserver) and let the page scroll
 *   vertically. Animation: when `step` changes to the step right after the
 *   previous one (n → n + 1), the step's effects animate (a pointer token
 *   travels along the connector it is copied along, then the arrow it leaves
 *   draws itself from the holder to the VM; +1 / −1 tokens ride the holder's
 *   arrow; users_count ticks). Any other change (back, jump, reset, resize,
 *   theme, unmount) interrupts the running animation and shows the end state.
 *
 * LockDiagram — `<svg role="img">` named "Locks — <era>, step n of N"
 *
 *   A wait-for graph: lock → thread (holds, mode), thread → lock (waits,
 *   place in the FIFO queue, mode), thread ⇢ thread (queued behind); the
 *   edges of a cycle (src/model/waitFor.ts) red.
 *   view, step?, totalSteps?, theme?, width? (default 640), idPrefix?,
 *   threads? (thread list,
 *   default true), caption? footer? banner? (default true), eraLabel?,
 *   reducedMotion?, animate?, animationMs? (locks that changed flash on a
 *   forward step)
 *
 * SequenceChart — one lane per thread, one mark per micro-step
 *
 *   steps: SequenceStep[]            all StepViews of the run (a StepView is a SequenceStep)
 *   threads: string[]                model.threads.map(t => t.id)
 *   current: number                  0 … steps.length
 *   onSelect?: (n) => void           makes it a listbox (click, ←/→, ↑/↓, Home/End,
 *                                    PageUp/PageDown, Enter/Space); keys it handles
 *                                    do not propagate to the page's shortcuts
 *   opLabels?: string[]              scenario.steps.map(opLabel), for op boundaries
 *   violations?: Violation[]         run.violations (adds end-of-run ones)
 *   theme?, width? (default 960), minStepWidth? (default 8), idPrefix?, label?
 *
 *   With many steps on a narrow screen the SVG is wider than `width`
 *   (data-scroll="true"): wrap it in an `overflow-x: auto` container;
 *   `data-current-x` gives the current step's x for scrolling it into view.
 *
 * Text alternatives: `describeFlow(view, opts)` returns the flow diagram's
 * title, summary and one sentence per node and edge (for a "diagram as text"
 * list); every node and edge also carries a `<title>`.
 *
 * Standalone files: `renderSvgFile(Component, props)` in ./render.ts (not
 * re-exported here, because it imports react-dom/server).
 */
export { ReferenceFlow, type ReferenceFlowProps } from './ReferenceFlow.tsx';
export { LockDiagram, layoutLocks, type LockDiagramProps, type LockLayout } from './LockDiagram.tsx';
export {
  SequenceChart,
  sequenceModel,
  type SequenceChartProps,
  type SequenceStep,
} from './SequenceChart.tsx';
export {
  buildFlow,
  describeFlow,
  ptrText,
  ptrWords,
  type DiagramNote,
  type EdgeSpec,
  type FlowSpec,
  type NodeSpec,
} from './flowModel.ts';
export { layoutFlow, WIDE_MIN, type FlowLayout } from './flowLayout.ts';
export { buildLocks, findDeadlocks, type LockSpec, type Deadlock } from './locks.ts';
export { waitGraph, type WaitGraph, type WaitEdge } from '../model/waitFor.ts';
export { inferredNotes } from './notes.ts';
export { playFlowStep, effectPath, refPath, usersBefore } from './animate.ts';
export {
  LIGHT,
  DARK,
  THEMES,
  resolveTheme,
  contrastRatio,
  FONT_SANS,
  FONT_MONO,
  type Theme,
  type ThemeName,
} from './theme.ts';
export { edgeLook, strokeFor, type EdgeLook } from './edgeStyle.tsx';
export { textWidth, wrap, truncate } from './text.ts';
export { sanitizeId } from './ids.ts';
