/**
 * Plain text that pastes cleanly: the width rule of kernel commit messages
 * (75 columns, what checkpatch allows) and escaping of anything that a
 * terminal or a mail client would interpret instead of showing.
 */

/** The widest line a report or a diagram may have. */
export const MAX_COLS = 75;

/**
 * Characters never printed raw: C0 controls (newline excepted), DEL, C1
 * controls (ESC, CSI and OSC start sequences and their 8-bit forms), the
 * Unicode line and paragraph separators, and the bidirectional formatting
 * characters that reorder how text is displayed (Trojan Source).
 */
/* eslint-disable no-control-regex -- these patterns exist to find control characters */
export const UNSAFE_CHARS =
  /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]/g;

/** Same set, newline included: for text that must stay on one line. */
export const UNSAFE_INLINE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]/g;

/** The first unsafe character of a one-line text (not global: no lastIndex state). */
const FIRST_UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]/;
/* eslint-enable no-control-regex */

function uEscape(c: string): string {
  return `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
}

/**
 * Escape the unsafe characters as `\uXXXX`. The form is also a JSON string
 * escape, so applying it to JSON output keeps the JSON valid and equal.
 */
export function escapeUnsafe(s: string): string {
  return s.replace(UNSAFE_CHARS, uEscape);
}

/** One line of untrusted text: every unsafe character escaped, newlines too. */
export function escapeInline(s: string): string {
  return s.replace(UNSAFE_INLINE, uEscape);
}

/** The first character escapeInline would change, and its offset; null if none. */
export function firstUnsafe(s: string): { char: string; index: number } | null {
  const m = FIRST_UNSAFE.exec(s);
  return m ? { char: m[0], index: m.index } : null;
}

function isWide(cp: number): boolean {
  return (
    (cp >= 0x1100 && cp <= 0x115f) ||
    (cp >= 0x2e80 && cp <= 0xa4cf && cp !== 0x303f) ||
    (cp >= 0xac00 && cp <= 0xd7a3) ||
    (cp >= 0xf900 && cp <= 0xfaff) ||
    (cp >= 0xfe30 && cp <= 0xfe4f) ||
    (cp >= 0xff00 && cp <= 0xff60) ||
    (cp >= 0xffe0 && cp <= 0xffe6) ||
    (cp >= 0x1f300 && cp <= 0x1faff) ||
    (cp >= 0x20000 && cp <= 0x3fffd)
  );
}

/** Columns a string takes in a fixed-width font: wide East Asian characters and emoji 2, combining marks 0. */
export function displayWidth(s: string): number {
  let w = 0;
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    if ((cp >= 0x300 && cp <= 0x36f) || cp === 0x200b || cp === 0x200d || (cp >= 0xfe00 && cp <= 0xfe0f))
      continue;
    w += isWide(cp) ? 2 : 1;
  }
  return w;
}

/** The longest prefix of `s` that fits in `cols` columns. */
function fitPrefix(s: string, cols: number): string {
  let w = 0;
  let out = '';
  for (const ch of s) {
    const cw = displayWidth(ch);
    if (w + cw > cols) break;
    w += cw;
    out += ch;
  }
  return out;
}

/** Cut `s` to `cols` columns, ending in "…" when it was longer. */
export function truncate(s: string, cols: number): string {
  if (displayWidth(s) <= cols) return s;
  return fitPrefix(s, Math.max(0, cols - 1)) + '…';
}

/**
 * Wrap one line to `width` columns. Breaks after a space, a comma, or
 * before an opening parenthesis or an arrow; a word longer than the
 * room left is cut. Continuation lines get the line's own indentation
 * plus `hang` spaces.
 */
export function wrapLine(line: string, width = MAX_COLS, hang = 2): string[] {
  if (displayWidth(line) <= width) return [line];
  const indent = /^ */.exec(line)![0].length;
  const pad = ' '.repeat(Math.min(indent + hang, Math.floor(width / 2)));
  const out: string[] = [];
  let rest = line;
  let first = true;
  while (displayWidth(rest) > width) {
    const head = fitPrefix(rest, width);
    let cut = -1;
    for (let i = head.length - 1; i > (first ? indent : pad.length); i--) {
      const c = head[i]!;
      const next = rest[i + 1];
      if (c === ' ' || c === ',' || c === ';') {
        cut = i + 1;
        break;
      }
      if ((next === '(' || (next === '-' && rest[i + 2] === '>')) && i + 1 > (first ? indent : pad.length)) {
        cut = i + 1;
        break;
      }
    }
    if (cut <= 0) cut = head.length;
    out.push(rest.slice(0, cut).trimEnd());
    rest = pad + rest.slice(cut).trimStart();
    first = false;
    if (rest.trim() === '') break;
  }
  if (rest.trim() !== '') out.push(rest);
  return out;
}

/** Every line of `text` wrapped to `width` columns. */
export function wrapText(text: string, width = MAX_COLS, hang = 2): string {
  return text
    .split('\n')
    .flatMap((l) => wrapLine(l, width, hang))
    .join('\n');
}

/** The widest line of a text, in columns. */
export function widestLine(text: string): number {
  return Math.max(0, ...text.split('\n').map(displayWidth));
}

/**
 * A shell command wrapped so that it still pastes: each cut ends in a
 * backslash (line continuation); a cut inside a word (at a comma) starts the
 * next line at column 0, since the shell joins it to the word before.
 */
export function wrapShell(line: string, width = MAX_COLS): string[] {
  const out: string[] = [];
  let rest = line;
  while (displayWidth(rest) > width) {
    const head = fitPrefix(rest, width - 1);
    let cut = -1;
    for (let i = head.length - 1; i > 0; i--)
      if (head[i] === ',' || head[i] === ' ') {
        cut = i + 1;
        break;
      }
    if (cut <= 0) cut = head.length;
    const atSpace = rest[cut - 1] === ' ';
    out.push(`${rest.slice(0, cut).trimEnd()}${atSpace ? ' ' : ''}\\`);
    rest = atSpace ? `    ${rest.slice(cut).trimStart()}` : rest.slice(cut);
  }
  out.push(rest);
  return out;
}
