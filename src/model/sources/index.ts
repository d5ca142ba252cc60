/**
 * Where each pseudo-code line stands in the kernel: the function, the file
 * and — where it was read at the era's commit — the line, with a link to
 * git.kernel.org (a tree at the commit) or, for the posted patch versions,
 * to the patch's mail on lore.kernel.org.
 *
 * The line table (lines.json) lists every line number given and how the file
 * was checked; nothing else gets a line.
 */
import { ERAS, treeUrl, type EraId, type Variant } from '../era.ts';
import type { CompiledFn } from '../program.ts';
import table from './lines.json' with { type: 'json' };

export interface Source {
  /** The kernel function at this era. */
  fn: string;
  /** Its file at this era. */
  file: string;
  /** The statement's line at the era's commit, where it was checked; else null. */
  line: number | null;
  /** The function's first line at the era's commit, where it was checked; else null. */
  fnLine: number | null;
  /** git.kernel.org at the commit (#n<line> when known), or the patch mail for v1/v2. */
  url: string;
}

interface FileEntry {
  era: string;
  commit: string;
  file: string;
  /** The file's length in lines, where it was read in full (else null, and `read` says which lines). */
  lines: number | null;
  read?: string;
  checked: string;
  functions: Record<string, { line: number; end: number; statements: { token: string; line: number }[] }>;
}
const FILES = (table as unknown as { files: FileEntry[] }).files;

/**
 * The statement a pseudo-code line stands for, as the table keys it: the src
 * override, else the line's first statement without comments.
 */
export function sourceToken(line: string, src: string | null): string {
  let t = (src ?? line).replace(/\/\*.*?\*\//g, '').trim();
  const i = t.indexOf('; ');
  if (i > 0 && !t.startsWith('for')) t = t.slice(0, i);
  t = t.replace(/\s+/g, ' ').trim();
  return t.replace(/( \{|;)$/, '').trim();
}

/** Per compiled function: the line of each instruction (or null), and the function's line. */
const cache = new WeakMap<CompiledFn, { fnLine: number | null; lines: (number | null)[] }>();

function linesOf(era: EraId, fn: CompiledFn): { fnLine: number | null; lines: (number | null)[] } {
  let r = cache.get(fn);
  if (r) return r;
  const entry = FILES.find((f) => f.era === era && f.file === fn.file && f.commit === ERAS[era].commit);
  const f = entry?.functions[fn.name];
  if (!f) {
    r = { fnLine: null, lines: fn.instrs.map(() => null) };
  } else {
    const seen = new Map<string, number>();
    r = {
      fnLine: f.line,
      lines: fn.instrs.map((ins) => {
        const t = sourceToken(ins.line, ins.src);
        const n = seen.get(t) ?? 0;
        seen.set(t, n + 1);
        return f.statements.filter((s) => s.token === t)[n]?.line ?? null;
      }),
    };
  }
  cache.set(fn, r);
  return r;
}

/** Where instruction `pc` of `fn` stands in the kernel at era `v`. */
export function sourceOf(v: Pick<Variant, 'id'>, fn: CompiledFn, pc: number): Source {
  const era = ERAS[v.id];
  const { fnLine, lines } = linesOf(v.id, fn);
  const line = lines[pc] ?? null;
  const url = era.commit ? treeUrl(era.commit, fn.file, line ?? fnLine) : era.link;
  return { fn: fn.name, file: fn.file, line, fnLine, url };
}

/** The table's files, for the docs and tests: each checked file at its era's commit. */
export const CHECKED_FILES: readonly Pick<FileEntry, 'era' | 'commit' | 'file' | 'lines' | 'checked'>[] =
  FILES.map(({ era, commit, file, lines, checked }) => ({ era, commit, file, lines, checked }));
