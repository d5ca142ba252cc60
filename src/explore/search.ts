/**
 * Exhaustive breadth-first search over a TransitionSystem.
 *
 * - States are merged by their canonical vectors (store.ts), so each distinct
 *   state is expanded once; every transition, including those into states
 *   already seen, is kept in flat edge lists for counting interleavings
 *   (count.ts).
 * - Breadth-first: states are expanded in order of distance from the initial
 *   state, so the first time a kind shows, its schedule is a shortest one. A
 *   kind seen on a transition out of a state at depth d has length d + 1; a
 *   kind seen at a terminal state at depth d has length d. Because both forms
 *   exist, a later, strictly shorter witness replaces an earlier one.
 * - No reduction: the full graph is explored (see the README on why partial
 *   order reduction does not pay here).
 * - Bounds end the search with `complete: false` and a reason: the number of
 *   distinct states, and wall-clock time. A model that throws inside a
 *   transition ends it the same way, with the schedule that triggers it.
 * - Resumable: `run(sliceMs)` returns after about sliceMs so a worker can
 *   answer messages (cancel) between slices; `runToEnd()` for the CLI.
 */
import { countInterleavings, type Interleavings } from './count.ts';
import { StateStore } from './store.ts';
import type { Finding, TransitionSystem } from './system.ts';

/** Default state bound: a million states, fewer for very wide states (about 256 MB of storage in all). */
export const DEFAULT_MAX_STATES = 1_000_000;
export const DEFAULT_MAX_MS = 60_000;
const STORAGE_BUDGET_BYTES = 256 * 1024 * 1024;

/** How many states of `width` integers fit in `bytes`: ~4·width bytes per vector, ~48 for the rest (table, edges, tree). */
export function statesInBytes(width: number, bytes: number): number {
  return Math.max(1, Math.floor(bytes / (4 * width + 48)));
}

/** The default state bound for states of `width` integers. */
export function defaultMaxStates(width: number): number {
  return Math.min(DEFAULT_MAX_STATES, statesInBytes(width, STORAGE_BUDGET_BYTES));
}

export interface SearchOptions {
  /** Stop (complete: false) once more than this many distinct states are found (default: defaultMaxStates). */
  maxStates?: number;
  /** Stop (complete: false) after this many milliseconds of search. */
  maxMs?: number;
  /** A hard memory cap (bytes of state storage) that also bounds `maxStates` (the worker sets one). */
  maxBytes?: number;
  /** Clock (tests). Default: performance.now. */
  now?: () => number;
}

export interface Counterexample {
  readonly kind: string;
  readonly invariant: boolean;
  /** Thread indices: the shortest path to the transition or terminal state where it shows. */
  readonly schedule: readonly number[];
  /** Shows at a terminal state (after the whole schedule) rather than on its last transition. */
  readonly terminal: boolean;
  readonly finding: Finding;
}

export interface SearchStats {
  readonly states: number;
  readonly transitions: number;
  /** Distinct states expanded so far. */
  readonly expanded: number;
  /** Distance of the deepest state found. */
  readonly depth: number;
  readonly ms: number;
  /** Kinds found so far. */
  readonly kinds: readonly string[];
}

export interface SearchResult extends SearchStats, Interleavings {
  readonly complete: boolean;
  /** Why the search stopped early (bound, error, cancel). */
  readonly reason?: string;
  /** Terminal states (nothing can move). */
  readonly terminals: number;
  /** One per kind: a shortest witness. In order of schedule length, then of discovery. */
  readonly counterexamples: readonly Counterexample[];
  /** One per (kind, function where it shows): a shortest witness, for telling apart two bugs of one kind. */
  readonly sites: readonly Counterexample[];
  /** A model exception inside a transition: the message, and the schedule that triggers it. */
  readonly error?: { readonly message: string; readonly schedule: readonly number[] };
}

interface Best {
  len: number;
  order: number;
  state: number;
  /** Thread of the last transition, or -1 for a terminal-state finding. */
  thread: number;
  finding: Finding;
}

const defaultNow = () => (typeof performance !== 'undefined' ? performance.now() : Date.now());

