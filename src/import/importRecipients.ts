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
  importId?: string;
  now?: Date;
  onEncoding?: (encoding: CsvEncoding) => void;
  /** After each batch is committed (progress bars, logs). */
  onBatch?: (outcome: BatchOutcome, total: ImportAnswer) => void;
};

/**
 * Appends batches while the next one is parsed: the parse (CPU, here) overlaps the append (PostgreSQL, another
 * process). The next batch is decided only after the previous one committed, so a coupon or My Number repeated
 * across batches is seen as taken.
 */
export const appendBatches = async (
  deps: ImportDeps,
  batches: AsyncIterable<ImportLine[]>,
  options: Omit<ImportOptions, 'charset' | 'limits' | 'batchSize' | 'onEncoding'>,
): Promise<ImportAnswer> => {
  const context = { actor: options.actor, today: tokyoToday(options.now ?? new Date()), importId: options.importId ?? randomUUID() };
  const answer = emptyAnswer();
  let inFlight: Promise<BatchOutcome> | null = null;
  const settle = async () => {
    if (!inFlight) return;
    const outcome = await inFlight;
    inFlight = null;
    addOutcome(answer, outcome);
    options.onBatch?.(outcome, answer);
  };
  try {
    for await (const batch of batches) {
      await settle();
      inFlight = appendImportBatch(deps, batch, context);
      // Without a handler a failing append would be "unhandled" while the next batch is being parsed.
      inFlight.catch(() => {});
    }
    await settle();
  } finally {
    // A parse error (e.g. IMPORT_TOO_LARGE) must not leave a batch half-awaited.
    if (inFlight) await (inFlight as Promise<BatchOutcome>).catch(() => {});
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
