/**
 * embed.html's side of the protocol (./messages.ts; README, "embed.html in an iframe"): commands and
 * the theme only from the parent window, its height to the parent whenever
 * it changes. Installed before the explorer starts, so a command that comes
 * while it waits to be scrolled into view is kept and starts it.
 */
import type { PlayerEvent } from '../player/types.ts';
import { parseHostMessage, resizeMessage, toPlayerEvent } from './messages.ts';

/** What the bridge sends events to: the player actor. */
export interface EventSink {
  send(e: PlayerEvent): void;
}

const MAX_QUEUED = 64;

export class EmbedBridge {
  private sink: EventSink | null = null;
  private queue: PlayerEvent[] = [];
  private lastHeight = -1;

  constructor(
    private readonly win: Window,
    /** Called when a valid command arrives before the explorer has started. */
    private readonly onWake: () => void = () => {},
  ) {
    win.addEventListener('message', this.onMessage);
  }

  /** True when the page has a parent window (it is in a frame). */
  get framed(): boolean {
    return this.win.parent !== this.win;
  }

  private readonly onMessage = (e: MessageEvent) => {
    // Only the parent window may drive the explorer; a top-level embed.html has none.
    if (!this.framed || e.source !== this.win.parent) return;
    const r = parseHostMessage(e.data);
    if (!r.ok) {
      // Someone else's messages are none of our business; a malformed one of ours is worth a note (never an error).
      if (r.ours) console.warn(`vfio-kvm-explorer: ignored a message from the parent page: ${r.reason}`);
      return;
    }
    const ev = toPlayerEvent(r.message);
    if (this.sink) this.sink.send(ev);
    else {
      if (this.queue.length < MAX_QUEUED) this.queue.push(ev);
      this.onWake();
    }
  };

  /** The player actor (or null when it goes). Queued events are delivered in order. */
  readonly attach = (sink: EventSink | null) => {
    this.sink = sink;
    if (!sink) return;
    const q = this.queue;
    this.queue = [];
    for (const ev of q) sink.send(ev);
  };

  /** Report `el`'s height to the parent now and whenever it changes. */
  watchHeight(el: HTMLElement): () => void {
    const report = () => {
      const h = Math.ceil(el.getBoundingClientRect().height);
      if (h === this.lastHeight || h <= 0) return;
      this.lastHeight = h;
      // The height is no secret: any embedder may read it ('*').
      if (this.framed) this.win.parent.postMessage(resizeMessage(h), '*');
    };
    if (typeof ResizeObserver !== 'function') {
      report();
      return () => {};
    }
    const ro = new ResizeObserver(report);
    ro.observe(el);
    report();
    return () => ro.disconnect();
  }

  dispose(): void {
    this.win.removeEventListener('message', this.onMessage);
    this.sink = null;
    this.queue = [];
  }
}
