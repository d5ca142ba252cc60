import { expect, test } from 'vitest';
import { countInterleavings } from './count.ts';

/** Build edgeStart/edges from adjacency lists (every state expanded). */
function graph(adj: number[][]) {
  const edgeStart: number[] = [];
  const edges: number[] = [];
  for (const out of adj) {
    edgeStart.push(edges.length);
    edges.push(...out);
  }
  edgeStart.push(edges.length);
  return { n: adj.length, edgeStart, edges };
}

test('a diamond: two paths to one end state', () => {
  const g = graph([[1, 2], [3], [3], []]);
  expect(countInterleavings(g.n, g.n, g.edgeStart, g.edges)).toEqual({
    interleavings: 2,
    interleavingsExact: true,
    longest: 2,
  });
});

test('two transitions into the same state are two schedules', () => {
  const g = graph([[1, 1], []]);
  expect(countInterleavings(g.n, g.n, g.edgeStart, g.edges).interleavings).toBe(2);
});

test('several end states, and an edge back to an earlier-numbered state', () => {
  // 0 -> 2 -> 1 ; 0 -> 1 ; 1 -> 3 (end) ; 2 -> 4 (end)
  const g = graph([[2, 1], [3], [1, 4], [], []]);
  // paths: 0-2-1-3, 0-1-3, 0-2-4
  expect(countInterleavings(g.n, g.n, g.edgeStart, g.edges).interleavings).toBe(3);
});

test('a cycle: null', () => {
  const g = graph([[1], [2], [1, 3], []]);
  expect(countInterleavings(g.n, g.n, g.edgeStart, g.edges).interleavings).toBeNull();
});

test('a partial graph: unexpanded states count once each (a lower bound)', () => {
  // states 0, 1 expanded; 2 and 3 found but not expanded
  const edgeStart = [0, 2, 3];
  const edges = [1, 2, 3];
  expect(countInterleavings(4, 2, edgeStart, edges).interleavings).toBe(2);
});

test('the longest schedule comes from the same pass', () => {
  // 0 -> 1 -> 2 -> 3 ; 0 -> 3 : BFS depth of 3 is 1, the longest schedule has 3 steps
  const g = graph([[1, 3], [2], [3], []]);
  expect(countInterleavings(g.n, g.n, g.edgeStart, g.edges)).toEqual({
    interleavings: 2,
    interleavingsExact: true,
    longest: 3,
  });
});

test('no states: no schedule, exactly', () => {
  expect(countInterleavings(0, 0, [0], [])).toEqual({
    interleavings: 0,
    interleavingsExact: true,
    longest: 0,
  });
});

test('a cycle: no count, no longest, and not exact', () => {
  const g = graph([[1], [2], [1, 3], []]);
  expect(countInterleavings(g.n, g.n, g.edgeStart, g.edges)).toEqual({
    interleavings: null,
    interleavingsExact: false,
    longest: null,
  });
});

test('nothing expanded yet: the initial state is one schedule', () => {
  expect(countInterleavings(1, 0, [0], [])).toEqual({
    interleavings: 1,
    interleavingsExact: true,
    longest: 0,
  });
  // Three states known, none expanded: no edge is read (edgeStart[0] is not an end offset then), so no
  // state has a predecessor; the two other states have no path from the initial state (0 schedules each).
  expect(countInterleavings(3, 0, [2], [1, 2])).toEqual({
    interleavings: 1,
    interleavingsExact: true,
    longest: 0,
  });
});

test('a partial graph: the longest schedule reaches the unexpanded states, and the edges of state `expanded` are not read', () => {
  // 0 -> 1 -> 2, states 0 and 1 expanded; edgeStart has an entry for 2 that must not be used (2 is not expanded)
  expect(countInterleavings(3, 2, [0, 1, 2, 3], [1, 2, 0])).toEqual({
    interleavings: 1,
    interleavingsExact: true,
    longest: 2,
  });
});

test('more than 2^53 schedules: rounded, and said so', () => {
  // 60 layers of two parallel edges: 2^60 schedules, each 60 steps long
  const adj: number[][] = [];
  for (let i = 0; i < 60; i++) adj.push([i + 1, i + 1]);
  adj.push([]);
  const g = graph(adj);
  expect(countInterleavings(g.n, g.n, g.edgeStart, g.edges)).toEqual({
    interleavings: 2 ** 60,
    interleavingsExact: false,
    longest: 60,
  });
  // 2^53 itself is still exact (the largest safe integer is 2^53 - 1: just under)
  const g52 = graph([...adj.slice(0, 52), []]);
  expect(countInterleavings(g52.n, g52.n, g52.edgeStart, g52.edges).interleavingsExact).toBe(true);
});

test('a terminal state among expanded ones counts its paths; a state with edges does not', () => {
  // 0 -> 1 (terminal), 0 -> 2 -> 3 (terminal): 2 schedules; longest 2
  const g = graph([[1, 2], [], [3], []]);
  expect(countInterleavings(g.n, g.n, g.edgeStart, g.edges)).toEqual({
    interleavings: 2,
    interleavingsExact: true,
    longest: 2,
  });
});
