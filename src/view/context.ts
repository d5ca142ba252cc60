/** The player actor for the React tree: views select and send, nothing else. */
import { useSyncExternalStore } from 'react';
import { createActorContext } from '@xstate/react';
import type { ActorRefFrom } from 'xstate';
import { playerMachine } from './player/machine.ts';
import { frameClock } from './player/frameClock.ts';
import type { PlayerSnapshot } from './player/selectors.ts';

/** Its delayed events (the autoplay tick) fire in animation frames: at most one step per frame (./player/frameClock.ts). */
const actorContext = createActorContext(playerMachine, { clock: frameClock });

type PlayerActor = ActorRefFrom<typeof playerMachine>;
type Selector<T> = (s: PlayerSnapshot) => T;

const subscriptions = new WeakMap<PlayerActor, (onChange: () => void) => () => void>();
const readers = new WeakMap<PlayerActor, WeakMap<Selector<unknown>, () => unknown>>();

function subscribeTo(actor: PlayerActor): (onChange: () => void) => () => void {
  let s = subscriptions.get(actor);
  if (!s)
    subscriptions.set(
      actor,
      (s = (onChange) => {
        const sub = actor.subscribe({ next: onChange, error: onChange });
        return () => sub.unsubscribe();
      }),
    );
  return s;
}

function readerOf<T>(actor: PlayerActor, selector: Selector<T>): () => T {
  let byActor = readers.get(actor);
  if (!byActor) readers.set(actor, (byActor = new WeakMap()));
  let read = byActor.get(selector as Selector<unknown>);
  if (!read) {
    read = () => {
      const snap = actor.getSnapshot();
      // As @xstate/react's useSelector: a failed actor's error goes to the nearest error boundary.
      if (snap.status === 'error') throw snap.error;
      return selector(snap);
    };
    byActor.set(selector as Selector<unknown>, read);
  }
  return read as () => T;
}

/**
 * What a view reads from the player: `selector` of its snapshot, and a render when that changes (by
 * Object.is). Every selector of the page returns a primitive, or an object that stays the same while the
 * selection does (a context field, the memoized run), so this is React's useSyncExternalStore with a
 * subscription and a reader made once per actor and selector (define selectors once: ./player/field.ts).
 * @xstate/react's useSelector adds a memo of the selection on top: seven hooks, two closures, two arrays
 * and an effect per call on every render, and an autoplay step renders dozens of calls (a sampled
 * allocation profile of the longest autoplay: 129 kB allocated per step with it and inline selectors,
 * 115 kB with selectors defined once, 97 kB with this hook as well).
 */
function useSelector<T>(selector: Selector<T>): T {
  const actor = actorContext.useActorRef();
  const read = readerOf(actor, selector);
  return useSyncExternalStore(subscribeTo(actor), read, read);
}

export const Player = {
  Provider: actorContext.Provider,
  useActorRef: actorContext.useActorRef,
  useSelector,
};

/** Send an event to the player. */
export function useSend() {
  return Player.useActorRef().send;
}
