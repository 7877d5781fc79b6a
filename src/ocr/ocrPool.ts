import { availableParallelism } from 'node:os';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { createWorker, OEM, PSM, type Worker } from 'tesseract.js';

const require = createRequire(import.meta.url);
// Everything from node_modules: no CDN, no cache file written into the working directory.
const langPath = join(dirname(require.resolve('@tesseract.js-data/eng/package.json')), '4.0.0_best_int');
const workerPath = require.resolve('tesseract.js/src/worker-script/node/index.js');

export type OcrRect = { left: number; top: number; width: number; height: number };
export type OcrJob = { image: Buffer; whitelist: string; rectangle?: OcrRect; rotateAuto?: boolean };
export type OcrResult = { text: string; confidence: number };

export type OcrPool = {
  readonly size: number;
  recognize(job: OcrJob): Promise<OcrResult>;
  close(): Promise<void>;
};

type Slot = { worker: Worker; whitelist: string | null };

/** Tesseract workers, one per core by default, started once and reused for every image. */
export const createOcrPool = async ({ size = availableParallelism() }: { size?: number } = {}): Promise<OcrPool> => {
  const failures: unknown[] = [];
  const slots: Slot[] = await Promise.all(
    Array.from({ length: Math.max(1, size) }, async () => {
      const worker = await createWorker('eng', OEM.LSTM_ONLY, {
        langPath,
        workerPath,
        gzip: true,
        cacheMethod: 'none',
        // Without a handler a failed job takes the whole process down; the job's promise still rejects.
        errorHandler: (e: unknown) => failures.push(e),
      });
      await worker.setParameters({ tessedit_pageseg_mode: PSM.SINGLE_LINE, user_defined_dpi: '300' });
      return { worker, whitelist: null };
    }),
  );
  const idle = [...slots];
  const waiting: ((s: Slot) => void)[] = [];
  let closed = false;
  const acquire = () => new Promise<Slot>((resolve) => (idle.length ? resolve(idle.pop()!) : waiting.push(resolve)));
  const release = (s: Slot) => (waiting.length ? waiting.shift()!(s) : idle.push(s));

  const recognize = async ({ image, whitelist, rectangle, rotateAuto = false }: OcrJob): Promise<OcrResult> => {
    if (closed) throw new Error('OCR pool is closed');
    const slot = await acquire();
    try {
      if (slot.whitelist !== whitelist) {
        await slot.worker.setParameters({ tessedit_char_whitelist: whitelist });
        slot.whitelist = whitelist;
      }
      const { data } = await slot.worker.recognize(image, { rectangle, rotateAuto }, { text: true });
      return { text: data.text, confidence: data.confidence };
    } finally {
      release(slot);
    }
  };

  const close = async () => {
    if (closed) return;
    closed = true;
    await Promise.all(slots.map((s) => s.worker.terminate()));
  };

  return { size: slots.length, recognize, close };
};
