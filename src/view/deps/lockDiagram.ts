/** The lock diagram (lazy chunk with the Locks panel). */
export { LockDiagram, type LockDiagramProps } from '../../diagrams/LockDiagram.tsx';
export { buildLocks } from '../../diagrams/locks.ts';
