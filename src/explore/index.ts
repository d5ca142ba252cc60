/** The interleaving explorer's public API (no DOM, no React). */
export type { Finding, TransitionSystem, Vec } from './system.ts';
export {
  Search,
  search,
  replay,
  DEFAULT_MAX_STATES,
  DEFAULT_MAX_MS,
  defaultMaxStates,
  statesInBytes,
  type SearchOptions,
  type SearchResult,
  type SearchStats,
  type Counterexample,
} from './search.ts';
export { countInterleavings, type Interleavings } from './count.ts';
export {
  INVARIANT_KINDS,
  INVARIANT_DESCRIPTIONS,
  isInvariantKind,
  type InvariantKind,
} from './invariants.ts';
export { kernelSystem, type KernelSystem, type KernelSystemOptions } from './kernel.ts';
export {
  EXPLORATION_SCHEMA,
  exploreScenario,
  startExploration,
  type Exploration,
  type ExplorationViolation,
  type ExplorationRun,
  type ExploreOptions,
} from './exploration.ts';
export { formatSummary, type SummaryOptions } from './summary.ts';
export { exploreAll, formatExploreAll, type ExploreAll, type ExploreRow } from './bench.ts';
export type {
  ToWorker,
  FromWorker,
  ExploreRequest,
  CancelRequest,
  ProgressMessage,
  ResultMessage,
  ErrorMessage,
  ErrorCode,
} from './protocol.ts';
export {
  ExploreClient,
  ExploreError,
  createExploreWorker,
  type ExploreJob,
  type ExploreCall,
  type ExploreCallOptions,
  type ExploreProgress,
  type WorkerLike,
} from './client.ts';
