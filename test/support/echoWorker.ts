// A worker module for the startWorker test: typed TypeScript, imports a sibling with the `.js` suffix as src does.
import { parentPort, workerData } from 'node:worker_threads';
import { canonicalJson } from '../../src/eventstore/hashChain.js';

const { data } = workerData as { data: { value: unknown } };
parentPort!.postMessage(canonicalJson(data.value));
