/** The player actor for the React tree: views select and send, nothing else. */
import { createActorContext } from '@xstate/react';
import { playerMachine } from './player/machine.ts';

export const Player = createActorContext(playerMachine);

/** Send an event to the player. */
export function useSend() {
  return Player.useActorRef().send;
}
