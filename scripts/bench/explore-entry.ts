/** What the exploration child process imports (bundled for Node by ./explore.ts). */
export { exploreAll } from '../../src/explore/bench.ts';
