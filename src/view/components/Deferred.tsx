/**
 * Panels below the first view, loaded right after it (their diagrams and d3
 * scales are not in the initial bundle). The fallback keeps the panel's
 * heading and height, so nothing jumps when they arrive.
 */
import { lazy, Suspense, useId, useState, type ComponentType } from 'react';
import { ChunkBoundary } from './ChunkBoundary.tsx';

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

type PanelModule = { default: ComponentType };

/** `load`'s module, loaded once: `preload` loads it (React.lazy's factory too), `loaded()` is it once there. */
function chunk(load: () => Promise<PanelModule>) {
  let mod: PanelModule | null = null;
  let pending: Promise<PanelModule> | null = null;
  const preload = () => (pending ??= load().then((m) => (mod = m)));
  return { preload, loaded: () => mod };
}

const preloads: (() => Promise<unknown>)[] = [];

/**
 * Load every panel's chunk. The build calls it before rendering the default
 * view, and the page before adopting that markup: both then render every
 * panel in place, with no Suspense boundary (see `deferred`).
 */
export function preloadPanels(): Promise<unknown> {
  return Promise.all(preloads.map((p) => p()));
}

/**
 * A panel from its own chunk: the placeholder while it loads, a reload message if its chunk is gone.
 * A panel whose chunk is already loaded when it mounts renders in place, without a Suspense boundary:
 * React hydrates a boundary's markup in a later pass of its own, at idle priority, after the root has
 * committed and the story has started to play; a step made before that pass met the markup of step 0 and
 * React redrew the page (a hydration mismatch). Without boundaries the whole view is adopted in one pass.
 * The build and the page both preload every panel first (`preloadPanels`), so the two agree.
 */
function deferred(load: () => Promise<PanelModule>, title: string, className: string, what: string) {
  const c = chunk(load);
  preloads.push(c.preload);
  const Impl = lazy(c.preload);
  return function DeferredPanel() {
    // Decided once, at mount: a boundary that appeared or went away later would remount the panel.
    const [loaded] = useState(c.loaded);
    if (loaded) {
      const Loaded = loaded.default;
      return (
        <ChunkBoundary what={what}>
          <Loaded />
        </ChunkBoundary>
      );
    }
    return (
      <Suspense fallback={<Placeholder title={title} className={className} />}>
        <ChunkBoundary what={what}>
          <Impl />
        </ChunkBoundary>
      </Suspense>
    );
  };
}

export const LocksPanel = deferred(() => import('./LocksPanel.tsx'), 'Locks', 'locks', 'the locks panel');
export const Timeline = deferred(() => import('./Timeline.tsx'), 'Timeline', 'timeline', 'the timeline');
/** Scenario details, counterexamples, the editor and the keyboard help: below the threads in every layout. */
export const SidePanels = deferred(
  () => import('./SidePanels.tsx'),
  'Scenario details',
  'scenario',
  'the scenario details',
);
/** The pseudo-code diff between two eras, below the timeline (its diff and moments load when opened). */
export const DiffPanel = deferred(
  () => import('./DiffPanel.tsx'),
  'What changed in the code',
  'diff-panel',
  'the code diff',
);
