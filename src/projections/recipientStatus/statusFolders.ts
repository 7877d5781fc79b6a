import { Worker } from 'node:worker_threads';
import { createStatusFolder, type EncodeReply, type FolderRequest } from './statusFolder.js';

/** Folders to hand streams to: worker threads, or one inline folder (`workers` 0). Requests to one folder keep their order. */
export type StatusFolders = {
  count: number;
  send: (folder: number, r: Extract<FolderRequest, { kind: 'fold' }>) => void;
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
      send: (_f, r) => void folder.handle(r),
      encode: async (_f, streams) => folder.handle({ kind: 'encode', id: nextId++, streams })!,
      close: async () => {},
    };
  }
  let failure: Error | null = null;
  let closing = false;
  const pending = new Map<number, { resolve: (r: EncodeReply) => void; reject: (e: Error) => void }>();
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
    w.on('message', (r: EncodeReply) => {
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
  const check = () => {
    if (failure) throw failure;
  };
  return {
    count: workers,
    send: (f, r) => {
      check();
      threads[f].postMessage(r);
    },
    encode: (f, streams) => {
      check();
      const id = nextId++;
      return new Promise<EncodeReply>((resolve, reject) => {
        pending.set(id, { resolve, reject });
        threads[f].postMessage({ kind: 'encode', id, streams } satisfies FolderRequest);
      });
    },
    close: async () => {
      closing = true;
      await Promise.all(threads.map((w) => w.terminate()));
    },
  };
};
