/**
 * The interleaving as kernel commit messages draw it: one column per thread
 * headed by its name, each call indented under its caller, time going down
 * (as in be8d3adae65c's message). Rows come from the model's micro-steps:
 * the calls a step entered, then what it did (a lock operation, a reference
 * taken or dropped, a pointer written, or the pseudo-code line it ran).
 */
import { type Run, type Violation } from '../model/index.ts';
import type { Frame } from '../model/program.ts';
import { deadlockChain } from '../model/step.ts';
import type { LockdepWarning } from '../model/lockdep.ts';
import { frameInfo, lockCall, opStartStep, stackAt, syscallOf } from './frames.ts';
import { waitOf } from './hungTask.ts';
import { openGets } from './leak.ts';
import { displayWidth, MAX_COLS, truncate } from './text.ts';
import { lockInstance } from '../model/lockdep.ts';

export interface DiagramRow {
  /** The micro-step (1-based) the row belongs to. */
  step: number;
  thread: string;
  /** Call depth: 0 is the op (what userspace did), 1 its kernel entry, … */
  depth: number;
  /** op: the syscall that started an op; call: a function entered; do: what the step did; mark: a finding. */
  kind: 'op' | 'call' | 'do' | 'mark';
  text: string;
}

export interface Diagram {
  threads: string[];
  /** First and last micro-step drawn (inclusive); from > to when empty. */
  from: number;
  to: number;
  rows: DiagramRow[];
  text: string;
}

export interface DiagramOptions {
  from?: number;
  to?: number;
  /** The threads to draw (default: every thread with a step in range), in the order given. */
  threads?: readonly string[];
  /** Only these micro-steps (default: every one from..to). */
  steps?: readonly number[];
  /** Findings to mark, by micro-step and thread. */
  marks?: readonly { step: number; thread: string; text: string }[];
}

function ptrName(run: Run, slot: string): string {
  const [kind, id] = slot.split(':');
  if (kind === 'group' || kind === 'device') return `${id}->kvm`;
  if (kind === 'driver') {
    const drv = run.model.drivers.get(id!);
    return drv ? `${drv.objectName(id!)}->kvm` : `${slot}->kvm`;
  }
  return `${slot}->kvm`;
}

