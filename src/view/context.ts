/** The player actor for the React tree: views select and send, nothing else. */
import { createActorContext } from '@xstate/react';
import { playerMachine } from './player/machine.ts';
import { frameClock } from './player/frameClock.ts';

/** Its delayed events (the autoplay tick) fire in animation frames: at most one step per frame (./player/frameClock.ts). */
export const Player = createActorContext(playerMachine, { clock: frameClock });

/** Send an event to the player. */
export function useSend() {
  return Player.useActorRef().send;
}
