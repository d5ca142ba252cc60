/** The lock diagram (lazy chunk with the Locks panel). */
export { LockDiagram, type LockDiagramProps } from '../../diagrams/LockDiagram.tsx';
export type { LockSpec } from '../../diagrams/locks.ts';
/** The lock diagram's geometry for a step, remembered: a page works steps out ahead of time with it. */
export { lockGeometry } from '../../diagrams/geometry.ts';
