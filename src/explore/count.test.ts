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
