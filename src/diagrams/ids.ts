import { useId } from 'react';

/**
 * A prefix that makes every id in one diagram instance unique on the page.
 * Ids must be XML NCNames (standalone SVG) and safe inside `url(#…)`, so
 * anything but letters, digits, "-" and "_" becomes "-".
 */
export function sanitizeId(s: string): string {
  const t = s.replace(/[^A-Za-z0-9_-]/g, '-');
  return /^[A-Za-z_]/.test(t) ? t : `d${t}`;
}

/** The caller's prefix, or one derived from React's useId (stable between server and client). */
export function useIdPrefix(idPrefix: string | undefined, kind: string): string {
  const auto = useId();
  return sanitizeId(idPrefix ?? `${kind}${auto}`);
}

/** `id('title')` → "<prefix>-title". */
export function idMaker(prefix: string): (local: string) => string {
  return (local) => `${prefix}-${sanitizeId(local)}`;
}
