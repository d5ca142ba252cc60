/**
 * Panels below the first view, loaded right after it (their diagrams and d3
 * scales are not in the initial bundle). The fallback keeps the panel's
 * heading and height, so nothing jumps when they arrive.
 */
import { lazy, Suspense, useId, type ComponentType } from 'react';
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

/**
 * `load`'s module as React.lazy's thenable: once it is loaded, a thenable that
 * calls back at once, so the panel renders in the same pass instead of
 * suspending (hydration then adopts its prerendered markup in one go).
 */
function chunk(load: () => Promise<PanelModule>) {
  let mod: PanelModule | null = null;
  let pending: Promise<PanelModule> | null = null;
  const preload = () => (pending ??= load().then((m) => (mod = m)));
  const thenable = () =>
    mod
      ? ({ then: (ok: (m: PanelModule) => void) => ok(mod!) } as unknown as Promise<PanelModule>)
      : preload();
  return { preload, thenable };
}

const preloads: (() => Promise<unknown>)[] = [];

/**
 * Load every panel's chunk. The page calls it before adopting the
 * prerendered view: a panel still loading when the story starts to play
 * would meet markup of an earlier step, and React would redraw it.
 */
export function preloadPanels(): Promise<unknown> {
  return Promise.all(preloads.map((p) => p()));
}

/** A panel from its own chunk: the placeholder while it loads, a reload message if its chunk is gone. */
function deferred(load: () => Promise<PanelModule>, title: string, className: string, what: string) {
  const c = chunk(load);
  preloads.push(c.preload);
  const Impl = lazy(c.thenable);
  return function DeferredPanel() {
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
