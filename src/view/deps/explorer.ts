/**
 * The page's seam to the interleaving explorer (src/explore): it runs in a
 * module Web Worker behind src/explore/client.ts. Loaded with a dynamic import
 * on the first "Explore all interleavings", so none of it (nor the worker) is
 * in the first paint. One worker is kept for the page's lifetime.
 */
import type { EraId, Scenario } from '../../model/index.ts';
import type { Exploration, ExplorationViolation } from '../../explore/exploration.ts';

export type { Exploration, ExplorationViolation };

export interface ExploreProgress {
  states: number;
  transitions: number;
  /** Distinct states expanded so far (≤ states): expanded / states is the share of the frontier done. */
  expanded: number;
  depth: number;
  ms: number;
  /** Violation kinds found so far. */
  kinds: readonly string[];
}

export interface ExploreJob {
  promise: Promise<Exploration>;
  cancel(): void;
}

export type ExploreFn = (
  scenario: Scenario,
  era: EraId,
  onProgress: (p: ExploreProgress) => void,
) => ExploreJob;

let loaded: Promise<ExploreFn> | null = null;

export function loadExplorer(): Promise<ExploreFn> {
  loaded ??= import('../../explore/client.ts').then(({ ExploreClient }) => {
    const client = new ExploreClient();
    return (scenario, era, onProgress) => {
      const job = client.explore({ scenario, era }, { onProgress: (p) => onProgress({ ...p }) });
      return { promise: job.result, cancel: () => job.cancel() };
    };
  });
  // A failed load (e.g. offline chunk) may be retried by the next click.
  loaded.catch(() => (loaded = null));
  return loaded;
}
