/**
 * The custom element's stand-in for ../view/deps/explorer.ts (aliased in
 * vite.element.config.ts). The element shows no interleaving explorer, so
 * its single file carries neither the explorer client nor its Web Worker
 * (whose URL would have to be resolved from the element module). The full
 * page (index.html) has the explorer.
 */
export type {
  Exploration,
  ExplorationViolation,
  ExploreProgress,
  ExploreJob,
  ExploreFn,
} from '../view/deps/explorer.ts';
import type { ExploreFn } from '../view/deps/explorer.ts';

export function loadExplorer(): Promise<ExploreFn> {
  return Promise.reject(
    new Error('The embedded explorer does not search interleavings; open the full page for that.'),
  );
}
