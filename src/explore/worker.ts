/**
 * Module worker entry: the explorer off the page's main thread.
 *   new Worker(new URL('./worker.ts', import.meta.url), { type: 'module' })
 * (client.ts does this). All the logic is in service.ts.
 */
import { createExploreService } from './service.ts';
import type { FromWorker } from './protocol.ts';

interface WorkerScope {
  postMessage(m: FromWorker): void;
  addEventListener(type: 'message', listener: (e: { data: unknown }) => void): void;
}

const scope = globalThis as unknown as WorkerScope;
const service = createExploreService((m) => scope.postMessage(m));
scope.addEventListener('message', (e) => service.handle(e.data));
