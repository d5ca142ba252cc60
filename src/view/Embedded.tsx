/**
 * The embedded explorer: what embed.html and the <vfio-kvm-explorer> element
 * render. The same player machine and the same components as the page (the
 * diagram, the player bar with its live region, the threads), without the
 * page's chrome (header, pickers, side panels, explorer, editor). One code
 * path: the page renders App, the embeds render this.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { ActorRefFrom } from 'xstate';
import type { PlayerMachine } from './player/machine.ts';
import type { PlayerInput } from './player/types.ts';
import { Player } from './context.ts';
import { Keyboard, ThemeSync } from './Effects.tsx';
import { useResolvedTheme } from './hooks.ts';
import { urlOf, type PlayerSnapshot } from './player/selectors.ts';
import { pageLink } from './share.ts';
import { Notices } from './components/Notices.tsx';
import { Stage } from './components/Stage.tsx';
import { PlayerBar } from './components/PlayerBar.tsx';
import { ThreadsPanel } from './components/ThreadsPanel.tsx';

export type PlayerActor = ActorRefFrom<PlayerMachine>;

export interface EmbeddedProps {
  input: PlayerInput;
  /** Absolute URL of the full explorer (its directory or index.html), for "Open in vfio-kvm-explorer". */
  pageHref: string;
  /**
   * embed.html owns its document: the theme goes on <html> and the keys are
   * the document's. The custom element keeps to its shadow root.
   */
  ownsDocument: boolean;
  /** Receives the player actor once mounted, and null when it goes (the host bridge sends commands through it). */
  onActor?: (actor: PlayerActor | null) => void;
}

export function Embedded({ input, ...rest }: EmbeddedProps) {
  return (
    <Player.Provider options={{ input }}>
      <EmbeddedBody {...rest} />
    </Player.Provider>
  );
}

const titleOf = (s: PlayerSnapshot) => s.context.scenario.title;

function EmbeddedBody({ pageHref, ownsDocument, onActor }: Omit<EmbeddedProps, 'input'>) {
  const actor = Player.useActorRef();
  useEffect(() => {
    onActor?.(actor);
    return () => onActor?.(null);
  }, [actor, onActor]);
  const theme = useResolvedTheme();
  const root = useRef<HTMLDivElement>(null);
  const title = Player.useSelector(titleOf);
  const link = Player.useSelector(
    useCallback((s: PlayerSnapshot) => pageLink(pageHref, urlOf(s.context)), [pageHref]),
  );
  return (
    <div
      ref={root}
      className="vke-root"
      data-theme={theme}
      data-embedded={ownsDocument ? 'iframe' : 'element'}
      tabIndex={ownsDocument ? undefined : -1}
    >
      {ownsDocument ? (
        <>
          <ThemeSync />
          <Keyboard />
        </>
      ) : (
        <Keyboard scope={root} />
      )}
      <Notices />
      <Stage compare={false} />
      <PlayerBar variant="embedded" />
      <ThreadsDetails />
      <footer className="embed-foot">
        <span className="embed-scenario">{title}</span>
        <a href={link} target="_blank" rel="noopener" data-testid="open-full">
          Open in vfio-kvm-explorer<span className="vh"> (opens a new tab)</span>
        </a>
      </footer>
    </div>
  );
}

/** The threads and their call stacks, folded: rendered only once opened. */
function ThreadsDetails() {
  const [open, setOpen] = useState(false);
  return (
    <details className="panel embed-threads" onToggle={(e) => setOpen(e.currentTarget.open)}>
      <summary>Threads and call stacks</summary>
      {open && <ThreadsPanel />}
    </details>
  );
}
