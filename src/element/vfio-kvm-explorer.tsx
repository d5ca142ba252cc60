/**
 * <vfio-kvm-explorer scenario="…" era="…" step="…" schedule="…" theme="…" explorer="…"> (README, "Share and embed")
 *
 * The embedded explorer (../view/Embedded.tsx, the same components and player
 * machine as the page) as a custom element, built into one ES module file,
 * dist/vfio-kvm-explorer.js, with everything inlined (no further requests).
 *
 * - Styles live in its shadow root as one constructable stylesheet
 *   (adoptedStyleSheets), so it needs no <style> element and no inline style
 *   attribute: it works under `style-src 'self'`.
 * - It starts when it is shown (on screen, with a size): in a closed
 *   <details> or a hidden tab it waits, and lays out at its real width once
 *   opened.
 * - Every instance has its own React root and player actor; keys act only
 *   when the focus is inside it.
 * - Attribute changes: `step` moves (animated when it is the next step),
 *   `theme` switches, `scenario`/`era`/`schedule` reload it. Bad values show
 *   a notice and fall back, as the page does for its URL. `explorer` (the
 *   full explorer's address, for "Open in vfio-kvm-explorer") defaults to
 *   this module's directory.
 * - Removed from the page, it unmounts (timers, observers, the actor stop).
 *
 * It has no interleaving explorer (no Web Worker): see ./no-explorer.ts.
 */
import { StrictMode } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { rootOptions } from '../view/rootOptions.ts';
import { Embedded, type PlayerActor } from '../view/Embedded.tsx';
import { whenVisible } from '../view/embed/visibility.ts';
import {
  ATTRIBUTES,
  TAG,
  attributeNotice,
  parseAttributes,
  parseExplorerAttribute,
  parseStepAttribute,
  parseThemeAttribute,
} from './attributes.ts';
import baseCss from '../view/styles/base.css?inline';
import layoutCss from '../view/styles/layout.css?inline';
import panelsCss from '../view/styles/panels.css?inline';
import playerbarCss from '../view/styles/playerbar.css?inline';
import threadsCss from '../view/styles/threads.css?inline';
import embeddedCss from '../view/styles/embedded.css?inline';
import elementCss from './element.css?inline';

export { TAG, ATTRIBUTES };

/** The full explorer next to this module (dist/index.html), for "Open in vfio-kvm-explorer". */
const PAGE_HREF = new URL(/* @vite-ignore */ './', import.meta.url).href;

// One stylesheet shared by every instance (read-only once built).
let sheet: CSSStyleSheet | null = null;
function stylesheet(): CSSStyleSheet {
  if (!sheet) {
    sheet = new CSSStyleSheet();
    sheet.replaceSync(
      [baseCss, layoutCss, panelsCss, playerbarCss, threadsCss, embeddedCss, elementCss].join('\n'),
    );
  }
  return sheet;
}

export class VfioKvmExplorerElement extends HTMLElement {
  static get observedAttributes(): string[] {
    return [...ATTRIBUTES, 'explorer'];
  }

  readonly #mount: HTMLDivElement;
  #root: Root | null = null;
  #actor: PlayerActor | null = null;
  #stopWaiting: (() => void) | null = null;
  #reloadQueued = false;
  #key = 0;

  constructor() {
    super();
    const shadow = this.attachShadow({ mode: 'open' });
    shadow.adoptedStyleSheets = [stylesheet()];
    this.#mount = document.createElement('div');
    this.#mount.className = 'vke-mount';
    shadow.append(this.#mount);
  }

  connectedCallback(): void {
    // Moved within the page (disconnected and connected in one task): it keeps running.
    if (this.#root || this.#stopWaiting) return;
    this.#showWaiting();
    this.#stopWaiting = whenVisible(this, () => {
      this.#stopWaiting = null;
      this.#start();
    });
  }

  disconnectedCallback(): void {
    queueMicrotask(() => {
      if (!this.isConnected) this.#teardown();
    });
  }

  attributeChangedCallback(name: string, old: string | null, value: string | null): void {
    if (old === value || !this.#root) return; // not started: #start reads every attribute
    if (name === 'theme') {
      this.#actor?.send({ type: 'theme', theme: parseThemeAttribute(value) });
      this.#notice('theme', value);
    } else if (name === 'step' && !this.#reloadQueued) {
      // A bad step keeps the step shown, with the notice the same value gives at load.
      const step = parseStepAttribute(value);
      if (step !== null) this.#actor?.send({ type: 'goto', step });
      this.#notice('step', value);
    } else if (!this.#reloadQueued) {
      // scenario, era, schedule, explorer: reload once, after every attribute set in this task has landed.
      this.#reloadQueued = true;
      queueMicrotask(() => {
        this.#reloadQueued = false;
        if (this.#root) this.#render();
      });
    }
  }

  /** Show or clear the notice of a live attribute, so that the notices always match the attributes. */
  #notice(name: 'step' | 'theme', value: string | null): void {
    const n = attributeNotice(name, value, this.#actor?.getSnapshot().context.total);
    this.#actor?.send(n ? { type: 'notice.show', notice: n } : { type: 'notice.dismiss', id: name });
  }

  #showWaiting(): void {
    const box = document.createElement('div');
    box.className = 'vke-root vke-waiting';
    const t = this.getAttribute('theme');
    if (t === 'light' || t === 'dark') box.dataset.theme = t;
    const p = document.createElement('p');
    p.className = 'loading';
    p.textContent = 'vfio-kvm-explorer starts when it is shown.';
    box.append(p);
    this.#mount.replaceChildren(box);
  }

  #start(): void {
    this.#mount.replaceChildren();
    this.#root = createRoot(this.#mount, rootOptions);
    this.#render();
  }

  readonly #onActor = (actor: PlayerActor | null) => {
    this.#actor = actor;
  };

  #render(): void {
    const parsed = parseAttributes((a) => this.getAttribute(a));
    this.#key++;
    this.#root!.render(
      <StrictMode>
        <Embedded
          key={this.#key}
          input={{ url: parsed.state, notices: parsed.notices }}
          pageHref={parseExplorerAttribute(this.getAttribute('explorer'), document.baseURI, PAGE_HREF)}
          ownsDocument={false}
          onActor={this.#onActor}
        />
      </StrictMode>,
    );
  }

  #teardown(): void {
    this.#stopWaiting?.();
    this.#stopWaiting = null;
    this.#root?.unmount();
    this.#root = null;
    this.#actor = null;
    this.#mount.replaceChildren();
  }
}

if (typeof customElements !== 'undefined' && !customElements.get(TAG))
  customElements.define(TAG, VfioKvmExplorerElement);

declare global {
  interface HTMLElementTagNameMap {
    'vfio-kvm-explorer': VfioKvmExplorerElement;
  }
}
