/** A collapsed panel; the editor itself is loaded when it is first opened. */
import { lazy, Suspense, useState } from 'react';
import { ChunkBoundary } from './ChunkBoundary.tsx';

const Editor = lazy(() => import('./Editor.tsx'));

export function EditorPanel() {
  const [open, setOpen] = useState(false);
  return (
    <section className="panel editor-panel" aria-label="Your own scenario">
      <details onToggle={(e) => setOpen((e.currentTarget as HTMLDetailsElement).open)}>
        <summary>
          <h2>Your own scenario</h2>
        </summary>
        {open && (
          <Suspense fallback={<p className="loading">Loading the editor…</p>}>
            <ChunkBoundary what="the editor">
              <Editor />
            </ChunkBoundary>
          </Suspense>
        )}
      </details>
    </section>
  );
}
