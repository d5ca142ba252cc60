/**
 * The one interface the search knows: a finite transition system whose
 * transitions are "thread t takes one atomic step". The kernel model
 * (kernel.ts) and the small hand-made test models implement it, so both go
 * through exactly the same search code (search.ts).
 *
 * A state is a fixed-width vector of integers, canonical by construction:
 * two states are the same state exactly when their vectors are equal. The
 * search owns the storage (one flat Int32Array) and the hashing, so the hot
 * path allocates nothing per state beyond what the system itself needs.
 */

/** Something wrong that a transition or a terminal state shows. */
export interface Finding {
  /** Violation kind: trace kinds, or an invariant kind (invariants.ts). */
  readonly kind: string;
  /** True for the extra patch's invariants, false/absent for trace violations. */
  readonly invariant?: boolean;
  readonly thread?: string;
  /** The kernel function where it shows. */
  readonly at?: string;
  readonly vm?: string;
  readonly detail?: string;
}

/** A state vector (read only for the system, except `out` arguments). */
export type Vec = Int32Array;

export interface TransitionSystem {
  /** Thread names, by index: a schedule is a list of these indices. */
  readonly threads: readonly string[];
  /** Number of integers in a state vector. */
  readonly width: number;
  /** Write the initial state into `out`. */
  initial(out: Vec): void;
  /**
   * The threads that can take a step, in increasing index order. Empty:
   * terminal. The array may be reused (overwritten) by the next call.
   */
  enabled(s: Vec): readonly number[];
  /**
   * Thread `t`'s next atomic step from `s`: write the next state into `out`
   * (a different array) and return what the transition shows. May throw (a
   * model bug): the search reports it with the schedule that triggers it.
   */
  step(s: Vec, t: number, out: Vec): readonly Finding[];
  /** Findings at a terminal state (nothing can move): deadlocks, leaks. */
  terminal(s: Vec): readonly Finding[];
}
