// Worker entry in plain JS: on Node 20, tsx's loader is not inherited by worker threads, so each worker
// registers it before importing its TypeScript module (a no-op cost for modules that are already JS).
import { register } from 'tsx/esm/api';
import { workerData } from 'node:worker_threads';

register();
await import(workerData.module);
