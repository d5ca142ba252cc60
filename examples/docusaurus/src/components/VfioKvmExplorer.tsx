/**
 * vfio-kvm-explorer in a Docusaurus site (src/components/VfioKvmExplorer.tsx):
 *
 *   <VfioKvmExplorer scenario="del-while-open" era="before" step={50} height={780} />
 *
 * The explorer's embed.html in an iframe, rendered in the browser only (the
 * prerendered page has a placeholder of `height`, the explorer's height at
 * that moment, so nothing moves when it loads), sized by the explorer's resize
 * messages (from that iframe and the explorer's origin only), and following
 * the site's colour mode: the theme is in the iframe's address from the
 * start, and a switch is passed on with the theme message once it has loaded.
 *
 * The explorer's address comes from one place: `customFields.vfioKvmExplorer`
 * in docusaurus.config.js (the `explorer` prop overrides it).
 */
import { useEffect, useRef, useState } from 'react';
import useDocusaurusContext from '@docusaurus/useDocusaurusContext';
import { useColorMode } from '@docusaurus/theme-common';

export type VfioKvmExplorerTheme = 'light' | 'dark' | 'auto';

export interface VfioKvmExplorerProps {
  /** A built-in scenario id (`npx vfio-kvm list`). */
  scenario: string;
  /** An era id or commit id; default: the scenario's own. */
  era?: string;
  /** The step to open at; default 0. */
  step?: number;
  /** An exact interleaving, as the explorer's permalinks give it (Q,Q,KV,…). */
  schedule?: string;
  /** light, dark or auto (the reader's system); default: the site's colour mode, live. */
  theme?: VfioKvmExplorerTheme;
  /** The explorer's base URL (its dist/); default: customFields.vfioKvmExplorer. */
  explorer?: string;
  /** The iframe's accessible name. */
  title?: string;
  /**
   * The explorer's height at this moment (px), reserved before it loads. It reports its real
   * height when it runs: read it once (the iframe's height in the browser's inspector) and put it here.
   */
  height?: number;
}

const RESIZE = 'vfio-kvm-explorer:resize';
const THEME = 'vfio-kvm-explorer:theme';

export default function VfioKvmExplorer({
  scenario,
  era,
  step,
  schedule,
  theme,
  explorer,
  title,
  height = 960,
}: VfioKvmExplorerProps) {
  const { siteConfig } = useDocusaurusContext();
  const { colorMode } = useColorMode();
  const base = (explorer ?? String(siteConfig.customFields?.vfioKvmExplorer ?? '')).replace(/\/$/, '');
  const origin = originOf(base);
  const wanted: VfioKvmExplorerTheme = theme ?? (colorMode === 'dark' ? 'dark' : 'light');

  const frame = useRef<HTMLIFrameElement>(null);
  const loaded = useRef(false);
  const [mounted, setMounted] = useState(false);
  const [reported, setReported] = useState<number | null>(null);
  // The theme in the address is the one at mount: a later switch is a message, not a reload.
  const [src, setSrc] = useState('');

  useEffect(() => {
    setMounted(true);
  }, []);

  useEffect(() => {
    if (!mounted || !origin) return;
    const q = new URLSearchParams({ scenario });
    if (era) q.set('era', era);
    if (step !== undefined) q.set('step', String(step));
    if (schedule) q.set('schedule', schedule);
    q.set('theme', wanted);
    q.set('v', '1');
    setSrc(`${base}/embed.html?${q.toString()}`);
    loaded.current = false;
    // Only a new moment or address reloads the frame; `wanted` reaches it as a message (below).
  }, [mounted, base, origin, scenario, era, step, schedule]);

  // The explorer's height, from this iframe and the explorer's origin only; its first report also says it runs.
  useEffect(() => {
    if (!src) return;
    const onMessage = (e: MessageEvent) => {
      const d = e.data as { type?: unknown; height?: unknown } | null;
      if (e.origin !== origin || e.source !== frame.current?.contentWindow || !d || d.type !== RESIZE) return;
      if (typeof d.height !== 'number' || !(d.height > 0 && d.height < 20000)) return;
      setReported(Math.ceil(d.height));
      markLoaded();
    };
    window.addEventListener('message', onMessage);
    return () => window.removeEventListener('message', onMessage);
  });

  // The site's switch: sent once the frame has loaded (before that its window is about:blank).
  const sendTheme = () => {
    if (!loaded.current || !origin) return;
    frame.current?.contentWindow?.postMessage({ type: THEME, theme: wanted }, origin);
  };
  const markLoaded = () => {
    if (loaded.current) return;
    loaded.current = true;
    sendTheme();
  };
  useEffect(sendTheme, [wanted]);

  const name = title ?? `vfio-kvm-explorer: ${scenario}${era ? ` (${era})` : ''}`;
  if (!origin)
    return (
      <p role="alert" className="vfio-kvm-explorer-error">
        vfio-kvm-explorer: set customFields.vfioKvmExplorer in docusaurus.config.js (or the explorer prop) to
        the explorer's http(s) address; got {JSON.stringify(base)}.
      </p>
    );
  if (!src)
    return (
      <div className="vfio-kvm-explorer-placeholder" style={{ height }} aria-busy="true" aria-label={name} />
    );
  return (
    <iframe
      ref={frame}
      className="vfio-kvm-explorer"
      src={src}
      title={name}
      width="100%"
      height={reported ?? height}
      loading="lazy"
      onLoad={markLoaded}
      style={{ border: 0, display: 'block' }}
    />
  );
}

function originOf(url: string): string | null {
  try {
    const u = new URL(url);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.origin : null;
  } catch {
    return null;
  }
}
