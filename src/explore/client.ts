/**
 * The page's side of the explorer worker: a small promise API.
 *
 *   const client = new ExploreClient();                  // starts the module worker
 *   const job = client.explore({ scenario, era: 'after' }, { onProgress: (p) => … });
 *   job.cancel();                                        // or pass { signal } (AbortSignal)
 *   const x = await job.result;                          // vfio-kvm-exploration/1
 *   client.dispose();                                    // terminates the worker
 *
 * `result` rejects with an ExploreError (code bad-request, bad-scenario,
 * cancelled, internal, or terminated). A search stopped by a bound, or by a
 * model exception inside a transition, resolves: `complete: false` with
 * `reason` (and `error`). Messages from the worker are validated; anything
 * that does not parse is ignored. No React here.
 */
import type { EraId } from '../model/era.ts';
import type { Exploration } from './exploration.ts';
import { parseFromWorker, type ErrorCode, type ProgressMessage, type ToWorker } from './protocol.ts';

export interface WorkerLike {
  postMessage(m: ToWorker): void;
  addEventListener(
    type: 'message' | 'error',
    listener: (e: { data?: unknown; message?: string }) => void,
  ): void;
  removeEventListener(
    type: 'message' | 'error',
    listener: (e: { data?: unknown; message?: string }) => void,
  ): void;
  terminate?(): void;
}

export type ExploreProgress = Omit<ProgressMessage, 'type' | 'id'>;

export interface ExploreCall {
  /** A vfio-kvm-scenario/1 object (validated in the worker). */
  scenario: unknown;
  era?: EraId;
  maxStates?: number;
  maxMs?: number;
}

export interface ExploreCallOptions {
  onProgress?: (p: ExploreProgress) => void;
  signal?: AbortSignal;
}

export interface ExploreJob {
  readonly id: number;
  readonly result: Promise<Exploration>;
  /** Ask the worker to stop; `result` then rejects with code "cancelled". */
  cancel(): void;
}

export class ExploreError extends Error {
  constructor(
    readonly code: ErrorCode | 'terminated',
    message: string,
    readonly errors: readonly string[] = [],
  ) {
    super(message);
    this.name = 'ExploreError';
  }
}

/** The explorer's module worker (Vite bundles worker.ts from this URL). */
export function createExploreWorker(): WorkerLike {
  return new Worker(new URL('./worker.ts', import.meta.url), { type: 'module' }) as unknown as WorkerLike;
}

interface Pending {
  resolve: (x: Exploration) => void;
  reject: (e: ExploreError) => void;
  onProgress?: (p: ExploreProgress) => void;
}

export class ExploreClient {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly worker: WorkerLike;
  private disposed = false;

  constructor(worker?: WorkerLike) {
    this.worker = worker ?? createExploreWorker();
    this.worker.addEventListener('message', this.onMessage);
    this.worker.addEventListener('error', this.onError);
  }

  explore(call: ExploreCall, opts: ExploreCallOptions = {}): ExploreJob {
    const id = this.nextId++;
    let cancel = () => {};
    const result = new Promise<Exploration>((resolve, reject) => {
      if (this.disposed) {
        reject(new ExploreError('terminated', 'the explorer was disposed'));
        return;
      }
      if (opts.signal?.aborted) {
        reject(new ExploreError('cancelled', 'exploration cancelled'));
        return;
      }
      this.pending.set(id, { resolve, reject, ...(opts.onProgress ? { onProgress: opts.onProgress } : {}) });
      cancel = () => {
        if (this.pending.has(id)) this.worker.postMessage({ type: 'cancel', id });
      };
      opts.signal?.addEventListener('abort', cancel, { once: true });
      this.worker.postMessage({
        type: 'explore',
        id,
        scenario: call.scenario,
        ...(call.era ? { era: call.era } : {}),
        ...(call.maxStates ? { maxStates: call.maxStates } : {}),
        ...(call.maxMs ? { maxMs: call.maxMs } : {}),
      });
    });
    return { id, result, cancel: () => cancel() };
  }

  /** Terminate the worker; every unfinished job rejects with code "terminated". */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.worker.removeEventListener('message', this.onMessage);
    this.worker.removeEventListener('error', this.onError);
    this.worker.terminate?.();
    this.failAll(new ExploreError('terminated', 'the explorer was disposed'));
  }

  private failAll(e: ExploreError): void {
    const all = [...this.pending.values()];
    this.pending.clear();
    for (const p of all) p.reject(e);
  }

  private readonly onError = (e: { message?: string }) => {
    this.failAll(new ExploreError('internal', `the explorer worker failed: ${e.message ?? 'unknown error'}`));
  };

  private readonly onMessage = (e: { data?: unknown }) => {
    const p = parseFromWorker(e.data);
    if (!p.ok) return;
    const m = p.msg;
    if (m.id === null) return;
    const job = this.pending.get(m.id);
    if (!job) return;
    if (m.type === 'progress') {
      const { type: _t, id: _i, ...progress } = m;
      job.onProgress?.(progress);
      return;
    }
    this.pending.delete(m.id);
    if (m.type === 'result') job.resolve(m.exploration);
    else job.reject(new ExploreError(m.code, m.message, m.errors ?? []));
  };
}
