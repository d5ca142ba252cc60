/**
 * The number of interleavings: maximal schedules, i.e. paths in the state
 * graph from the initial state (index 0) to a terminal state, counting each
 * transition separately (two threads whose steps lead to the same state are
 * two schedules). Computed by dynamic programming over the state DAG in
 * topological order (Kahn), never by enumerating paths:
 *
 *   paths(initial) = 1;  paths(v) = Σ over edges u→v of paths(u);
 *   interleavings  = Σ over terminal v of paths(v).
 *
 * Every path of a finite DAG extends to a terminal state, so paths(v) never
 * exceeds the total: if the total is a safe integer, every term is exact.
 *
 * - Graph with a cycle: infinitely many schedules; `interleavings` is null.
 * - Partial graph (the search stopped early): states not yet expanded count
 *   as one schedule each, so the figure is a lower bound.
 */
export interface Interleavings {
  /** Maximal schedules; null if the state graph has a cycle. A lower bound when the search is incomplete. */
  readonly interleavings: number | null;
  /** False when the count exceeds 2^53 and is rounded. */
  readonly interleavingsExact: boolean;
  /** Micro-steps of the longest schedule (longest path, same pass); null with a cycle. */
  readonly longest: number | null;
}

/**
 * @param n states, numbered 0..n-1; 0 is the initial state
 * @param expanded states 0..expanded-1 have their edges in edges[edgeStart[i]..edgeStart[i+1]]
 */
export function countInterleavings(
  n: number,
  expanded: number,
  edgeStart: ArrayLike<number>,
  edges: ArrayLike<number>,
): Interleavings {
  if (n === 0) return { interleavings: 0, interleavingsExact: true, longest: 0 };
  const indeg = new Int32Array(n);
  for (let e = 0; e < (expanded > 0 ? edgeStart[expanded]! : 0); e++) indeg[edges[e]!]!++;
  const paths = new Float64Array(n);
  paths[0] = 1;
  const len = new Int32Array(n);
  let longest = 0;
  const queue = new Int32Array(n);
  let qh = 0;
  let qt = 0;
  for (let i = 0; i < n; i++) if (indeg[i] === 0) queue[qt++] = i;
  let total = 0;
  while (qh < qt) {
    const u = queue[qh++]!;
    const p = paths[u]!;
    const l = len[u]!;
    if (l > longest) longest = l;
    if (u >= expanded) {
      total += p; // not expanded: at least one schedule continues from here
      continue;
    }
    const a = edgeStart[u]!;
    const b = edgeStart[u + 1]!;
    if (a === b) total += p; // terminal
    for (let e = a; e < b; e++) {
      const v = edges[e]!;
      paths[v] += p;
      if (l + 1 > len[v]!) len[v] = l + 1;
      if (--indeg[v]! === 0) queue[qt++] = v;
    }
  }
  if (qt < n) return { interleavings: null, interleavingsExact: false, longest: null };
  return { interleavings: total, interleavingsExact: total <= Number.MAX_SAFE_INTEGER, longest };
}
