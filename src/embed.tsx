/**
 * Entry point of embed.html: the explorer without the page's chrome (README, "Share and embed").
 * It starts when scrolled into view (or when the parent sends a command),
 * takes commands and the theme only from its parent window, and reports its
 * height to it.
 */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { rootOptions } from './view/rootOptions.ts';
import { Embedded, type PlayerActor } from './view/Embedded.tsx';
import { parseUrlState } from './view/url.ts';
import { EmbedBridge } from './view/embed/bridge.ts';
import { whenVisible } from './view/embed/visibility.ts';
import './view/styles/base.css';
import './view/styles/layout.css';
import './view/styles/panels.css';
import './view/styles/playerbar.css';
import './view/styles/threads.css';
import './view/styles/embedded.css';

const parsed = parseUrlState(location.search, location.hash);
const root = document.getElementById('root')!;
let started = false;
let watching = false;

function onActor(actor: PlayerActor | null) {
  bridge.attach(actor);
  // Report heights from the first real render on (the loading box only fills the frame's initial height).
  if (actor && !watching) {
    watching = true;
    bridge.watchHeight(root);
  }
}

function start() {
  if (started) return;
  started = true;
  stopWaiting();
  createRoot(root, rootOptions).render(
    <StrictMode>
      <Embedded
        input={{ url: parsed.state, notices: parsed.notices }}
        pageHref={new URL('./', location.href).href}
        ownsDocument
        onActor={onActor}
      />
    </StrictMode>,
  );
}

const bridge = new EmbedBridge(window, start);
const stopWaiting = whenVisible(root, start);
