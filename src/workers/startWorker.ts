import { Worker } from 'node:worker_threads';

const entry = new URL('./tsWorkerEntry.mjs', import.meta.url);

/**
 * Starts a worker thread running a TypeScript (or JS) module given by URL, e.g.
 * `startWorker(new URL('./decodeWorker.js', import.meta.url), { ... })`; `data` reaches it as `workerData.data`.
 */
export const startWorker = (module: URL, data?: unknown): Worker =>
  new Worker(entry, { workerData: { module: module.href, data } });
