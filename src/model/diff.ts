/**
 * `vfio-kvm diff <A> <B>`: the model's pseudo-code that differs between two
 * eras, function by function, as a unified diff. Each hunk is labelled with
 * the commit (or the review comment of a posted version) that made its
 * change: for every added or removed line, the first era after A where it
 * appeared or disappeared, and that era's changelog entry when the line
 * carries one (`why` in the code paths).
 */
import { ERA_IDS, ERA_LIST, ERAS, variant, type Change, type EraId } from './era.ts';
import { compileFns, type CompiledFn } from './program.ts';
import './model.ts';

export const DIFF_SCHEMA = 'vfio-kvm-diff/1';

export interface DiffLine {
  op: ' ' | '-' | '+';
  text: string;
}

export interface HunkLabel {
  /** The commit era that made the change. */
  era: EraId;
  /** The posted version where the change was first made, when it was one (v1, v2). */
  via: EraId | null;
  commit: string | null;
  subject: string;
  link: string;
  /** The changelog entry or review comment, when the code names one. */
  change: Change | null;
}

export interface Hunk {
  /** `@@ -a,b +c,d @@ fn` with line numbers inside the function's pseudo-code. */
  header: string;
  lines: DiffLine[];
  labels: HunkLabel[];
}

export interface FnDiff {
  key: string;
  a: { name: string; file: string } | null;
  b: { name: string; file: string } | null;
  decl: boolean;
  hunks: Hunk[];
}

export interface EraDiff {
  schema: typeof DIFF_SCHEMA;
  a: EraId;
  b: EraId;
  functions: FnDiff[];
}

const compiledCache = new Map<EraId, Map<string, CompiledFn>>();
function fnsOf(era: EraId): Map<string, CompiledFn> {
  let m = compiledCache.get(era);
  if (!m) {
    m = new Map(compileFns(variant(era)).map((f) => [f.key, f]));
    compiledCache.set(era, m);
  }
  return m;
}

/** Function `key` as era `era` compiles it (for its source lines), or undefined when the era has none. */
export function compiledFnOf(era: EraId, key: string): CompiledFn | undefined {
  return fnsOf(era).get(key);
}

const linesOf = (f: CompiledFn | undefined): string[] => (f ? f.instrs.map((i) => i.line) : []);

/** Longest-common-subsequence edit script of two line lists. */
function editScript(a: readonly string[], b: readonly string[]): DiffLine[] {
  const n = a.length;
  const m = b.length;
  const dp: number[][] = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0));
  for (let i = n - 1; i >= 0; i--)
    for (let j = m - 1; j >= 0; j--)
      dp[i]![j] = a[i] === b[j] ? dp[i + 1]![j + 1]! + 1 : Math.max(dp[i + 1]![j]!, dp[i]![j + 1]!);
  const out: DiffLine[] = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && a[i] === b[j]) {
      out.push({ op: ' ', text: a[i]! });
      i++;
      j++;
    } else if (i < n && (j === m || dp[i + 1]![j]! >= dp[i]![j + 1]!)) {
      out.push({ op: '-', text: a[i]! });
      i++;
    } else {
      out.push({ op: '+', text: b[j]! });
      j++;
    }
  }
  return out;
}

const CONTEXT = 3;

function hunksOf(script: DiffLine[], name: string): { header: string; lines: DiffLine[] }[] {
  const changed = script.map((l, i) => (l.op !== ' ' ? i : -1)).filter((i) => i >= 0);
  if (!changed.length) return [];
  const groups: [number, number][] = [];
  for (const i of changed) {
    const last = groups[groups.length - 1];
    if (last && i - last[1] <= 2 * CONTEXT) last[1] = i;
    else groups.push([i, i]);
  }
  return groups.map(([from, to]) => {
    const start = Math.max(0, from - CONTEXT);
    const end = Math.min(script.length - 1, to + CONTEXT);
    let aLine = 1;
    let bLine = 1;
    for (let k = 0; k < start; k++) {
      if (script[k]!.op !== '+') aLine++;
      if (script[k]!.op !== '-') bLine++;
    }
    const lines = script.slice(start, end + 1);
    const aLen = lines.filter((l) => l.op !== '+').length;
    const bLen = lines.filter((l) => l.op !== '-').length;
    const header = `@@ -${aLen ? aLine : aLine - 1},${aLen} +${bLen ? bLine : bLine - 1},${bLen} @@ ${name}`;
    return { header, lines };
  });
}

/** The eras strictly after `a` up to and including `b`, in the direction from a to b. */
function between(a: EraId, b: EraId): EraId[] {
  const ia = ERAS[a].order;
  const ib = ERAS[b].order;
  if (ia === ib) return [];
  return ia < ib ? ERA_IDS.slice(ia + 1, ib + 1) : [...ERA_IDS.slice(ib, ia)].reverse();
}

/**
 * The era (between a and b) where a line of function `key` changed: walking
 * from A to B one era at a time, the last step whose own diff makes this
 * change (adds the line for "+", drops it for "-"), so a line that only moved
 * is credited to the commit that moved it. Going back in time, the commit is
 * the later era of that step.
 */
function eraOfChange(key: string, text: string, op: '-' | '+', a: EraId, b: EraId): EraId {
  const path = between(a, b);
  const forward = ERAS[a].order < ERAS[b].order;
  let prev = a;
  let found: EraId | null = null;
  for (const e of path) {
    const step = editScript(linesOf(fnsOf(prev).get(key)), linesOf(fnsOf(e).get(key)));
    if (step.some((l) => l.op === op && l.text === text)) found = forward ? e : prev;
    prev = e;
  }
  return found ?? (forward ? b : a);
}

