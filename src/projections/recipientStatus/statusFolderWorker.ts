import { parentPort, workerData } from 'node:worker_threads';
import { createStatusFolder, type FolderRequest } from './statusFolder.js';

/** A worker thread's folder (see statusFolders): requests in order, a reply per encode; an error ends the thread. */
const folder = createStatusFolder(Buffer.from(workerData.bixKey as Uint8Array));
parentPort!.on('message', (r: FolderRequest) => {
  const reply = folder.handle(r);
  if (reply) parentPort!.postMessage(reply);
});
