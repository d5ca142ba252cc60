/**
 * A selector for one field of the player's context, the same function each time it is asked for. Views
 * pass selectors to `useSelector` on every render; a selector written inline is a new function each time,
 * which useSyncExternalStore takes as a new reader and records with an effect, on every render of every
 * view that asks (../context.ts).
 */
import type { PlayerContext } from './types.ts';

interface HasContext {
  context: PlayerContext;
}

const cache = new Map<keyof PlayerContext, (s: HasContext) => unknown>();

export function field<K extends keyof PlayerContext>(key: K): (s: HasContext) => PlayerContext[K] {
  let f = cache.get(key);
  if (!f) cache.set(key, (f = (s: HasContext) => s.context[key]));
  return f as (s: HasContext) => PlayerContext[K];
}
