import { randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';
import { tokyoToday } from '../domain/index.js';
import type { Actor } from '../eventstore/contract.js';
import { registrationPipeline } from '../ledger/index.js';
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
  /** Batches in flight (default 2: one appending while the next is decided); the answers do not depend on it. */
  concurrency?: number;
  importId?: string;
  now?: Date;
  onEncoding?: (encoding: CsvEncoding) => void;
  /** After each batch is committed (progress bars, logs). */
  onBatch?: (outcome: BatchOutcome, total: ImportAnswer) => void;
};

/**
 * Appends batches while the next ones are parsed and decided: the parse and the decide-and-seal (CPU, here) overlap
 * the append (PostgreSQL, another process). Through the ledger's registration pipeline the answers are those of one
 * batch after another whatever `concurrency` is: a coupon or My Number repeated across batches is always refused
 * on its later line (the next batch is decided as if the one appending were written, and decided again if it did
 * not land as planned). Appends stay one at a time, in file order.
 */
export const appendBatches = async (
  deps: ImportDeps,
  batches: AsyncIterable<ImportLine[]>,
  options: Omit<ImportOptions, 'charset' | 'limits' | 'batchSize' | 'onEncoding'>,
): Promise<ImportAnswer> => {
  const now = options.now ?? new Date();
  const context = { actor: options.actor, now, today: tokyoToday(now), importId: options.importId ?? randomUUID() };
  const concurrency = Math.max(1, options.concurrency ?? 2);
  const register = registrationPipeline(deps);
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
      const p = appendImportBatch(register, batch, context);
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
