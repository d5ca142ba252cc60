/**
 * Where the bytes of a minified chunk come from: each generated segment of
 * its source map is attributed to the source file it maps to (bytes from the
 * segment's column to the next segment's), and the gzip size of the chunk is
 * shared out in proportion to what each group's own bytes gzip to on their
 * own (their concatenation, in order, gzipped), so the shares add up to the
 * chunk's real gzip size.
 */
import { gzipSync } from 'node:zlib';

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const B64_INDEX = new Map([...B64].map((c, i) => [c, i]));

/** Decode one segment's Base64 VLQ fields. */
function decodeSegment(seg: string): number[] {
  const out: number[] = [];
  let value = 0;
  let shift = 0;
  for (const ch of seg) {
    const d = B64_INDEX.get(ch);
    if (d === undefined) throw new Error(`bad VLQ character ${JSON.stringify(ch)}`);
    value += (d & 31) << shift;
    if (d & 32) shift += 5;
    else {
      const neg = value & 1;
      value >>>= 1;
      out.push(neg ? -value : value);
      value = 0;
      shift = 0;
    }
  }
  return out;
}

export interface RawSourceMap {
  version: number;
  sources: (string | null)[];
  mappings: string;
}

/**
 * Generated text that no mapping covers: Vite inlines JSON modules (the
 * built-in scenarios) and its own helpers without a source map. Named by
 * what they contain, so the report says where those bytes come from.
 */
export function unmappedSource(text: string): string {
  if (text.includes('vfio-kvm-scenario/1')) return 'src/scenarios/builtin/*.json (inlined, no source map)';
  if (text.includes('modulepreload')) return '(vite: module preload helper)';
  return '(unmapped: import/export statements, glue)';
}

/** For each source (or a name for unmapped text, see unmappedSource), the generated text that maps to it, in order. */
export function attribute(code: string, map: RawSourceMap): Map<string, string[]> {
  const lines = code.split('\n');
  const mapLines = map.mappings.split(';');
  const out = new Map<string, string[]>();
  const add = (src: string | null, text: string) => {
    if (!text) return;
    src ??= unmappedSource(text);
    let a = out.get(src);
    if (!a) out.set(src, (a = []));
    a.push(text);
  };
  let srcIdx = 0;
  for (let li = 0; li < lines.length; li++) {
    const line = lines[li]!;
    const segs: { col: number; src: number | null }[] = [];
    let col = 0;
    for (const s of (mapLines[li] ?? '').split(',')) {
      if (!s) continue;
      const f = decodeSegment(s);
      col += f[0]!;
      if (f.length >= 4) {
        srcIdx += f[1]!;
        // fields 2, 3 (source line, column) and 4 (name) are cumulative too, but not needed here
        segs.push({ col, src: srcIdx });
      } else segs.push({ col, src: null });
    }
    segs.sort((a, b) => a.col - b.col);
    add(null, line.slice(0, segs[0]?.col ?? line.length));
    segs.forEach((s, i) => {
      const end = i + 1 < segs.length ? segs[i + 1]!.col : line.length;
      add(s.src === null ? null : (map.sources[s.src] ?? null), line.slice(s.col, end));
    });
    if (li + 1 < lines.length) add(null, '\n');
  }
  return out;
}

export interface Share {
  /** Minified bytes (UTF-8). */
  bytes: number;
  /** This group's share of the chunk's gzip size. */
  gzip: number;
}

/**
 * Group a chunk's attribution with `groupOf(source)` and share out its gzip
 * size (`chunkGzip`, measured on the whole chunk).
 */
export function shares(
  attr: Map<string, string[]>,
  groupOf: (source: string) => string,
  chunkGzip: number,
  level = 9,
): Map<string, Share> {
  const text = new Map<string, string[]>();
  for (const [src, parts] of attr) {
    const g = groupOf(src);
    let a = text.get(g);
    if (!a) text.set(g, (a = []));
    a.push(...parts);
  }
  const alone = new Map<string, { bytes: number; gz: number }>();
  for (const [g, parts] of text) {
    const buf = Buffer.from(parts.join(''), 'utf8');
    alone.set(g, { bytes: buf.length, gz: gzipSync(buf, { level }).length });
  }
  const total = [...alone.values()].reduce((a, x) => a + x.gz, 0) || 1;
  const out = new Map<string, Share>();
  for (const [g, x] of alone) out.set(g, { bytes: x.bytes, gzip: (chunkGzip * x.gz) / total });
  return out;
}

/** Module groups for the report: npm packages by name, the app by folder (two levels under src/). */
export function groupOf(source: string): string {
  const s = source.replace(/\\/g, '/');
  const nm = s.lastIndexOf('node_modules/');
  if (nm >= 0) {
    const rest = s.slice(nm + 'node_modules/'.length).split('/');
    return rest[0]!.startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0]!;
  }
  const src = s.lastIndexOf('/src/');
  if (src >= 0 || s.startsWith('src/')) {
    const parts = s.slice(src >= 0 ? src + 1 : 0).split('/');
    if (parts[1] === 'scenarios' && parts[2] === 'builtin') return 'src/scenarios/builtin/*.json';
    return parts.length > 3 ? `src/${parts[1]}/${parts[2]}` : `src/${parts[1]}`;
  }
  if (s.startsWith('(')) return s;
  return `(bundler: ${s.replace(/^\0/, '').replace(/^.*\//, '')})`;
}

/** One module (file) per group: for the list of the biggest modules. */
export function moduleOf(source: string): string {
  const s = source.replace(/\\/g, '/');
  const nm = s.lastIndexOf('node_modules/');
  if (nm >= 0) return s.slice(nm + 'node_modules/'.length);
  const src = s.lastIndexOf('/src/');
  if (src >= 0) return s.slice(src + 1);
  return s;
}

/** Decoded segments of a map, per generated line: [column, source index or -1], sorted by column. */
export type LineIndex = [number, number][][];

export function indexMap(map: RawSourceMap): LineIndex {
  const out: LineIndex = [];
  let src = 0;
  for (const line of map.mappings.split(';')) {
    const segs: [number, number][] = [];
    let col = 0;
    for (const s of line.split(',')) {
      if (!s) continue;
      const f = decodeSegment(s);
      col += f[0]!;
      if (f.length >= 4) {
        src += f[1]!;
        segs.push([col, src]);
      } else segs.push([col, -1]);
    }
    segs.sort((a, b) => a[0] - b[0]);
    out.push(segs);
  }
  return out;
}

/** The source file that generated position (line, column) (0-based) comes from, or null. */
export function sourceAt(map: RawSourceMap, index: LineIndex, line: number, column: number): string | null {
  const segs = index[line];
  if (!segs || segs.length === 0) return null;
  let lo = 0;
  let hi = segs.length - 1;
  if (segs[0]![0] > column) return null;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (segs[mid]![0] <= column) lo = mid;
    else hi = mid - 1;
  }
  const s = segs[lo]![1];
  return s < 0 ? null : (map.sources[s] ?? null);
}
