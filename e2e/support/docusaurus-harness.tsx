/**
 * A stand-in for a Docusaurus page, bundled by e2e/examples.spec.ts: the
 * recipe's component, rendered by React on the client, with <html data-theme>
 * as Docusaurus's colour-mode switch sets it.
 */
import { createRoot } from 'react-dom/client';
import VfioKvmExplorer from '../../examples/docusaurus/src/components/VfioKvmExplorer.tsx';

const explorer = document.documentElement.dataset.explorer!;
document.documentElement.dataset.theme = 'light';
createRoot(document.getElementById('root')!).render(
  <main>
    <p>An MDX page.</p>
    <VfioKvmExplorer scenario="del-while-open" era="before" step={52} explorer={explorer} />
    <p id="after">Text after the explorer.</p>
  </main>,
);
