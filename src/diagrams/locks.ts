/**
 * What the lock diagram shows, before geometry: the locks that exist in the
 * era, their owners and FIFO waiters, and who waits for whom (so that a
 * thread waiting on a lock it holds itself, or a cycle of threads, is named).
 */
import { ERAS } from '../model/era.ts';
import { waitGraph } from '../model/waitFor.ts';
import type { KernelView, LockView, ThreadView } from '../model/view.ts';

export type LockMode = LockView['owners'][number]['mode'];

export interface LockRow {
  lock: LockView;
  /** "rw-semaphore" / "mutex". */
  kindLabel: string;
  /** Threads that wait on this lock while holding it. */
  selfWaiters: string[];
  /** Part of a wait-for cycle (or a self-wait). */
  deadlocked: boolean;
  description: string;
}

export interface Deadlock {
  /** Threads in order; a self-wait has one thread. */
  threads: string[];
  /** One sentence. */
  text: string;
}

export interface LockSpec {
  rows: LockRow[];
  /** Locks of the model that do not exist in this era. */
  absent: LockView[];
  /** Free locks left out with `hideFree`. */
  hidden: LockView[];
  deadlocks: Deadlock[];
  threads: ThreadView[];
  title: string;
  summary: string;
}

/** What a kernel engineer calls the lock's type. */
function kindLabel(kind: LockView['kind']): string {
  return kind === 'rwsem' ? 'rw-semaphore' : kind === 'spin' ? 'spinlock' : 'mutex';
}

function modeWords(mode: LockMode): string {
  return mode === 'read' || mode === 'write' ? ` for ${mode}` : '';
}

/**
 * Cycles of the wait-for graph (the model's own analysis, src/model/waitFor.ts),
 * each once and rotated to start at its smallest id, in words.
 */
export function findDeadlocks(locks: readonly LockView[]): Deadlock[] {
  return waitGraph(locks).cycles.map((threads) => ({ threads, text: deadlockText(locks, threads) }));
}

function deadlockText(locks: readonly LockView[], threads: readonly string[]): string {
  if (threads.length > 1) return `${[...threads, threads[0]].join(' waits for ')}: none of them can move.`;
  const t = threads[0]!;
  const l = locks.find((x) => x.waiters.some((w) => w.thread === t) && x.owners.some((o) => o.thread === t));
  return l
    ? `${t} waits for ${l.name}${modeWords(l.waiters.find((w) => w.thread === t)!.mode)}, which ${t} holds itself${modeWords(l.owners.find((o) => o.thread === t)!.mode)}: it can never move.`
    : `${t} waits for itself.`;
}

function describeLock(l: LockView, selfWaiters: string[]): string {
  const held = l.owners.length
    ? `held by ${l.owners.map((o) => `${o.thread}${modeWords(o.mode)}`).join(', ')}`
    : 'free';
  const waiting = l.waiters.length
    ? `; waiting, in order: ${l.waiters.map((w, i) => `${i + 1}. ${w.thread}${modeWords(w.mode)}`).join(', ')}`
    : '';
  const self = selfWaiters.length
    ? `. ${selfWaiters.join(', ')} ${selfWaiters.length > 1 ? 'wait' : 'waits'} for this lock while holding it: deadlock`
    : '';
  return `${l.name} (${kindLabel(l.kind)}): ${held}${waiting}${self}.`;
}

export function buildLocks(
  view: KernelView,
  opts: {
    step?: { n: number } | null;
    hideFree?: boolean;
    eraLabel?: string;
    totalSteps?: number;
  } = {},
): LockSpec {
  const present = view.locks.filter((l) => l.exists);
  const absent = view.locks.filter((l) => !l.exists);
  const busy = (l: LockView) => l.owners.length > 0 || l.waiters.length > 0;
  // A driver's locks are in the view only when one of its devices is in the scenario (scenarioLocks).
  const relevant = present;
  const shown = opts.hideFree ? relevant.filter(busy) : relevant;
  const hidden = opts.hideFree ? relevant.filter((l) => !busy(l)) : [];
  const deadlocks = findDeadlocks(present);
  const inDeadlock = new Set(deadlocks.flatMap((d) => d.threads));
  const rows: LockRow[] = shown.map((l) => {
    const selfWaiters = [
      ...new Set(l.waiters.filter((w) => l.owners.some((o) => o.thread === w.thread)).map((w) => w.thread)),
    ];
    return {
      lock: l,
      kindLabel: kindLabel(l.kind),
      selfWaiters,
      deadlocked: selfWaiters.length > 0 || l.waiters.some((w) => inDeadlock.has(w.thread)),
      description: describeLock(l, selfWaiters),
    };
  });
  const eraTitle = opts.eraLabel ?? ERAS[view.era].title;
  const stepPart = opts.step
    ? `, step ${opts.step.n}${opts.totalSteps ? ` of ${opts.totalSteps}` : ''}`
    : ', initial state';
  const title = `Locks — ${eraTitle}${stepPart}`;
  const sentences = [
    ...deadlocks.map((d) => `DEADLOCK: ${d.text}`),
    ...rows.map((r) => r.description),
    ...(hidden.length ? [`Free: ${hidden.map((l) => l.name).join(', ')}.`] : []),
    ...(absent.length ? [`Not in this era: ${absent.map((l) => l.name).join(', ')}.`] : []),
    ...view.threads.map((t) => threadSentence(t)),
  ];
  return { rows, absent, hidden, deadlocks, threads: view.threads, title, summary: sentences.join(' ') };
}

export function threadSentence(t: ThreadView): string {
  const op = t.op ? ` in ${t.op.label}` : '';
  const holds = t.holds.length ? `; holds ${t.holds.join(', ')}` : '';
  const reason = t.reason ? `; ${t.reason}` : '';
  return `Thread ${t.id}: ${t.status}${op}${holds}${reason}.`;
}
