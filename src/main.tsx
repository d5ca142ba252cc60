/**
 * The explorer's React side, loaded by the page's bootstrap (./prerender/boot.ts)
 * when the reader is about to act, or at once for an address with parameters.
 * Reads the address once, then the player owns it.
 *
 * `hydrate`: #root holds the build-time rendering of the default view
 * (./prerender/render.tsx) and the address is the empty one, so React adopts
 * that markup as it is (nothing is redrawn), once every panel's code is
 * there. Otherwise React renders the address's own view in place of
 * whatever #root holds.
 */
import { startTransition } from 'react';
import { createRoot, hydrateRoot } from 'react-dom/client';
import { rootOptions } from './view/rootOptions.ts';
import { explorerTree } from './prerender/tree.tsx';
import { preloadPanels } from './view/components/Deferred.tsx';

export interface StartOptions {
  hydrate: boolean;
  /** Called once, after React's first commit. */
  onMounted: () => void;
}

export function start({ hydrate, onMounted }: StartOptions): void {
  const root = document.getElementById('root')!;
  const tree = explorerTree(location.search, location.hash, onMounted);
  if (hydrate) {
    // Every panel's code first: the panels then render in place, with no Suspense boundary to hydrate in a
    // later pass (./view/components/Deferred.tsx), so React adopts the whole view in one pass, before the
    // story starts to play. (A chunk that fails to load is reported in its panel, as ever.)
    void preloadPanels()
      .catch(() => {})
      .then(() =>
        // A transition, so that hydration yields to the browser between components instead of one long task.
        startTransition(() => {
          hydrateRoot(root, tree, {
            ...rootOptions,
            onRecoverableError(error) {
              // A mismatch: React has rendered the view afresh, which is correct, only slower.
              console.warn('vfio-kvm-explorer: the prerendered view was replaced, not adopted:', error);
            },
          });
        }),
      );
  } else createRoot(root, rootOptions).render(tree);
}
