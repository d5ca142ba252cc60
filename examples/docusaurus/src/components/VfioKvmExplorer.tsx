/**
 * vfio-kvm-explorer in a Docusaurus (React) site: the explorer's embed.html in
 * an iframe, rendered on the client only (the static HTML that Docusaurus
 * prerenders has a placeholder of the same height, so nothing jumps), sized
 * by the explorer's resize messages, following the site's light/dark switch
 * (Docusaurus sets <html data-theme>) with the theme message.
 *
 * Needs only React: no @docusaurus/* import, so it also works in any React app.
 */
import { useEffect, useRef, useState } from 'react';

/** Where the explorer's dist/ is served. Locally: `npm run build && npm run preview`. */
export const EXPLORER = 'http://127.0.0.1:4173';

export interface VfioKvmExplorerProps {
  scenario: string;
  era?: 'v5.18' | 'before' | 'after' | 'fixed';
  step?: number;
  /** Base URL of the explorer's dist/ (default EXPLORER). */
  explorer?: string;
  /** The iframe's accessible name. */
  title?: string;
  /** Height before the explorer reports its own. */
  initialHeight?: number;
}

function siteTheme(): 'light' | 'dark' {
  return document.documentElement.dataset.theme === 'dark' ? 'dark' : 'light';
}

export default function VfioKvmExplorer({
  scenario,
  era,
  step,
  explorer = EXPLORER,
  title,
  initialHeight = 640,
}: VfioKvmExplorerProps) {
  const [mounted, setMounted] = useState(false);
  const [height, setHeight] = useState(initialHeight);
  const frame = useRef<HTMLIFrameElement>(null);
  const origin = new URL(explorer).origin;

  const q = new URLSearchParams({ scenario });
  if (era) q.set('era', era);
  if (step !== undefined) q.set('step', String(step));
  q.set('v', '1');
  const src = `${explorer.replace(/\/$/, '')}/embed.html?${q.toString()}`;

  // Client only: the server renders the placeholder.
  useEffect(() => setMounted(true), []);

  // The explorer's height, from this iframe and the explorer's origin only.
  useEffect(() => {
    if (!mounted) return;
    const onMessage = (e: MessageEvent) => {
      const d = e.data as { type?: unknown; height?: unknown } | null;
      if (
        e.origin !== origin ||
        e.source !== frame.current?.contentWindow ||
        !d ||
        d.type !== 'vfio-kvm-explorer:resize'
      )
        return;
      if (typeof d.height === 'number' && d.height > 0 && d.height < 20000) setHeight(Math.ceil(d.height));
    };
    window.addEventListener('message', onMessage);
    return () => window.removeEventListener('message', onMessage);
  }, [mounted, origin]);

  // Docusaurus's colour mode switch: pass it on as the theme message.
  useEffect(() => {
    if (!mounted) return;
    const send = () =>
      frame.current?.contentWindow?.postMessage(
        { type: 'vfio-kvm-explorer:theme', theme: siteTheme() },
        origin,
      );
    const f = frame.current;
    f?.addEventListener('load', send);
    const mo = new MutationObserver(send);
    mo.observe(document.documentElement, { attributes: true, attributeFilter: ['data-theme'] });
    return () => {
      f?.removeEventListener('load', send);
      mo.disconnect();
    };
  }, [mounted, origin]);

  const name = title ?? `vfio-kvm-explorer: ${scenario}${era ? ` (${era})` : ''}`;
  if (!mounted)
    return (
      <div
        className="vfio-kvm-explorer-placeholder"
        style={{ height: initialHeight }}
        aria-busy="true"
        aria-label={name}
      />
    );
  return (
    <iframe
      ref={frame}
      src={src}
      title={name}
      width="100%"
      height={height}
      loading="lazy"
      style={{ border: 0, display: 'block' }}
    />
  );
}
