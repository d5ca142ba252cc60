/**
 * Options for every React root (page, embed.html, the element). An error an
 * error boundary handled (a lazy chunk that could not load: ChunkBoundary
 * shows it in place) is logged as a warning, not React's default
 * console.error: the page handled it and stays usable.
 */
import type { RootOptions } from 'react-dom/client';

export const rootOptions: RootOptions = {
  onCaughtError(error) {
    console.warn('vfio-kvm-explorer: a part of the explorer failed and was replaced by a message:', error);
  },
};
