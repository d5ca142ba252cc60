/**
 * The player: one machine for everything the page lets you move. Five
 * parallel regions (one file each in ./states/): playback, mode (scheduler),
 * compare (side by side), explorer, and the violation alert. Root-level events change the moment
 * shown (scenario, era, schedule, step) and raise `internal.moved` /
 * `internal.reloaded`, which the regions react to; no event is handled both
 * at the root and in a region, so one event never runs twice. A story
 * chapter (`chapter.open`) reloads, then plays to its moment as a replay
 * does; the moves of a reader exploring leave the story (`leaveStory`).
 */
import { playerSetup, initialContext } from './setup.ts';
import { playback } from './states/playback.ts';
import { mode } from './states/mode.ts';
import { compare } from './states/compare.ts';
import { explorer } from './states/explorer.ts';
import { alert } from './states/alert.ts';

export const playerMachine = playerSetup.createMachine({
  id: 'player',
  type: 'parallel',
  context: ({ input }) => initialContext(input),
  on: {
    'step.forward': { actions: ['stepForward', 'leaveStory', 'announceMoved'] },
    'step.back': { actions: ['stepBack', 'leaveStory', 'announceMoved'] },
    goto: { actions: ['goto', 'leaveStory', 'announceMoved'] },
    reset: { actions: ['reset', 'leaveStory', 'announceMoved'] },
    end: { actions: ['end', 'leaveStory', 'announceMoved'] },
    speed: { actions: 'setSpeed' },
    'scenario.select': { actions: ['selectScenario', 'announceReloaded'] },
    'scenario.load': { actions: ['loadUserScenario', 'announceReloaded'] },
    'era.select': { actions: ['selectEra', 'announceReloaded'] },
    'schedule.clear': { actions: ['clearSchedule', 'leaveStory', 'announceMoved'] },
    replay: { actions: ['replay', 'leaveStory', 'startReplay'] },
    'chapter.open': { actions: ['openChapter', 'announceReloaded', 'startChapter'] },
    'internal.chapter': { guard: 'chapterOpened', actions: ['chapterPlay', 'startReplay'] },
    'replay.skip': { actions: ['skipReplay', 'announceMoved'] },
    theme: { actions: 'setTheme' },
    'notice.dismiss': { actions: 'dismissNotice' },
    'notice.show': { actions: 'showNotice' },
  },
  states: { playback, mode, compare, explorer, alert },
});

export type PlayerMachine = typeof playerMachine;
