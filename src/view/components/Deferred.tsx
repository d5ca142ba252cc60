/**
 * Panels below the first view, loaded right after it (their diagrams and d3
 * scales are not in the initial bundle). The fallback keeps the panel's
 * heading and height, so nothing jumps when they arrive.
 */
import { lazy, Suspense, useId } from 'react';
import { ChunkBoundary } from './ChunkBoundary.tsx';

const LocksPanelImpl = lazy(() => import('./LocksPanel.tsx'));
const TimelineImpl = lazy(() => import('./Timeline.tsx'));
const SidePanelsImpl = lazy(() => import('./SidePanels.tsx'));

function Placeholder({ title, className }: { title: string; className: string }) {
  const id = useId();
  return (
    <section className={`panel ${className} pending`} aria-labelledby={id} aria-busy="true">
      <header className="panel-head">
        <h2 id={id}>{title}</h2>
      </header>
      <p className="loading">Loading…</p>
    </section>
  );
}

export function LocksPanel() {
  return (
    <Suspense fallback={<Placeholder title="Locks" className="locks" />}>
      <ChunkBoundary what="the locks panel">
        <LocksPanelImpl />
      </ChunkBoundary>
    </Suspense>
  );
}

export function Timeline() {
  return (
    <Suspense fallback={<Placeholder title="Timeline" className="timeline" />}>
      <ChunkBoundary what="the timeline">
        <TimelineImpl />
      </ChunkBoundary>
    </Suspense>
  );
}

/** Scenario details, counterexamples, the editor and the keyboard help: below the threads in every layout. */
export function SidePanels() {
  return (
    <Suspense fallback={<Placeholder title="Scenario details" className="scenario" />}>
      <ChunkBoundary what="the scenario details">
        <SidePanelsImpl />
      </ChunkBoundary>
    </Suspense>
  );
}
