/** The custom element's attributes (README, "Share and embed"), read by the same parser as the page's URL. */
import { badStepNotice, parseUrlState, pastEndNotice, type Notice, type ParsedUrl } from '../view/url.ts';

export const TAG = 'vfio-kvm-explorer';
/** scenario, era, step and theme are the page's URL parameters; schedule is the URL's `schedule=` (thread ids, comma-separated). */
export const ATTRIBUTES = ['scenario', 'era', 'step', 'schedule', 'theme'] as const;
export type AttributeName = (typeof ATTRIBUTES)[number];

/** The element's attributes as the page's query string. */
export function attributesToQuery(get: (name: AttributeName) => string | null): string {
  const q = new URLSearchParams();
  for (const a of ATTRIBUTES) {
    const v = get(a);
    if (v !== null) q.set(a, v.trim());
  }
  const s = q.toString();
  return s ? `?${s}` : '';
}

/** Player input and notices for the element's attributes (bad values fall back, with a notice, as in the URL). */
export function parseAttributes(get: (name: AttributeName) => string | null): ParsedUrl {
  return parseUrlState(attributesToQuery(get), '');
}

/** A `step` attribute's value, or null when it is not a step number. A removed attribute means step 0. */
export function parseStepAttribute(value: string | null): number | null {
  if (value === null) return 0;
  return parseUrlState(`?step=${encodeURIComponent(value.trim())}`, '').state.step;
}

/** A `theme` attribute's value; anything but light or dark means auto. */
export function parseThemeAttribute(value: string | null): 'light' | 'dark' | 'auto' {
  const v = value?.trim();
  return v === 'light' || v === 'dark' ? v : 'auto';
}

/**
 * The notice a live `step` or `theme` attribute change raises, as the same
 * value would at load (the URL's wording), or null when the value is good.
 * `total`: the micro-steps of the run shown, for a step past its end (the
 * last step is shown, as at load).
 */
export function attributeNotice(
  name: 'step' | 'theme',
  value: string | null,
  total = Infinity,
): Notice | null {
  if (value === null) return null;
  if (name === 'step') {
    const step = parseStepAttribute(value);
    // At load a bad step starts at step 0; changed in place, the element stays where it is.
    if (step === null) return badStepNotice(value.trim(), 'the step shown stays');
    return step > total ? pastEndNotice(step, total) : null;
  }
  return (
    parseUrlState(`?theme=${encodeURIComponent(value.trim())}`, '').notices.find((x) => x.id === 'theme') ??
    null
  );
}

/**
 * The `explorer` attribute: where the full explorer lives, for the "Open in
 * vfio-kvm-explorer" link (default: the directory of vfio-kvm-explorer.js,
 * which is right when the file is used from the explorer's own dist/). Only
 * an http(s) URL is taken; relative ones resolve against the page.
 */
export function parseExplorerAttribute(value: string | null, base: string, fallback: string): string {
  if (value === null || value.trim() === '') return fallback;
  try {
    const u = new URL(value.trim(), base);
    return u.protocol === 'https:' || u.protocol === 'http:' ? u.href : fallback;
  } catch {
    return fallback;
  }
}
