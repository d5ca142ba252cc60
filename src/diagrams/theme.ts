/**
 * Light and dark themes as plain objects. Every colour in the diagrams comes
 * from here and is written as an SVG presentation attribute (fill, stroke,
 * font-family …): no `style` attribute, no `<style>` element, no external
 * font, so the same markup works under `style-src 'self'`, in a shadow root
 * and as a standalone SVG file.
 *
 * Text colours are checked against the surfaces they are drawn on for WCAG AA
 * (4.5:1) in theme.test.ts; line and mark colours for 3:1 (WCAG 1.4.11).
 */

export type ThemeName = 'light' | 'dark';

/** System font stacks with fallbacks (nothing is downloaded). */
export const FONT_SANS =
  "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, 'Liberation Sans', 'DejaVu Sans', sans-serif";
export const FONT_MONO =
  "ui-monospace, SFMono-Regular, Menlo, Consolas, 'Liberation Mono', 'DejaVu Sans Mono', monospace";

export interface Theme {
  name: ThemeName;
  fontSans: string;
  fontMono: string;
  /** Page / diagram background. */
  bg: string;
  /** Card fill. */
  surface: string;
  /** Inner card (KVM-VFIO device inside a VM), chips, lane stripes. */
  surface2: string;
  border: string;
  text: string;
  textMuted: string;
  ok: string;
  warn: string;
  danger: string;
  accent: string;
  /** Banner / badge fills behind text of the same tone. */
  okBg: string;
  warnBg: string;
  dangerBg: string;
  accentBg: string;
  /** Edge strokes. */
  edge: {
    counted: string;
    pointer: string;
    structural: string;
    null: string;
    dying: string;
    dangling: string;
  };
  /** Hatch lines over a freed VM / a blocked span. */
  hatch: string;
  /** Animation tokens (pointer pill, +1 / −1). */
  token: { ptr: string; get: string; put: string; text: string };
  /** One per thread lane, in order (cycled); lanes are also labelled, colour is never the only cue. */
  threads: readonly string[];
}

export const LIGHT: Theme = {
  name: 'light',
  fontSans: FONT_SANS,
  fontMono: FONT_MONO,
  bg: '#ffffff',
  surface: '#f6f8fa',
  surface2: '#eaeef2',
  border: '#818b98',
  text: '#1f2328',
  textMuted: '#59636e',
  ok: '#116329',
  warn: '#7d4e00',
  danger: '#b3151f',
  accent: '#0550ae',
  okBg: '#dafbe1',
  warnBg: '#fff8c5',
  dangerBg: '#ffebe9',
  accentBg: '#ddf4ff',
  edge: {
    counted: '#116329',
    pointer: '#0550ae',
    structural: '#818b98',
    null: '#818b98',
    dying: '#9a6700',
    dangling: '#b3151f',
  },
  hatch: '#d1242f',
  token: { ptr: '#0550ae', get: '#116329', put: '#7d4e00', text: '#ffffff' },
  threads: ['#0969da', '#bc4c00', '#8250df', '#1b7c83', '#bf3989', '#57606a'],
};

export const DARK: Theme = {
  name: 'dark',
  fontSans: FONT_SANS,
  fontMono: FONT_MONO,
  bg: '#0d1117',
  surface: '#161b22',
  surface2: '#21262d',
  border: '#768390',
  text: '#e6edf3',
  textMuted: '#9198a1',
  ok: '#56d364',
  warn: '#e3b341',
  danger: '#ff7b72',
  accent: '#79c0ff',
  okBg: '#12261e',
  warnBg: '#3a2d06',
  dangerBg: '#3c1618',
  accentBg: '#0c2d6b',
  edge: {
    counted: '#56d364',
    pointer: '#79c0ff',
    structural: '#768390',
    null: '#768390',
    dying: '#e3b341',
    dangling: '#ff7b72',
  },
  hatch: '#ff7b72',
  token: { ptr: '#79c0ff', get: '#56d364', put: '#e3b341', text: '#0d1117' },
  threads: ['#58a6ff', '#f0883e', '#bc8cff', '#39c5cf', '#ff7eb6', '#a5b3c2'],
};

export const THEMES: Record<ThemeName, Theme> = { light: LIGHT, dark: DARK };

/** A theme by name, or the object itself (a host may pass its own, e.g. high contrast). */
export function resolveTheme(t: ThemeName | Theme | undefined): Theme {
  if (!t) return LIGHT;
  return typeof t === 'string' ? (THEMES[t] ?? LIGHT) : t;
}

export type Tone = 'normal' | 'muted' | 'ok' | 'warn' | 'danger' | 'accent';

export function toneColor(theme: Theme, tone: Tone | undefined): string {
  switch (tone) {
    case 'muted':
      return theme.textMuted;
    case 'ok':
      return theme.ok;
    case 'warn':
      return theme.warn;
    case 'danger':
      return theme.danger;
    case 'accent':
      return theme.accent;
    default:
      return theme.text;
  }
}

export function toneBg(theme: Theme, tone: Tone | undefined): string {
  switch (tone) {
    case 'ok':
      return theme.okBg;
    case 'warn':
      return theme.warnBg;
    case 'danger':
      return theme.dangerBg;
    case 'accent':
      return theme.accentBg;
    default:
      return theme.surface2;
  }
}

function channel(c: number): number {
  const s = c / 255;
  return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
}

/** WCAG relative luminance of a #rrggbb colour. */
export function luminance(hex: string): number {
  const m = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex);
  if (!m) throw new Error(`not a #rrggbb colour: ${hex}`);
  const [r, g, b] = [m[1]!, m[2]!, m[3]!].map((x) => channel(parseInt(x, 16)));
  return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
}

/** WCAG contrast ratio between two #rrggbb colours (1 … 21). */
export function contrastRatio(a: string, b: string): number {
  const la = luminance(a);
  const lb = luminance(b);
  return (Math.max(la, lb) + 0.05) / (Math.min(la, lb) + 0.05);
}

/**
 * Each colour of `from` and the colour of `to` that takes its place, token by token: the diagrams
 * drawn with `from` become the ones drawn with `to` by replacing every colour through this map (the
 * page's build-time view is drawn light and shown dark this way, src/view/styles/staticDark.ts).
 * Throws if one colour of `from` stands for two different colours of `to`.
 */
export function themeColorMap(from: Theme, to: Theme): Map<string, string> {
  const map = new Map<string, string>();
  const walk = (a: unknown, b: unknown, path: string) => {
    if (typeof a === 'string' && typeof b === 'string') {
      if (!/^#[0-9a-f]{6}$/i.test(a)) return;
      const seen = map.get(a);
      if (seen !== undefined && seen !== b)
        throw new Error(`theme colour ${a} (${path}) stands for both ${seen} and ${b}`);
      map.set(a, b);
      return;
    }
    if (a && b && typeof a === 'object' && typeof b === 'object')
      for (const k of Object.keys(a))
        walk((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], `${path}.${k}`);
  };
  walk(from, to, from.name);
  return map;
}