/** Growable Int32Array. */
class Ints {
  a = new Int32Array(1024);
  n = 0;
  push(x: number): void {
    if (this.n === this.a.length) {
      const b = new Int32Array(this.a.length * 2);
      b.set(this.a);
      this.a = b;
    }
    this.a[this.n++] = x;
  }
}

export class Search {
  private readonly maxStates: number;
  private readonly memoryCapped: boolean;
  private readonly maxMs: number;
  private readonly now: () => number;
  private readonly store: StateStore;
  private readonly parent = new Ints();
  private readonly via = new Ints();
  private readonly depthOf = new Ints();
  /** edgeStart[i]..edgeStart[i+1] index `edges` for expanded state i. */
  private readonly edgeStart = new Ints();
  private readonly edges = new Ints();
  private readonly best = new Map<string, Best>();
  private readonly sites = new Map<string, Best>();
  private readonly cur: Int32Array;
  private readonly next: Int32Array;
  private head = 0;
  private terminals = 0;
  private found = 0;
  private elapsed = 0;
  private stopped: string | null = null;
  private error: { message: string; schedule: number[] } | null = null;
  private finished = false;

  constructor(
    readonly system: TransitionSystem,
    opts: SearchOptions = {},
  ) {
    const wanted = opts.maxStates ?? defaultMaxStates(system.width);
    const cap = opts.maxBytes === undefined ? Infinity : statesInBytes(system.width, opts.maxBytes);
    this.maxStates = Math.min(wanted, cap);
    this.memoryCapped = cap < wanted;
    this.maxMs = opts.maxMs ?? DEFAULT_MAX_MS;
    this.now = opts.now ?? defaultNow;
    this.store = new StateStore(system.width);
    this.cur = new Int32Array(system.width);
    this.next = new Int32Array(system.width);
    const t0 = this.now();
    try {
      system.initial(this.cur);
      this.store.add(this.cur);
      this.parent.push(-1);
      this.via.push(-1);
      this.depthOf.push(0);
      this.edgeStart.push(0);
    } catch (e) {
      this.fail(e, []);
    }
    this.elapsed += this.now() - t0;
  }

  get done(): boolean {
    return this.finished;
  }

  /** Stop now (cancel); the result says why. */
  stop(reason: string): void {
    if (!this.finished) {
      this.stopped = reason;
      this.finished = true;
    }
  }

  /** Search for about `sliceMs` (at least 64 states); true when the search is over. */
  run(sliceMs = Infinity): boolean {
    if (this.finished) return true;
    const t0 = this.now();
    const sliceEnd = t0 + sliceMs;
    const hardEnd = t0 + (this.maxMs - this.elapsed);
    let n = 0;
    try {
      while (this.head < this.store.size) {
        if (this.store.size > this.maxStates) {
          this.stopped = this.memoryCapped
            ? `state bound reached: more than ${this.maxStates} distinct states (the memory cap for states of this size)`
            : `state bound reached: more than ${this.maxStates} distinct states (raise --max-states)`;
          break;
        }
        if ((++n & 63) === 0) {
          const t = this.now();
          if (t >= hardEnd) {
            this.stopped = `time bound reached: ${this.maxMs} ms (raise --max-ms)`;
            break;
          }
          if (t >= sliceEnd) {
            this.elapsed += t - t0;
            return false;
          }
        }
        this.expand();
      }
    } catch (e) {
      // a throw from a transition was recorded, with its schedule, by expand()
      if (!this.error) this.fail(e, this.path(this.head));
    }
    this.elapsed += this.now() - t0;
    this.finished = true;
    return true;
  }

  runToEnd(): SearchResult {
    this.run();
    return this.result();
  }

