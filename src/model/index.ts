/** The kernel model's public API: pure, no DOM. */
export {
  ERAS,
  ERA_IDS,
  ERA_LIST,
  LEGACY_ERAS,
  resolveEra,
  eraChoices,
  commitUrl,
  treeUrl,
  ASSUMPTIONS,
  isEraId,
  variant,
  type Era,
  type Change,
  type EraId,
  type AssumptionId,
  type Variant,
} from './era.ts';
export {
  SCENARIO_SCHEMA,
  explanationFor,
  parseEraKey,
  scenarioGroups,
  scenarioThreads,
  type Scenario,
  type ScenarioStep,
  type DeviceDecl,
} from './scenario.ts';
export {
  VIOLATION_KINDS,
  OPS,
  DRIVERS,
  type Violation,
  type ViolationKind,
  type Errno,
  type OpName,
  type DriverName,
} from './types.ts';
export { compileModel, opEntry, opLabel, machineTableSizes, type Model } from './model.ts';
export { initialState, stateKey, type KState, type ThreadSnap } from './state.ts';
export {
  step,
  runnable,
  canRun,
  isTerminal,
  deadlockChain,
  waitsFor,
  type StepRecord,
  type StepResult,
  type StepViolation,
} from './step.ts';
export { terminalViolations, leaks } from './checks.ts';
export { runModel, runScenario, defaultPick, ScheduleError, type Run, type RunOptions } from './run.ts';
export { buildTrace, TRACE_SCHEMA, type Trace, type TraceStep } from './trace.ts';
export { narrate } from './narrate.ts';
export {
  describeState,
  describeStep,
  fnListing,
  lockView,
  type KernelView,
  type StepView,
  type VmView,
  type GroupView,
  type DeviceView,
  type DriverView,
  type ThreadView,
  type LockView,
  type FrameView,
  type PointerView,
  type PointerHealth,
} from './view.ts';
export type { Effect } from './program.ts';
// The pseudo-code diff (diff.ts), the source-line table (sources/) and the trace's micro-steps (micro.ts)
// are imported from their own modules, not from here: the page loads them on demand, and the line
// table must not ride along with the model into the page's first load.
