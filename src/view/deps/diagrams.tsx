/**
 * The page's seam to the diagrams (src/diagrams): everything the page draws
 * comes through here, so a change of their API touches one place. Each
 * diagram is imported from its own module (not the barrel) so that the ones
 * below the first view can be split into lazily loaded chunks.
 */
export { ReferenceFlow, type ReferenceFlowProps } from '../../diagrams/ReferenceFlow.tsx';
export { inferredNotes } from '../../diagrams/notes.ts';
/** The reference flow's geometry for a step, remembered: a page works steps out ahead of time with it. */
export { flowGeometry } from '../../diagrams/geometry.ts';
export { describeFlow } from '../../diagrams/flowModel.ts';
/** The width from which the flow is drawn side by side (below it: a vertical tree, for phones). */
export { WIDE_MIN } from '../../diagrams/flowLayout.ts';
export type { DiagramNote } from '../../diagrams/flowModel.ts';
