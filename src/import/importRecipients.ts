import { randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';
import { tokyoToday } from '../domain/index.js';
import type { Actor } from '../eventstore/contract.js';
import { appendPlannedBatch, planImportBatch, streamsOf, type ImportDeps } from './appendImport.js';
import { addOutcome, emptyAnswer, type BatchOutcome, type ImportAnswer } from './importAnswer.js';
import type { ImportLimits } from './importLimits.js';
import { readRecipientCsv, type ImportLine } from './readRecipientCsv.js';
import type { CsvEncoding } from './resolveCharset.js';

export type ImportOptions = {
  actor: Actor;
  /** The importing municipality (the caller's): every row must be for it. */
  municipality: string;
  charset?: string;
  limits?: Partial<ImportLimits>;
  batchSize?: number;
  /** Batch appends in flight at once (default 1; the next batch is always decided meanwhile). */
  concurrency?: number;
  importId?: string;
  now?: Date;
  onEncoding?: (encoding: CsvEncoding) => void;
  /** After each batch is committed (progress bars, logs). */
  onBatch?: (outcome: BatchOutcome, total: ImportAnswer) => void;
};

/**
 * Decides each batch in file order, and appends it while the next one is parsed and decided: the CPU work here
 * overlaps PostgreSQL's (another process). A batch is decided knowing which streams the batches still in flight
 * will create, so a coupon or My Number repeated across batches is refused on its later line exactly as if every
 * batch had waited for the one before; the answer is fully determined by the file. Batches in flight never share
 * a stream, so they cannot conflict with each other.
 */
export const appendBatches = async (
  deps: ImportDeps,
  batches: AsyncIterable<ImportLine[]>,
  options: Omit<ImportOptions, 'charset' | 'limits' | 'batchSize' | 'onEncoding'>,
): Promise<ImportAnswer> => {
  const context = { actor: options.actor, today: tokyoToday(options.now ?? new Date()), importId: options.importId ?? randomUUID() };
  const concurrency = Math.max(1, options.concurrency ?? 1);
  const answer = emptyAnswer();
  const inFlight: Promise<BatchOutcome>[] = [];
  const taken = new Set<string>();
  let rowByRowSettled = 0;
  // Outcomes are added in file order, so `rejected` stays sorted by line.
  const settleOldest = async () => {
    const outcome = await inFlight.shift()!;
    if (outcome.rowByRow) rowByRowSettled++;
    addOutcome(answer, outcome);
    options.onBatch?.(outcome, answer);
  };
  // A copy: a batch that commits while this one reads its heads leaves `taken` before the heads show it.
  const plan = (batch: ImportLine[]) => planImportBatch(deps, batch, context, new Set(taken));
  try {
    for await (const batch of batches) {
      const seen = rowByRowSettled;
      let planned = await plan(batch);
      while (inFlight.length >= concurrency) await settleOldest();
      // A batch that met another writer may have left some of its planned streams uncreated: decide again.
      if (rowByRowSettled !== seen) planned = await plan(batch);
      const streams = streamsOf(planned);
      for (const s of streams) taken.add(s);
      const p = appendPlannedBatch(deps, planned, context).finally(() => {
        for (const s of streams) taken.delete(s);
      });
      // Without a handler a failing append would be "unhandled" while the next batch is being parsed.
      p.catch(() => {});
      inFlight.push(p);
    }
    while (inFlight.length > 0) await settleOldest();
  } finally {
    // A parse error (e.g. IMPORT_TOO_LARGE) must not leave batches half-awaited.
    await Promise.allSettled(inFlight);
  }
  return answer;
};

/** The whole import: CSV bytes → `{imported, duplicates, rejected}`. Throws ImportError for a bad file. */
export const importRecipients = (deps: ImportDeps, bytes: Readable, options: ImportOptions): Promise<ImportAnswer> =>
  appendBatches(
    deps,
    readRecipientCsv(bytes, {
      charset: options.charset,
      municipality: options.municipality,
      limits: options.limits,
      batchSize: options.batchSize,
      onEncoding: options.onEncoding,
    }),
    options,
  );
