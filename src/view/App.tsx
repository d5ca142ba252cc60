/**
 * The page. On a wide screen the first view is the whole picture: a compact
 * header, then the workspace (the story's chapter, or the scenario in two lines; the reference flow;
 * beside it the locks and the threads with the active thread's call stack),
 * sized to the window above the fixed player bar; the timeline and the other
 * panels follow below. Phones stack the same panels.
 */
import type { PlayerInput } from './player/types.ts';
import { Player } from './context.ts';
import { Chrome, Keyboard, ThemeSync, UrlSync } from './Effects.tsx';
import { Header } from './components/Header.tsx';
import { Notices } from './components/Notices.tsx';
import { Stage } from './components/Stage.tsx';
import { ThreadsPanel } from './components/ThreadsPanel.tsx';
import { DiffPanel, LocksPanel, SidePanels, Timeline } from './components/Deferred.tsx';
import { PlayerBar } from './components/PlayerBar.tsx';
import { ScenarioIntro } from './components/ScenarioPanel.tsx';
import { Story } from './components/Story.tsx';
import { CounterexampleBar } from './components/Counterexample.tsx';
import './styles/base.css';
import './styles/layout.css';
import './styles/panels.css';
import './styles/playerbar.css';
import './styles/threads.css';
import './styles/more.css';
import './styles/page.css';
import './styles/story.css';
import './styles/static-dark.css';
import type { PlayerSnapshot } from './player/selectors.ts';

const storyOn = (s: PlayerSnapshot) => s.context.story?.on ?? false;

/** The scenario in two lines, when the story's chapter does not tell it. */
function Intro() {
  const inStory = Player.useSelector(storyOn);
  return inStory ? null : <ScenarioIntro />;
}

export function App({ input }: { input: PlayerInput }) {
  return (
    <Player.Provider options={{ input }}>
      <UrlSync />
      <ThemeSync />
      <Keyboard />
      <a className="skip" href="#main">
        Skip to the diagram
      </a>
      <Chrome>
        <Header />
        <Notices />
      </Chrome>
      <PlayerBar />
      <main id="main" className="layout" tabIndex={-1}>
        <div className="workspace">
          <div className="col-main">
            <Story />
            <Intro />
            <CounterexampleBar />
            <Stage bothLayouts />
          </div>
          <div className="col-side">
            <LocksPanel />
            <ThreadsPanel compact />
          </div>
        </div>
        <Timeline />
        <DiffPanel />
        <div className="more">
          <SidePanels />
        </div>
      </main>
    </Player.Provider>
  );
}