/** The pseudo-code line of an instruction, comment dropped, its object names replaced by the step's. */
function codeLine(run: Run, i: number): string {
  const rec = run.records[i]!;
  const fn = run.model.fns[rec.fn]!;
  const raw = fn.instrs[rec.pc]?.line ?? '';
  // The code without its comments; a line that is only a comment keeps the comment.
  let line =
    raw
      .replace(/\/\*.*?(\*\/|$)/g, '')
      .replace(/\s+(#|\/\/).*$/, '')
      .trim() || raw.replace(/^\s*\/\*\s*|\s*\*\/\s*$/g, '').trim();
  for (const [name, local] of [
    ['K', 'k'],
    ['G', 'g'],
    ['D', 'd'],
  ] as const) {
    const v = rec.l[local];
    if (typeof v === 'string' && v !== name) line = line.replace(new RegExp(`\\b${name}\\b`, 'g'), v);
  }
  return truncate(line, 48);
}

/** What micro-step i+1 did, in a few words of code. */
export function actionText(run: Run, i: number): string {
  const rec = run.records[i]!;
  const parts: string[] = [];
  for (const e of rec.locks) {
    if (e.op === 'release') parts.push(lockCall(e.key, e.mode, 'unlock'));
    else parts.push(`${lockCall(e.key, e.mode, 'lock')}${e.op === 'wait' ? ' // sleeps' : ''}`);
  }
  if (rec.woke && rec.locks.length === 0) {
    const w = waitOf(run, rec.thread, i);
    parts.push(w ? `// wakes up holding ${lockInstance(w.key)}` : '// wakes up');
  }
  for (const e of rec.effects) {
    if (e.kind === 'get') parts.push(`kvm_get_kvm(${e.vm})`);
    else if (e.kind === 'put') parts.push(`kvm_put_kvm(${e.vm})`);
    else parts.push(`${ptrName(run, e.to)} = ${e.vm ?? 'NULL'}`);
  }
  return parts.length ? [...new Set(parts)].join('; ') : codeLine(run, i);
}

/** The text a finding is marked with, at the step where it shows. */
export function markText(v: Pick<Violation, 'kind' | 'vm'>): string {
  switch (v.kind) {
    case 'use-after-free':
      return '// use-after-free!';
    case 'null-deref':
      return '// NULL pointer dereference!';
    case 'get-from-zero':
      return '// refcount_t: addition on 0!';
    case 'unbalanced-put':
      return '// puts a reference it never got!';
    case 'deadlock':
      return '// blocked for good';
    case 'refcount-leak':
      return `// ${v.vm ?? 'the VM'} is never freed`;
  }
}

function sameCall(a: Frame, b: Frame): boolean {
  return a.fn === b.fn;
}

/** Rows of the diagram, in time order. */
export function diagramRows(run: Run, opts: DiagramOptions = {}): DiagramRow[] {
  const from = Math.max(1, opts.from ?? 1);
  const to = Math.min(run.records.length, opts.to ?? run.records.length);
  const only = opts.threads ? new Set(opts.threads) : null;
  const pick = opts.steps ? new Set(opts.steps) : null;
  const prev = new Map<string, Frame[]>();
  const rows: DiagramRow[] = [];
  for (let s = from; s <= to; s++) {
    const rec = run.records[s - 1]!;
    if ((only && !only.has(rec.thread)) || (pick && !pick.has(s))) continue;
    const t = rec.thread;
    const base = 1;
    if (rec.opStart !== null) {
      prev.set(t, []);
      const sys = syscallOf(run.model, rec.opStart);
      if (sys) rows.push({ step: s, thread: t, depth: 0, kind: 'op', text: sys });
    }
    if (!prev.has(t)) {
      // The op began before the window: its syscall line, then the calls below it.
      const start = opStartStep(run, s, t);
      const sys = syscallOf(run.model, run.records[start - 1]!.opStart ?? 0);
      if (sys && run.records[start - 1]!.opStart !== null)
        rows.push({ step: s, thread: t, depth: 0, kind: 'op', text: sys });
      prev.set(t, []);
    }
    const stack = stackAt(run, s - 1);
    const old = prev.get(t)!;
    let c = 0;
    while (c < old.length && c < stack.length && sameCall(old[c]!, stack[c]!)) c++;
    // The same function at the old top, at an earlier line: a new call of it.
    if (c === old.length && c === stack.length && c > 0 && stack[c - 1]!.pc < old[c - 1]!.pc) c--;
    for (let j = c; j < stack.length; j++)
      rows.push({
        step: s,
        thread: t,
        depth: base + j,
        kind: 'call',
        text: `${frameInfo(run.model, stack[j]!).fn}()`,
      });
    const depth = base + stack.length;
    rows.push({ step: s, thread: t, depth, kind: 'do', text: actionText(run, s - 1) });
    for (const mk of opts.marks ?? [])
      if (mk.step === s && mk.thread === t)
        rows.push({ step: s, thread: t, depth, kind: 'mark', text: mk.text });
    prev.set(t, stack);
  }
  return rows;
}

/** Lay rows out in columns, at most 75 wide. */
export function layout(threads: readonly string[], rows: readonly DiagramRow[]): string {
  const n = threads.length;
  if (n === 0 || rows.length === 0) return '(no micro-steps)';
  const col = new Map(threads.map((t, i) => [t, i]));
  const widths = threads.map((t) =>
    Math.max(
      displayWidth(t),
      ...rows.filter((r) => r.thread === t).map((r) => r.depth + displayWidth(r.text)),
    ),
  );
  const maxName = Math.max(...threads.map(displayWidth));
  let stepX = 0;
  if (n > 1) {
    const hi = Math.min(40, Math.max(...widths.slice(0, -1)) + 2);
    const lo = Math.min(hi, Math.max(12, maxName + 2));
    const room = Math.floor((MAX_COLS - Math.min(widths[n - 1]!, MAX_COLS)) / (n - 1));
    stepX = Math.max(lo, Math.min(hi, room));
    stepX = Math.min(stepX, Math.floor((MAX_COLS - 12) / (n - 1)));
  }
  const x = threads.map((_, i) => i * stepX);
  const pad = (line: string, at: number) => line + ' '.repeat(Math.max(0, at - displayWidth(line)));
  const out: string[] = [];
  // Headers: one line if the names fit side by side, else staggered on two.
  const fits = threads.every((t, i) => i === n - 1 || displayWidth(t) < stepX);
  const headRows = fits
    ? [threads.map((_, i) => i)]
    : [
        threads.map((_, i) => i).filter((i) => i % 2 === 0),
        threads.map((_, i) => i).filter((i) => i % 2 === 1),
      ];
  for (const idx of headRows) {
    let a = '';
    let b = '';
    for (const i of idx) {
      a = pad(a, x[i]!) + threads[i]!;
      b = pad(b, x[i]!) + '-'.repeat(displayWidth(threads[i]!));
    }
    out.push(a, b);
  }
  let last: string | null = null;
  for (const r of rows) {
    if (last !== null && last !== r.thread) out.push('');
    last = r.thread;
    const at = x[col.get(r.thread)!]! + Math.min(r.depth, 24);
    const room = MAX_COLS - at;
    const w = displayWidth(r.text);
    // In its column if it fits; a short text that does not moves left to end at the right margin;
    // a long action is cut (it is prose about the step); a long call or mark moves left.
    let line: string;
    if (w <= room) line = ' '.repeat(at) + r.text;
    else if (w > 20 && (r.kind === 'do' || r.kind === 'op') && room >= 12)
      line = ' '.repeat(at) + truncate(r.text, room);
    else {
      const text = truncate(r.text, MAX_COLS);
      line = ' '.repeat(Math.max(0, MAX_COLS - displayWidth(text))) + text;
    }
    out.push(line.trimEnd());
  }
  return out.join('\n');
}

/** The diagram of micro-steps from..to (default: the whole run), every thread or the ones given. */
export function interleaving(run: Run, opts: DiagramOptions = {}): Diagram {
  const from = Math.max(1, opts.from ?? 1);
  const to = Math.min(run.records.length, opts.to ?? run.records.length);
  const rows = diagramRows(run, { ...opts, from, to });
  const seen: string[] = [];
  for (const r of rows) if (!seen.includes(r.thread)) seen.push(r.thread);
  const threads = opts.threads ? opts.threads.filter((t) => seen.includes(t)) : seen;
  return { threads, from, to, rows, text: layout(threads, rows) };
}

/* ------------------------------------------------ what a finding's diagram shows */

/** Object slots a micro-step changed (locks included: they are slots too). */
function written(run: Run, i: number): number[] {
  const a = run.states[i]!.o;
  const b = run.states[i + 1]!.o;
  const out: number[] = [];
  for (let j = 0; j < a.length; j++) if (a[j] !== b[j]) out.push(j);
  return out;
}

export interface Window {
  from: number;
  to: number;
  threads: string[];
  /** The micro-steps to draw (ascending): those of the ops that matter. */
  steps: number[];
}

/**
 * The steps that matter for a finding at micro-step `to` in `thread`'s op:
 * that op (and the ops under way of the other `core` threads), the ops of
 * other threads that overlap it and change what it changes (or, when none
 * does, the last op of another thread that changed it before), and nothing
 * else: ops that touch none of those objects are left out.
 */
export function windowOf(
  run: Run,
  thread: string,
  to: number,
  extra: { threads?: string[]; vm?: string | null } = {},
): Window {
  const m = run.model;
  const core = [thread, ...(extra.threads ?? [])].filter(
    (t, i, a) => t && a.indexOf(t) === i && m.threadIndex.has(t),
  );
  const coreOps = new Set(core.map((t) => `${t}@${opStartStep(run, to, t)}`));
  let from = Math.min(...core.map((t) => opStartStep(run, to, t)));
  const objects = new Set<number>();
  if (extra.vm)
    for (const key of [`kvm:${extra.vm}`, `kvm_vfio:${extra.vm}`]) {
      const j = m.slotIndex.get(key);
      if (j !== undefined) objects.add(j);
    }
  const opOf = (s: number) => {
    const t = run.records[s - 1]!.thread;
    return `${t}@${opStartStep(run, s, t)}`;
  };
  for (let s = from; s <= to; s++)
    if (coreOps.has(opOf(s))) for (const j of written(run, s - 1)) objects.add(j);
  const touches = (s: number) => written(run, s - 1).some((j) => objects.has(j));
  const shown = new Set(coreOps);
  for (let pass = 0; pass < 3; pass++) {
    let grew = false;
    for (let s = from; s <= to; s++) {
      const op = opOf(s);
      if (shown.has(op) || !touches(s)) continue;
      shown.add(op);
      const start = opStartStep(run, s, run.records[s - 1]!.thread);
      if (start < from) {
        from = start;
        grew = true;
      }
    }
    if (!grew) break;
  }
  if (shown.size === coreOps.size) {
    for (let s = from - 1; s >= 1; s--) {
      if (core.includes(run.records[s - 1]!.thread) || !touches(s)) continue;
      shown.add(opOf(s));
      from = opStartStep(run, s, run.records[s - 1]!.thread);
      break;
    }
  }
  const steps: number[] = [];
  for (let s = from; s <= to; s++) if (shown.has(opOf(s))) steps.push(s);
  const present = new Set(steps.map((s) => run.records[s - 1]!.thread));
  const threads = m.threads.map((t) => t.id).filter((t) => present.has(t));
  return { from, to, threads, steps };
}

/** The window of a violation (of any of the trace's kinds). */
export function violationWindow(run: Run, v: Violation): Window {
  const m = run.model;
  if (v.kind === 'deadlock') {
    const ti = m.threadIndex.get(v.thread)!;
    const chain = deadlockChain(m, run.states[v.step]!, ti) ?? [];
    return windowOf(run, v.thread, v.step, { threads: chain });
  }
  if (v.kind === 'refcount-leak' && v.vm) {
    const gets = [...openGets(run, v.vm, v.step).values()].flat();
    const takers = gets.map((s) => run.records[s - 1]!.thread);
    const w = windowOf(run, v.thread || takers[0] || m.threads[0]!.id, v.step, { vm: v.vm });
    // Add the ops that took the references still held.
    const extra = new Set<number>(w.steps);
    for (const g of gets) {
      const t = run.records[g - 1]!.thread;
      const start = opStartStep(run, g, t);
      for (let s = start; s <= v.step && s <= run.records.length; s++) {
        if (run.records[s - 1]!.thread !== t) continue;
        if (s > start && run.records[s - 1]!.opStart !== null) break;
        extra.add(s);
      }
    }
    const steps = [...extra].sort((a, b) => a - b);
    const present = new Set(steps.map((s) => run.records[s - 1]!.thread));
    return {
      from: steps[0] ?? w.from,
      to: v.step,
      threads: m.threads.map((t) => t.id).filter((t) => present.has(t)),
      steps,
    };
  }
  return windowOf(run, v.thread, v.step, { vm: v.vm ?? null });
}

/** The window of a lockdep warning: the ops that recorded its dependencies, up to the acquisition that warned. */
export function lockdepWindow(run: Run, w: LockdepWarning): Window {
  const marks = [w.held.step, ...w.path.map((d) => d.to.step), ...w.path.map((d) => d.from.step), w.step];
  const ops = new Set(
    marks.map((s) => `${run.records[s - 1]!.thread}@${opStartStep(run, s, run.records[s - 1]!.thread)}`),
  );
  const from = Math.min(...marks.map((s) => opStartStep(run, s, run.records[s - 1]!.thread)));
  const steps: number[] = [];
  for (let s = from; s <= w.step; s++) {
    const t = run.records[s - 1]!.thread;
    if (ops.has(`${t}@${opStartStep(run, s, t)}`)) steps.push(s);
  }
  const present = new Set(steps.map((s) => run.records[s - 1]!.thread));
  return {
    from,
    to: w.step,
    threads: run.model.threads.map((t) => t.id).filter((t) => present.has(t)),
    steps,
  };
}