  private expand(): void {
    const sys = this.system;
    const i = this.head;
    const cur = this.cur;
    const next = this.next;
    this.store.get(i, cur);
    const d = this.depthOf.a[i]!;
    const enabled = sys.enabled(cur);
    if (enabled.length === 0) {
      this.terminals++;
      for (const f of sys.terminal(cur)) this.note(f, d, i, -1);
    }
    for (let e = 0; e < enabled.length; e++) {
      const t = enabled[e]!;
      let findings: readonly Finding[];
      try {
        findings = sys.step(cur, t, next);
      } catch (err) {
        this.fail(err, [...this.path(i), t]);
        throw err;
      }
      let j = this.store.add(next);
      if (j < 0) {
        j = -1 - j;
        this.parent.push(i);
        this.via.push(t);
        this.depthOf.push(d + 1);
      }
      this.edges.push(j);
      for (let k = 0; k < findings.length; k++) this.note(findings[k]!, d + 1, i, t);
    }
    this.head = i + 1;
    this.edgeStart.push(this.edges.n);
  }

  private note(f: Finding, len: number, state: number, thread: number): void {
    const site = `${f.kind}@${f.at ?? ''}`;
    const s = this.sites.get(site);
    if (!s || s.len > len)
      this.sites.set(site, { len, order: s?.order ?? this.found++, state, thread, finding: f });
    const b = this.best.get(f.kind);
    if (b && b.len <= len) return;
    this.best.set(f.kind, { len, order: b?.order ?? this.found++, state, thread, finding: f });
  }

  private fail(e: unknown, schedule: number[]): void {
    const message = e instanceof Error ? e.message : String(e);
    this.error = { message, schedule };
    this.stopped = `model error: ${message}`;
    this.finished = true;
  }

  /** Thread indices along the BFS tree from the initial state to state i. */
  private path(i: number): number[] {
    const out: number[] = [];
    for (let j = i; j > 0; j = this.parent.a[j]!) out.push(this.via.a[j]!);
    return out.reverse();
  }

  stats(): SearchStats {
    const n = this.store.size;
    return {
      states: n,
      transitions: this.edges.n,
      expanded: this.head,
      depth: n ? this.depthOf.a[n - 1]! : 0,
      ms: this.elapsed,
      kinds: [...this.best.keys()],
    };
  }

  result(): SearchResult {
    const complete = this.finished && this.stopped === null && this.head === this.store.size;
    const witness = (b: Best): Counterexample => ({
      kind: b.finding.kind,
      invariant: b.finding.invariant === true,
      schedule: b.thread < 0 ? this.path(b.state) : [...this.path(b.state), b.thread],
      terminal: b.thread < 0,
      finding: b.finding,
    });
    const sites = [...this.sites.values()].sort((a, b) => a.len - b.len || a.order - b.order).map(witness);
    const counterexamples = [...this.best.values()]
      .sort((a, b) => a.len - b.len || a.order - b.order)
      .map((b) => ({
        kind: b.finding.kind,
        invariant: b.finding.invariant === true,
        schedule: b.thread < 0 ? this.path(b.state) : [...this.path(b.state), b.thread],
        terminal: b.thread < 0,
        finding: b.finding,
      }));
    const count = countInterleavings(this.store.size, this.head, this.edgeStart.a, this.edges.a);
    return {
      ...this.stats(),
      complete,
      ...(complete ? {} : { reason: this.stopped ?? 'not finished' }),
      terminals: this.terminals,
      ...count,
      counterexamples,
      sites,
      ...(this.error ? { error: this.error } : {}),
    };
  }
}

/** Explore the whole system (or up to the bounds) in one go. */
export function search(system: TransitionSystem, opts: SearchOptions = {}): SearchResult {
  return new Search(system, opts).runToEnd();
}

/**
 * Replay a schedule on the system: the findings of transition i at index i,
 * and the terminal findings if the schedule ends in a terminal state.
 * Throws if a scheduled thread cannot move.
 */
export function replay(
  system: TransitionSystem,
  schedule: readonly number[],
): { steps: Finding[][]; terminal: Finding[] | null; state: Int32Array } {
  let s = new Int32Array(system.width);
  let o = new Int32Array(system.width);
  system.initial(s);
  const steps: Finding[][] = [];
  schedule.forEach((t, i) => {
    if (!system.enabled(s).includes(t))
      throw new Error(`schedule[${i}]: thread ${system.threads[t] ?? t} cannot move`);
    steps.push([...system.step(s, t, o)]);
    [s, o] = [o, s];
  });
  const terminal = system.enabled(s).length === 0 ? [...system.terminal(s)] : null;
  return { steps, terminal, state: s };
}
