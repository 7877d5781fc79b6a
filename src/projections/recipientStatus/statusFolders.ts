import { Worker } from 'node:worker_threads';
import { createStatusFolder, type EncodeReply, type FolderReply, type FolderRequest } from './statusFolder.js';

type Fold = Omit<Extract<FolderRequest, { kind: 'fold' }>, 'id'>;

/**
 * Folders to hand streams to: worker threads, or one inline folder (`workers` 0). Requests to one folder are handled
 * in order; each promise settles when its request is done (rejected with the thread's error if it failed).
 */
export type StatusFolders = {
  count: number;
  fold: (folder: number, r: Fold) => Promise<void>;
  encode: (folder: number, streams: string[]) => Promise<EncodeReply>;
  close: () => Promise<void>;
};

/** From the TypeScript sources (tsx) the worker starts through a plain-JS entry that registers tsx; built, directly. */
const workerEntry = () =>
  import.meta.url.endsWith('.ts') ? new URL('./statusFolderWorker.mjs', import.meta.url) : new URL('./statusFolderWorker.js', import.meta.url);

export const startStatusFolders = (bixKey: Buffer, workers: number): StatusFolders => {
  let nextId = 0;
  if (workers <= 0) {
    const folder = createStatusFolder(bixKey);
    return {
      count: 1,
      fold: async (_f, r) => void folder.handle({ ...r, kind: 'fold', id: nextId++ }),
      encode: async (_f, streams) => folder.handle({ kind: 'encode', id: nextId++, streams }) as EncodeReply,
      close: async () => {},
    };
  }
  let failure: Error | null = null;
  let closing = false;
  const pending = new Map<number, { resolve: (r: FolderReply) => void; reject: (e: Error) => void }>();
  const fail = (e: Error) => {
    failure ??= e;
    for (const p of pending.values()) p.reject(failure);
    pending.clear();
  };
  const threads = Array.from({ length: workers }, () => {
    // A copy of the key: a Buffer's pooled backing store would be cloned whole.
    const w = new Worker(workerEntry(), { workerData: { bixKey: new Uint8Array(bixKey) } });
    // A rebuild that fails half-way must not be kept alive by its workers.
    w.unref();
    w.on('message', (r: FolderReply) => {
      const p = pending.get(r.id);
      pending.delete(r.id);
      p?.resolve(r);
    });
    w.on('error', (e) => fail(e));
    w.on('exit', (code) => {
      if (!closing) fail(new Error(`recipient_status folder worker exited (code ${code})`));
    });
    return w;
  });
  const request = (f: number, r: FolderRequest) =>
    new Promise<FolderReply>((resolve, reject) => {
      if (failure) return reject(failure);
      pending.set(r.id, { resolve, reject });
      threads[f].postMessage(r);
    });
  return {
    count: workers,
    fold: async (f, r) => void (await request(f, { ...r, kind: 'fold', id: nextId++ })),
    encode: async (f, streams) => (await request(f, { kind: 'encode', id: nextId++, streams })) as EncodeReply,
    close: async () => {
      closing = true;
      await Promise.all(threads.map((w) => w.terminate()));
    },
  };
};
