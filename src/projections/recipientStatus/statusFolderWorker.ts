import { parentPort, workerData } from 'node:worker_threads';
import { createStatusFolder, type FolderRequest } from './statusFolder.js';

/** A worker thread's folder (see statusFolders): requests in order, each answered; an error ends the thread. */
const folder = createStatusFolder(Buffer.from(workerData.bixKey as Uint8Array));
parentPort!.on('message', (r: FolderRequest) => {
  parentPort!.postMessage(folder.handle(r));
});
