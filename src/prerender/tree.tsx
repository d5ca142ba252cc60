/**
 * The page's React tree for an address, in one place: the build renders it
 * for the empty address (./render.tsx) and the browser mounts or hydrates the
 * same tree (../main.tsx), so the two agree by construction.
 */
import { StrictMode, useEffect } from 'react';
import { App } from '../view/App.tsx';
import { pageUrlState } from '../view/url.ts';

/** Calls `onMounted` once, after React's first commit (with hydration: once the root has hydrated). */
function Mounted({ onMounted }: { onMounted?: () => void }) {
  useEffect(() => onMounted?.(), [onMounted]);
  return null;
}

export function explorerTree(search: string, hash: string, onMounted?: () => void) {
  const parsed = pageUrlState(search, hash);
  return (
    <StrictMode>
      <App input={{ url: parsed.state, notices: parsed.notices }} />
      <Mounted onMounted={onMounted} />
    </StrictMode>
  );
}
