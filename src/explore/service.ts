/**
 * What the worker does with messages (protocol.ts), independent of where the
 * messages come from: worker.ts binds it to the worker's global scope, tests
 * bind it to a function. Each exploration runs in slices of SLICE_MS and
 * yields to the event loop between them, so `cancel` (and other requests)
 * are handled while a search runs; progress is posted at most every
 * PROGRESS_INTERVAL_MS. Nothing thrown escapes: bad input and internal
 * failures become `error` messages.
 */
import { validateScenario } from '../scenarios/validate.ts';
import { startExploration, type ExplorationRun } from './exploration.ts';
import { parseToWorker, PROGRESS_INTERVAL_MS, type ExploreRequest, type FromWorker } from './protocol.ts';

export const SLICE_MS = 25;
/** The worker never stores more than this (whatever the page asks for): a tab must not run out of memory. */
export const WORKER_MAX_BYTES = 512 * 1024 * 1024;

export interface ExploreService {
  /** Handle one incoming message (untrusted). */
  handle(data: unknown): void;
  /** Jobs under way. */
  readonly running: number;
}

export interface ServiceOptions {
  /** Clock (tests). */
  now?: () => number;
  /** Yield to the event loop between slices (tests may substitute). */
  yieldNow?: () => Promise<void>;
  /** Length of a search slice (tests: 0, so that every 64 states are a slice). */
  sliceMs?: number;
}

export function createExploreService(
  post: (m: FromWorker) => void,
  opts: ServiceOptions = {},
): ExploreService {
  const now = opts.now ?? (() => performance.now());
  const yieldNow = opts.yieldNow ?? yieldToEventLoop;
  const sliceMs = opts.sliceMs ?? SLICE_MS;
  const jobs = new Map<number, { cancelled: boolean }>();

  const safePost = (m: FromWorker) => {
    try {
      post(m);
    } catch {
      // the page went away; nothing to tell
    }
  };

  async function run(req: ExploreRequest, job: { cancelled: boolean }): Promise<void> {
    const v = validateScenario(req.scenario);
    if (!v.ok) {
      safePost({
        type: 'error',
        id: req.id,
        code: 'bad-scenario',
        message: `invalid scenario: ${v.errors[0] ?? 'unknown problem'}`,
        errors: v.errors,
      });
      return;
    }
    let x: ExplorationRun;
    try {
      x = startExploration(v.scenario, {
        maxBytes: WORKER_MAX_BYTES,
        ...(req.era ? { era: req.era } : {}),
        ...(req.maxStates ? { maxStates: req.maxStates } : {}),
        ...(req.maxMs ? { maxMs: req.maxMs } : {}),
      });
    } catch (e) {
      safePost({
        type: 'error',
        id: req.id,
        code: 'internal',
        message: `could not compile the scenario: ${(e as Error).message}`,
      });
      return;
    }
    let lastProgress = now();
    for (;;) {
      if (job.cancelled) {
        x.search.stop('cancelled');
        safePost({ type: 'error', id: req.id, code: 'cancelled', message: 'exploration cancelled' });
        return;
      }
      if (x.search.run(sliceMs)) break;
      const t = now();
      if (t - lastProgress >= PROGRESS_INTERVAL_MS) {
        lastProgress = t;
        const s = x.search.stats();
        safePost({
          type: 'progress',
          id: req.id,
          states: s.states,
          transitions: s.transitions,
          expanded: s.expanded,
          depth: s.depth,
          ms: Math.round(s.ms),
          kinds: [...s.kinds],
        });
      }
      await yieldNow();
    }
    try {
      safePost({ type: 'result', id: req.id, exploration: x.finish() });
    } catch (e) {
      safePost({
        type: 'error',
        id: req.id,
        code: 'internal',
        message: `could not build the traces: ${(e as Error).message}`,
      });
    }
  }

  return {
    get running() {
      return jobs.size;
    },
    handle(data) {
      const p = parseToWorker(data);
      if (!p.ok) {
        safePost({ type: 'error', id: p.id, code: 'bad-request', message: p.error });
        return;
      }
      const msg = p.msg;
      if (msg.type === 'cancel') {
        const job = jobs.get(msg.id);
        if (job) job.cancelled = true;
        return;
      }
      if (jobs.has(msg.id)) {
        safePost({
          type: 'error',
          id: msg.id,
          code: 'bad-request',
          message: `id ${msg.id} is already running`,
        });
        return;
      }
      const job = { cancelled: false };
      jobs.set(msg.id, job);
      void run(msg, job)
        .catch((e) =>
          safePost({
            type: 'error',
            id: msg.id,
            code: 'internal',
            message: String((e as Error)?.message ?? e),
          }),
        )
        .finally(() => jobs.delete(msg.id));
    },
  };
}

let channel: MessageChannel | null = null;
const waiting: (() => void)[] = [];

/** Let queued messages in: setImmediate in Node, a MessageChannel in browsers (no 4 ms timer clamping). */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => {
    const g = globalThis as { setImmediate?: (f: () => void) => void };
    if (typeof g.setImmediate === 'function') {
      g.setImmediate(resolve);
      return;
    }
    if (typeof MessageChannel !== 'undefined') {
      if (!channel) {
        channel = new MessageChannel();
        channel.port1.onmessage = () => waiting.shift()?.();
      }
      waiting.push(resolve);
      channel.port2.postMessage(null);
      return;
    }
    setTimeout(resolve, 0);
  });
}
