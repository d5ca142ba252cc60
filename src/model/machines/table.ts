/**
 * XState machines are the source of truth for every kernel object's
 * behaviour. The explorer visits hundreds of thousands of states, so object
 * snapshots are kept in a compact, interned form:
 *
 * - a `Snap` is `{ id, value, ctx }`; equal (value, context) pairs are the same
 *   object with the same `id`, so a kernel state's key is a list of small ids;
 * - `send(snap, event)` runs XState's pure `transition()` once per distinct
 *   (snap, event) pair and memoizes the result (looked up field by field:
 *   no key text is built per call).
 *
 * A machine reports the outcome of an event (granted, fault, ...) in
 * `context.out`; the table strips it from the stored context and returns it
 * beside the next snapshot, so outcomes never split otherwise equal states.
 */
import { transition, type AnyStateMachine } from 'xstate';

export interface Snap<C> {
  readonly id: number;
  readonly value: string;
  readonly ctx: Readonly<C>;
}

export interface WithOut<O> {
  out: O | null;
}

let nextId = 1;

/**
 * The memo of one snapshot's transitions: a trie over the event's field
 * names and values, in the event's own order ({type, t} is `type`, its
 * value, `t`, its value). Primitive values are keys as they are (Map
 * compares them exactly: 1 and "1" differ); an object value by its JSON text,
 * in a separate map, so that it never meets a string.
 */
class EventTrie<R> {
  result: R | undefined = undefined;
  private readonly next = new Map<unknown, EventTrie<R>>();
  private json: Map<string, EventTrie<R>> | null = null;

  /** The node for one more field name or value. */
  child(x: unknown): EventTrie<R> {
    let map: Map<unknown, EventTrie<R>> = this.next;
    if (typeof x === 'object' && x !== null) {
      map = this.json ??= new Map();
      x = JSON.stringify(x);
    }
    let c = map.get(x);
    if (c === undefined) map.set(x, (c = new EventTrie<R>()));
    return c;
  }
}

export class MachineTable<C extends WithOut<O>, E extends { type: string }, O> {
  private readonly byKey = new Map<string, Snap<C>>();
  /** By snapshot id. */
  private readonly memo = new Map<number, EventTrie<readonly [Snap<C>, O | null]>>();
  private transitions = 0;

  constructor(readonly machine: AnyStateMachine) {}

  /** The interned snapshot for this value and context (its `out` is dropped). */
  intern(value: string, ctx: C): Snap<C> {
    const clean = ctx.out === null ? ctx : { ...ctx, out: null };
    const key = value + '\u0000' + JSON.stringify(clean);
    let s = this.byKey.get(key);
    if (!s) {
      s = Object.freeze({ id: nextId++, value, ctx: Object.freeze(clean) as Readonly<C> });
      this.byKey.set(key, s);
    }
    return s;
  }

  /** The machine's initial snapshot, with `context` overriding the machine's default context. */
  initial(context?: Partial<C>): Snap<C> {
    const config = this.machine.config as { initial?: string; context?: C };
    const value = String(config.initial);
    const ctx = { ...(config.context as C), ...(context ?? {}), out: null } as C;
    return this.intern(value, ctx);
  }

  /** Pure: the snapshot after `event`, and what the machine reported about it. */
  send(s: Snap<C>, event: E): readonly [Snap<C>, O | null] {
    let node = this.memo.get(s.id);
    if (node === undefined) this.memo.set(s.id, (node = new EventTrie()));
    for (const k in event) node = node.child(k).child(event[k as keyof E]);
    let r = node.result;
    if (r === undefined) {
      const full = this.machine.resolveState({ value: s.value, context: s.ctx });
      const [next] = transition(this.machine, full, event as never);
      const ctx = next.context as C;
      const value = typeof next.value === 'string' ? next.value : JSON.stringify(next.value);
      node.result = r = [this.intern(value, ctx), ctx.out] as const;
      this.transitions++;
    }
    return r;
  }

  /** Distinct snapshots and memoized transitions so far (for the bench). */
  get size(): { snaps: number; transitions: number } {
    return { snaps: this.byKey.size, transitions: this.transitions };
  }
}
