/**
 * Around every lazily loaded part (panels, side-by-side view, editor): when
 * its chunk cannot load — typically the site was redeployed while this tab
 * was open, so the old chunk name is gone (404), or the network dropped —
 * say so where the part would be, offer a reload, and keep the rest of the
 * explorer working, instead of an uncaught error that unmounts the page.
 * (The roots log what a boundary caught as a warning: src/view/rootOptions.ts.)
 */
import { Component, type ReactNode } from 'react';

interface Props {
  /** What failed to load, in words: "the timeline". */
  what: string;
  children: ReactNode;
}

interface State {
  failed: boolean;
}

export class ChunkBoundary extends Component<Props, State> {
  override state: State = { failed: false };

  static getDerivedStateFromError(): State {
    return { failed: true };
  }

  override render(): ReactNode {
    if (!this.state.failed) return this.props.children;
    return (
      <div className="chunk-failed" role="status">
        <p>
          {capitalise(this.props.what)} could not load. The site may have been updated since this page was
          opened, or the network is down.
        </p>
        <button type="button" className="btn" onClick={() => location.reload()}>
          Reload the page
        </button>
      </div>
    );
  }
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
