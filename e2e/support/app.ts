/** The app's own model, player and URL code, from the Node bundle (see build-model.ts). */
import { pathToFileURL } from 'node:url';
import { E2E_BUNDLE } from './build-model.ts';

type App = typeof import('./entry.ts');
const app = (await import(pathToFileURL(E2E_BUNDLE).href)) as App;

export const {
  playerMachine,
  PlayerDriver,
  narration,
  opStates,
  urlOf,
  getRun,
  chapterRun,
  STORY,
  FIRST_CHAPTER,
  alignStep,
  firstDifference,
  ALIGNMENT_NOTE,
  parseUrlState,
  encodeBase64Url,
  BUILTINS,
  builtin,
  BUILTIN_IDS,
  runScenario,
  describeState,
  describeStep,
  runnable,
  ERAS,
  ERA_IDS,
  exploreScenario,
  describeFlow,
  buildLocks,
  inferredNotes,
  runReports,
  interleavingSoFar,
  diffEras,
  MomentFinder,
  sourceOf,
} = app;
