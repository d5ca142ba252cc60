/** Entry point of index.html: read the address once (no parameters: the story), then the player owns it. */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { rootOptions } from './view/rootOptions.ts';
import { App } from './view/App.tsx';
import { pageUrlState } from './view/url.ts';

const parsed = pageUrlState(location.search, location.hash);
createRoot(document.getElementById('root')!, rootOptions).render(
  <StrictMode>
    <App input={{ url: parsed.state, notices: parsed.notices }} />
  </StrictMode>,
);
