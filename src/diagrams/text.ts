/**
 * Text measurement without a DOM: the static markup (renderToStaticMarkup,
 * the CLI's `render`) must lay text out before any browser measures it.
 *
 * Widths are per-character advances at 100 px, the larger of DejaVu Sans and
 * Liberation Sans (Arial metrics), measured in Chromium: DejaVu Sans is what
 * `system-ui` resolves to on most Linux machines and is the widest of the
 * usual system fonts, so an estimate from this table rarely under-measures
 * Segoe UI, SF or Roboto. Unknown characters count as 1 em.
 */

// prettier-ignore
const REGULAR = [32,40,46,84,64,95,78,27,39,39,50,84,32,36,32,34,64,64,64,64,64,64,64,64,64,64,34,34,84,84,84,56,102,68,69,72,77,67,61,78,75,29,50,67,56,86,75,79,67,79,72,67,61,73,68,99,69,67,69,39,34,39,84,56,50,61,63,55,63,62,35,63,63,28,28,58,28,97,63,61,63,63,41,52,39,63,59,82,59,59,52,64,34,64,84];
// prettier-ignore
const BOLD = [35,46,52,84,70,100,87,31,46,46,52,84,38,42,38,37,70,70,70,70,70,70,70,70,70,70,40,40,84,84,84,61,100,77,76,73,83,68,68,82,84,37,56,77,64,100,84,85,73,85,77,72,68,81,77,110,77,72,73,46,37,46,84,56,50,67,72,59,72,68,44,72,71,34,34,67,34,104,71,69,72,72,49,60,48,71,65,92,65,65,58,71,37,71,84];
const EXTRA: Record<string, number> = {
  '→': 100,
  '←': 100,
  '×': 84,
  '·': 38,
  '…': 100,
  '−': 84,
  '—': 100,
  '–': 56,
  '≠': 84,
  '•': 64,
  '“': 66,
  '”': 66,
  '‘': 38,
  '’': 38,
};

/** Advance of `s` at 100 px (cached: the same labels are measured on every step). */
const regular = new Map<string, number>();
const boldCache = new Map<string, number>();
function advance(s: string, bold: boolean): number {
  // One table per weight, keyed by the string itself (no key string built per lookup).
  const cache = bold ? boldCache : regular;
  let w = cache.get(s);
  if (w === undefined) {
    const table = bold ? BOLD : REGULAR;
    w = 0;
    for (const ch of s) {
      const c = ch.codePointAt(0)!;
      w += c >= 32 && c < 127 ? table[c - 32]! : (EXTRA[ch] ?? 100);
    }
    if (cache.size > 20000) cache.clear();
    cache.set(s, w);
  }
  return w;
}

/** Estimated advance width of `s` in px at `size` px. */
export function textWidth(s: string, size: number, bold = false, mono = false): number {
  if (mono) return [...s].length * 0.6 * size;
  return (advance(s, bold) * size) / 100;
}

/** Cut `s` to fit `max` px, ending with "…". */
export function truncate(s: string, max: number, size: number, bold = false, mono = false): string {
  if (textWidth(s, size, bold, mono) <= max) return s;
  const room = max - textWidth('…', size, bold, mono);
  const chars = [...s];
  let w = 0;
  let n = 0;
  for (; n < chars.length; n++) {
    const cw = textWidth(chars[n]!, size, bold, mono);
    if (w + cw > room) break;
    w += cw;
  }
  return n > 0 ? chars.slice(0, n).join('') + '…' : '';
}

/**
 * Greedy word wrap into lines of at most `max` px. A single word longer than
 * a line is broken at a character boundary (identifiers like
 * "vfio_register_iommu_notifier" have no spaces).
 */
export function wrap(s: string, max: number, size: number, bold = false, mono = false): string[] {
  const words = s.split(/\s+/).filter((w) => w.length > 0);
  const lines: string[] = [];
  let cur = '';
  const fits = (t: string) => textWidth(t, size, bold, mono) <= max;
  for (let w of words) {
    const next = cur ? `${cur} ${w}` : w;
    if (fits(next)) {
      cur = next;
      continue;
    }
    if (cur) lines.push(cur);
    while (!fits(w) && [...w].length > 1) {
      const chars = [...w];
      let n = chars.length - 1;
      while (n > 1 && !fits(chars.slice(0, n).join(''))) n--;
      lines.push(chars.slice(0, n).join(''));
      w = chars.slice(n).join('');
    }
    cur = w;
  }
  if (cur || lines.length === 0) lines.push(cur);
  return lines;
}
