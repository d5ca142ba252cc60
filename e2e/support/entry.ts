/**
 * What the e2e specs need from the app's own code, bundled for Node by
 * build-model.ts (Node's loader refuses src/scenarios' JSON imports without
 * an import attribute, so the specs cannot import src/ directly). Import it
 * through ./app.ts, never directly.
 */
export { playerMachine } from '../../src/view/player/machine.ts';
export { PlayerDriver } from '../../src/view/player/driver.ts';
export { narration, opStates, urlOf } from '../../src/view/player/selectors.ts';
export { getRun } from '../../src/view/player/runs.ts';
export { chapterRun } from '../../src/view/player/story.ts';
export { STORY, FIRST_CHAPTER } from '../../src/scenarios/story.ts';
export { alignStep, firstDifference, ALIGNMENT_NOTE } from '../../src/view/player/align.ts';
export { parseUrlState, encodeBase64Url } from '../../src/view/url.ts';
export { BUILTINS, builtin, BUILTIN_IDS } from '../../src/scenarios/index.ts';
export { runScenario, describeState, describeStep, runnable, ERAS, ERA_IDS } from '../../src/model/index.ts';
export { exploreScenario } from '../../src/explore/exploration.ts';
export { describeFlow, buildLocks, inferredNotes } from '../../src/diagrams/index.ts';
export { runReports, interleavingSoFar } from '../../src/report/index.ts';
export { diffEras } from '../../src/model/diff.ts';
export { MomentFinder } from '../../src/model/moments.ts';
export { sourceOf } from '../../src/model/sources/index.ts';