function whyOf(key: string, text: string, era: EraId): string | null {
  for (const e of [era, ...ERA_IDS]) {
    const f = fnsOf(e).get(key);
    const ins = f?.instrs.find((i) => i.line === text && i.why?.[era]);
    if (ins) return ins.why![era]!;
    if (f?.why?.[era]) return f.why[era]!;
  }
  return null;
}

/** The first commit era from `era` on (a posted version is merged by the commit that follows it). */
function committed(era: EraId, upTo: EraId): EraId {
  if (ERAS[era].commit) return era;
  const next = ERA_LIST.find((e) => e.order > ERAS[era].order && e.commit);
  return next && next.order <= ERAS[upTo].order ? next.id : era;
}

function labelFor(era: EraId, changeId: string | null, last: EraId): HunkLabel {
  const e = ERAS[era];
  const change = changeId ? ([...e.changes, e.why].find((c) => c.id === changeId) ?? null) : null;
  const by = committed(era, last);
  const c = ERAS[by];
  return {
    era: by,
    via: by === era ? null : era,
    commit: c.commit,
    subject: c.subject,
    link: change?.link ?? e.link,
    change,
  };
}

/** The diff between two eras, optionally restricted to one function (by its name in either era). */
export function diffEras(a: EraId, b: EraId, opts: { fn?: string } = {}): EraDiff {
  const fa = fnsOf(a);
  const fb = fnsOf(b);
  const keys = [...new Set([...fa.keys(), ...fb.keys()])];
  const functions: FnDiff[] = [];
  for (const key of keys) {
    const x = fa.get(key);
    const y = fb.get(key);
    if (opts.fn && x?.name !== opts.fn && y?.name !== opts.fn) continue;
    const sameText = linesOf(x).join('\n') === linesOf(y).join('\n');
    if (x && y && sameText && x.name === y.name && x.file === y.file) continue;
    const script = editScript(linesOf(x), linesOf(y));
    const name = y?.name ?? x!.name;
    let hunks = hunksOf(script, name).map((h) => {
      const seen = new Map<string, HunkLabel>();
      for (const l of h.lines) {
        if (l.op === ' ') continue;
        const era = eraOfChange(key, l.text, l.op, a, b);
        const last = ERAS[a].order > ERAS[b].order ? a : b;
        const label = labelFor(era, whyOf(key, l.text, era), last);
        seen.set(`${label.era}|${label.via ?? ''}|${label.change?.id ?? ''}`, label);
      }
      return { ...h, labels: [...seen.values()].sort((p, q) => ERAS[p.era].order - ERAS[q.era].order) };
    });
    // A rename or a move with the same body: one hunk-less entry says so.
    if (!hunks.length && x && y) hunks = [];
    functions.push({
      key,
      a: x ? { name: x.name, file: x.file } : null,
      b: y ? { name: y.name, file: y.file } : null,
      decl: (x ?? y)!.decl,
      hunks,
    });
  }
  functions.sort((p, q) => fileOf(p).localeCompare(fileOf(q)) || nameOf(p).localeCompare(nameOf(q)));
  return { schema: DIFF_SCHEMA, a, b, functions };
}

const fileOf = (f: FnDiff) => (f.b ?? f.a)!.file;
const nameOf = (f: FnDiff) => (f.b ?? f.a)!.name;

function labelText(l: HunkLabel): string {
  const who = l.commit ? l.commit.slice(0, 12) : ERAS[l.era].title;
  const via = l.via ? ` [${ERAS[l.via].title}]` : '';
  const what = l.change ? `${l.change.text}${l.change.by ? ` (${l.change.by})` : ''}` : l.subject;
  return `# ${who}${via}: ${what}`;
}

/** The diff as text, like `git diff` of the pseudo-code. */
export function formatDiff(d: EraDiff): string {
  const out: string[] = [];
  const ea = ERAS[d.a];
  const eb = ERAS[d.b];
  out.push(`diff ${d.a} ${d.b}`);
  out.push(`  ${d.a}: ${ea.commit ? ea.commit.slice(0, 12) : ea.link} ${ea.subject}`);
  out.push(`  ${d.b}: ${eb.commit ? eb.commit.slice(0, 12) : eb.link} ${eb.subject}`);
  if (!d.functions.length) out.push('', 'no differences in the modelled code');
  for (const f of d.functions) {
    out.push('');
    out.push(`--- ${f.a ? `a/${f.a.file}  ${f.a.name}` : '/dev/null'}`);
    out.push(`+++ ${f.b ? `b/${f.b.file}  ${f.b.name}` : '/dev/null'}`);
    if (!f.hunks.length) out.push('(renamed or moved; same pseudo-code)');
    for (const h of f.hunks) {
      for (const l of h.labels) out.push(labelText(l));
      out.push(h.header);
      for (const l of h.lines) out.push(`${l.op}${l.text}`);
    }
  }
  return out.join('\n') + '\n';
}

/** The eras, one line each: id, commit, date, subject (`vfio-kvm eras`). */
export function formatEras(): string {
  const w = Math.max(...ERA_LIST.map((e) => e.id.length));
  return (
    ERA_LIST.map(
      (e) =>
        `${e.id.padEnd(w)}  ${(e.commit ? e.commit.slice(0, 12) : 'patch').padEnd(12)}  ${e.date}  ${e.subject}`,
    ).join('\n') + '\n'
  );
}
