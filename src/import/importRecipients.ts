import { randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';
import { tokyoToday } from '../domain/index.js';
import type { Actor } from '../eventstore/contract.js';
import { appendImportBatch, type ImportDeps } from './appendImport.js';
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
  /** Batches appended at once (default 1: answers fully determined by file order). */
  concurrency?: number;
  importId?: string;
  now?: Date;
  onEncoding?: (encoding: CsvEncoding) => void;
  /** After each batch is committed (progress bars, logs). */
  onBatch?: (outcome: BatchOutcome, total: ImportAnswer) => void;
};

/**
 * Appends batches while the next one is parsed: the parse (CPU, here) overlaps the append (PostgreSQL, another
 * process). With `concurrency` 1 (the default) the next batch is decided only after the previous one committed, so
 * a coupon or My Number repeated across batches is always refused on its later line. With more, batches append in
 * parallel; a repeat across two in-flight batches then meets the store's optimistic check and is settled row by row
 * (still nobody twice), but which of the two lines wins is no longer fixed by file order.
 */
export const appendBatches = async (
  deps: ImportDeps,
  batches: AsyncIterable<ImportLine[]>,
  options: Omit<ImportOptions, 'charset' | 'limits' | 'batchSize' | 'onEncoding'>,
): Promise<ImportAnswer> => {
  const now = options.now ?? new Date();
  const context = { actor: options.actor, now, today: tokyoToday(now), importId: options.importId ?? randomUUID() };
  const concurrency = Math.max(1, options.concurrency ?? 1);
  const answer = emptyAnswer();
  const inFlight: Promise<BatchOutcome>[] = [];
  // Outcomes are added in file order, so `rejected` stays sorted by line.
  const settleOldest = async () => {
    const outcome = await inFlight.shift()!;
    addOutcome(answer, outcome);
    options.onBatch?.(outcome, answer);
  };
  try {
    for await (const batch of batches) {
      while (inFlight.length >= concurrency) await settleOldest();
      const p = appendImportBatch(deps, batch, context);
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
