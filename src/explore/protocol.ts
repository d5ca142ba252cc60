/**
 * The explorer worker's message protocol (page ⇄ worker). Both directions are
 * validated on receipt: a message that does not parse is answered with an
 * `error` (worker) or ignored (client), never acted on.
 *
 * page → worker
 *   { type: 'explore', id, scenario, era?, maxStates?, maxMs? }   start (scenario: a vfio-kvm-scenario/1 object, validated in the worker)
 *   { type: 'cancel', id }                                        stop job `id` at its next slice (≤ ~25 ms)
 * worker → page
 *   { type: 'progress', id, states, transitions, expanded, depth, ms, kinds }   at most every PROGRESS_INTERVAL_MS
 *   { type: 'result', id, exploration }                           vfio-kvm-exploration/1 (complete or not; a model
 *                                                                 exception inside a transition is `exploration.error`)
 *   { type: 'error', id, code, message, errors? }                 bad-request | bad-scenario | cancelled | internal
 */
import { ERA_IDS, isEraId, type EraId } from '../model/era.ts';
import type { Exploration } from './exploration.ts';
import { EXPLORATION_SCHEMA } from './schema.ts';
import { show } from '../scenarios/validate.ts';

export const PROGRESS_INTERVAL_MS = 50;
/** Upper limits a request may ask for (the page must not be able to exhaust the worker's memory by asking). */
export const REQUEST_LIMITS = { maxStates: 5_000_000, maxMs: 600_000 } as const;

export interface ExploreRequest {
  type: 'explore';
  id: number;
  /** Untrusted: validated by the worker (src/scenarios/validate.ts). */
  scenario: unknown;
  era?: EraId;
  maxStates?: number;
  maxMs?: number;
}

export interface CancelRequest {
  type: 'cancel';
  id: number;
}

export type ToWorker = ExploreRequest | CancelRequest;

export interface ProgressMessage {
  type: 'progress';
  id: number;
  states: number;
  transitions: number;
  expanded: number;
  depth: number;
  ms: number;
  kinds: string[];
}

export interface ResultMessage {
  type: 'result';
  id: number;
  exploration: Exploration;
}

export type ErrorCode = 'bad-request' | 'bad-scenario' | 'cancelled' | 'internal';

export interface ErrorMessage {
  type: 'error';
  /** null when the request was too malformed to carry an id. */
  id: number | null;
  code: ErrorCode;
  message: string;
  /** bad-scenario: the validator's messages, one per problem. */
  errors?: string[];
}

export type FromWorker = ProgressMessage | ResultMessage | ErrorMessage;

export type Parsed<T> = { ok: true; msg: T } | { ok: false; id: number | null; error: string };

function isObject(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

function isId(x: unknown): x is number {
  return typeof x === 'number' && Number.isSafeInteger(x) && x >= 0;
}

function isCount(x: unknown): x is number {
  return typeof x === 'number' && Number.isFinite(x) && x >= 0;
}

function keysOnly(o: Record<string, unknown>, allowed: readonly string[]): string | null {
  for (const k of Object.keys(o)) if (!allowed.includes(k)) return `unknown field "${k.slice(0, 40)}"`;
  return null;
}

/** Validate a message the worker received. */
export function parseToWorker(x: unknown): Parsed<ToWorker> {
  if (!isObject(x)) return { ok: false, id: null, error: 'expected an object message' };
  const id = isId(x.id) ? x.id : null;
  const bad = (error: string): Parsed<ToWorker> => ({ ok: false, id, error });
  if (id === null) return bad('id: expected a whole number ≥ 0');
  if (x.type === 'cancel') {
    const extra = keysOnly(x, ['type', 'id']);
    return extra ? bad(extra) : { ok: true, msg: { type: 'cancel', id } };
  }
  if (x.type !== 'explore') return bad(`type: expected "explore" or "cancel", got ${show(x.type)}`);
  const extra = keysOnly(x, ['type', 'id', 'scenario', 'era', 'maxStates', 'maxMs']);
  if (extra) return bad(extra);
  if (!('scenario' in x)) return bad('scenario: missing');
  const msg: ExploreRequest = { type: 'explore', id, scenario: x.scenario };
  if (x.era !== undefined) {
    if (!isEraId(x.era)) return bad(`era: expected one of ${ERA_IDS.join(', ')}`);
    msg.era = x.era;
  }
  for (const k of ['maxStates', 'maxMs'] as const) {
    const v = x[k];
    if (v === undefined) continue;
    if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 1 || v > REQUEST_LIMITS[k])
      return bad(`${k}: expected a whole number from 1 to ${REQUEST_LIMITS[k]}`);
    msg[k] = v;
  }
  return { ok: true, msg };
}

/** Validate a message the page received from the worker (shape only; the worker is ours, the channel is not proof). */
export function parseFromWorker(x: unknown): Parsed<FromWorker> {
  if (!isObject(x)) return { ok: false, id: null, error: 'expected an object message' };
  const id = isId(x.id) ? x.id : null;
  const bad = (error: string): Parsed<FromWorker> => ({ ok: false, id, error });
  switch (x.type) {
    case 'progress': {
      if (id === null) return bad('id');
      for (const k of ['states', 'transitions', 'expanded', 'depth', 'ms']) if (!isCount(x[k])) return bad(k);
      if (!Array.isArray(x.kinds) || !x.kinds.every((k) => typeof k === 'string')) return bad('kinds');
      return {
        ok: true,
        msg: {
          type: 'progress',
          id,
          states: x.states as number,
          transitions: x.transitions as number,
          expanded: x.expanded as number,
          depth: x.depth as number,
          ms: x.ms as number,
          kinds: x.kinds as string[],
        },
      };
    }
    case 'result': {
      if (id === null) return bad('id');
      const e = x.exploration;
      if (
        !isObject(e) ||
        e.schema !== EXPLORATION_SCHEMA ||
        typeof e.complete !== 'boolean' ||
        !Array.isArray(e.violations)
      )
        return bad('exploration: not a vfio-kvm-exploration/1');
      return { ok: true, msg: { type: 'result', id, exploration: e as unknown as Exploration } };
    }
    case 'error': {
      if (x.id !== null && id === null) return bad('id');
      if (!['bad-request', 'bad-scenario', 'cancelled', 'internal'].includes(x.code as string))
        return bad('code');
      if (typeof x.message !== 'string') return bad('message');
      const errors = Array.isArray(x.errors)
        ? x.errors.filter((s): s is string => typeof s === 'string')
        : undefined;
      return {
        ok: true,
        msg: {
          type: 'error',
          id,
          code: x.code as ErrorCode,
          message: x.message,
          ...(errors ? { errors } : {}),
        },
      };
    }
    default:
      return bad('type');
  }
}
