/**
 * A headless driver for the player machine: no DOM, a simulated clock for
 * autoplay, and an injectable explorer. Unit tests use it to drive the
 * machine exactly as the page does, and read what the page would show
 * through the same selectors.
 */
import { createActor, SimulatedClock, type Actor } from 'xstate';
import { pageUrlState, parseUrlState } from '../url.ts';
import type { ExploreFn } from '../deps/explorer.ts';
import { playerMachine, type PlayerMachine } from './machine.ts';
import { explorerActor } from './setup.ts';
import {
  derivedOf,
  isPlaying,
  isScheduler,
  isComparing,
  explorerState,
  kernelView,
  narration,
  urlOf,
  compareView,
} from './selectors.ts';
import type { PlayerEvent } from './types.ts';

export interface DriverOptions {
  search?: string;
  hash?: string;
  explore?: ExploreFn;
  /** Read the address as the page (index.html) does: with no parameters, the story's first chapter. */
  page?: boolean;
}

export class PlayerDriver {
  readonly clock = new SimulatedClock();
  readonly actor: Actor<PlayerMachine>;

  constructor(opts: DriverOptions = {}) {
    const parsed = (opts.page ? pageUrlState : parseUrlState)(opts.search ?? '', opts.hash ?? '');
    const logic = opts.explore
      ? playerMachine.provide({ actors: { explorer: explorerActor(async () => opts.explore!) } })
      : playerMachine;
    this.actor = createActor(logic, {
      input: { url: parsed.state, notices: parsed.notices },
      clock: this.clock,
    });
    this.actor.start();
  }

  send(e: PlayerEvent): this {
    this.actor.send(e);
    return this;
  }
  /** Let simulated time pass, a millisecond at a time (timers set while flushing fire too). */
  advance(ms: number): this {
    for (let t = 0; t < ms; t++) this.clock.increment(1);
    return this;
  }
  get snapshot() {
    return this.actor.getSnapshot();
  }
  get ctx() {
    return this.snapshot.context;
  }
  get run() {
    return derivedOf(this.ctx);
  }
  get view() {
    return kernelView(this.ctx);
  }
  get narration() {
    return narration(this.ctx);
  }
  get url() {
    const u = urlOf(this.ctx);
    return u.search + u.hash;
  }
  get playing() {
    return isPlaying(this.snapshot);
  }
  get scheduler() {
    return isScheduler(this.snapshot);
  }
  get comparing() {
    return isComparing(this.snapshot);
  }
  get explorer() {
    return explorerState(this.snapshot);
  }
  get compare() {
    return compareView(this.ctx);
  }
  stop(): void {
    this.actor.stop();
  }
}
