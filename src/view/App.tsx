/** The page: header, notices, the stage and its panels, the sticky player bar. */
import type { PlayerInput } from './player/types.ts';
import { Player } from './context.ts';
import { Keyboard, ThemeSync, UrlSync } from './Effects.tsx';
import { Header } from './components/Header.tsx';
import { Notices } from './components/Notices.tsx';
import { Stage } from './components/Stage.tsx';
import { ThreadsPanel } from './components/ThreadsPanel.tsx';
import { LocksPanel, SidePanels, Timeline } from './components/Deferred.tsx';
import { PlayerBar } from './components/PlayerBar.tsx';
import { ScenarioIntro } from './components/ScenarioPanel.tsx';
import './styles/base.css';
import './styles/layout.css';
import './styles/panels.css';

export function App({ input }: { input: PlayerInput }) {
  return (
    <Player.Provider options={{ input }}>
      <UrlSync />
      <ThemeSync />
      <Keyboard />
      <a className="skip" href="#main">
        Skip to the diagram
      </a>
      <Header />
      <Notices />
      <PlayerBar />
      <main id="main" className="layout" tabIndex={-1}>
        <div className="col-main">
          <ScenarioIntro />
          <Stage />
          <LocksPanel />
          <Timeline />
        </div>
        <div className="col-side">
          <ThreadsPanel />
          <SidePanels />
        </div>
      </main>
    </Player.Provider>
  );
}
