/** Entry point of index.html: read the address once, then the player owns it. */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { rootOptions } from './view/rootOptions.ts';
import { App } from './view/App.tsx';
import { parseUrlState } from './view/url.ts';

const parsed = parseUrlState(location.search, location.hash);
createRoot(document.getElementById('root')!, rootOptions).render(
  <StrictMode>
    <App input={{ url: parsed.state, notices: parsed.notices }} />
  </StrictMode>,
);
