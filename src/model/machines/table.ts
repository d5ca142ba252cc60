/**
 * XState machines are the source of truth for every kernel object's
 * behaviour. The explorer visits hundreds of thousands of states, so object
 * snapshots are kept in a compact, interned form:
 *
 * - a `Snap` is `{ id, value, ctx }`; equal (value, context) pairs are the same
 *   object with the same `id`, so a kernel state's key is a list of small ids;
 * - `send(snap, event)` runs XState's pure `transition()` once per distinct
 *   (snap, event) pair and memoizes the result.
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

export class MachineTable<C extends WithOut<O>, E extends { type: string }, O> {
  private readonly byKey = new Map<string, Snap<C>>();
  private readonly memo = new Map<string, readonly [Snap<C>, O | null]>();

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
    const key = s.id + '\u0000' + JSON.stringify(event);
    let r = this.memo.get(key);
    if (!r) {
      const full = this.machine.resolveState({ value: s.value, context: s.ctx });
      const [next] = transition(this.machine, full, event as never);
      const ctx = next.context as C;
      const value = typeof next.value === 'string' ? next.value : JSON.stringify(next.value);
      r = [this.intern(value, ctx), ctx.out] as const;
      this.memo.set(key, r);
    }
    return r;
  }

  /** Distinct snapshots and memoized transitions so far (for the bench). */
  get size(): { snaps: number; transitions: number } {
    return { snaps: this.byKey.size, transitions: this.memo.size };
  }
}
