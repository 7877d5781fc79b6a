import type { Actor, AppendResult, EventMetadata, StreamWrite } from '../eventstore/contract.js';
import { isStreamVersionConflict as isConflict } from '../eventstore/errors.js';
import type { LedgerDeps } from '../ledger/index.js';
import { sealPersonal } from '../personal/personalCodec.js';
import type { ImportLine } from './readRecipientCsv.js';
import type { BatchOutcome } from './importAnswer.js';
import { decideClaimFor, planImportRows, type PlannedRow } from './planImportRows.js';

/** Import writes through the ledger's parts; which streams exist comes from the store contract (one batch read). */
export type ImportDeps = LedgerDeps;

export type ImportContext = {
  actor: Actor;
  /** Tokyo calendar day: birth dates after it are refused, as in POST /v1/recipients. */
  today: string;
  /** Correlates every event of one import run. */
  importId: string;
};

/**
 * Deterministic per row: a re-run of the same file (after a crash, or twice on purpose) offers the store the same
 * command id, so even a race between two runs registers each person once.
 */
export const importCommandId = (municipality: string, coupon: string) => `import:${municipality}:${coupon}`;

const metadataOf = (c: ImportContext, commandId: string): EventMetadata => ({
  commandId,
  correlationId: c.importId,
  causationId: commandId,
  actor: c.actor,
});

const writesOf = (rows: PlannedRow[], keys: Map<string, Buffer>, c: ImportContext): StreamWrite[] =>
  rows.flatMap((r) => {
    const metadata = metadataOf(c, importCommandId(r.municipality, r.coupon));
    const key = keys.get(r.stream)!;
    const recipient: StreamWrite = {
      stream: r.stream,
      expected: 'no_stream',
      events: r.events.map((e) => ({ type: e.type, data: sealPersonal(key, r.stream, e.data as Record<string, unknown>), metadata })),
    };
    if (!r.claim) return [recipient];
    const claim: StreamWrite = { stream: r.claim.stream, expected: r.claim.expected, events: r.claim.events.map((e) => ({ type: e.type, data: e.data, metadata })) };
    return [recipient, claim];
  });

/** Counts a batch's append results: a recipient stream whose command id was already recorded is a duplicate. */
const countResults = (rows: PlannedRow[], results: AppendResult[]) => {
  const byStream = new Map(results.map((r) => [r.stream, r]));
  let imported = 0;
  let duplicates = 0;
  for (const r of rows) {
    if (byStream.get(r.stream)?.duplicate) duplicates++;
    else imported++;
  }
  return { imported, duplicates };
};

/**
 * One row alone, after the batch met a concurrent writer: read again, decide again, append; a recipient created
 * meanwhile is a duplicate, a My Number claimed meanwhile a rejected line.
 */
const appendOne = async (deps: ImportDeps, row: PlannedRow, c: ImportContext, outcome: BatchOutcome): Promise<void> => {
  for (let attempt = 1; ; attempt++) {
    if ((await deps.store.streamVersions([row.stream])).has(row.stream)) {
      outcome.duplicates++;
      return;
    }
    let planned = row;
    if (row.myNumber) {
      const claimed = await decideClaimFor(deps, row.line, row.stream, row.myNumber, row.municipality, row.coupon, true);
      if (!claimed.ok) {
        outcome.rejected.push(claimed.rejected);
        return;
      }
      planned = { ...row, claim: claimed.claim.events.length > 0 ? claimed.claim : undefined };
    }
    const keys = await deps.dataKeys.forStreams([row.stream], { cache: false });
    try {
      const results = await deps.store.appendMany(writesOf([planned], keys, c));
      const counted = countResults([planned], results);
      outcome.imported += counted.imported;
      outcome.duplicates += counted.duplicates;
      return;
    } catch (e) {
      if (!isConflict(e) || attempt >= 5) throw e;
    }
  }
};

/**
 * Appends one batch of parsed lines: heads of every recipient and My Number claim stream read in one query
 * (PostgreSQL), each row decided by the pure domain, then every new registration and claim of the batch in ONE
 * atomic appendMany. A crash therefore leaves whole batches, and a re-run counts those rows as duplicates.
 * A conflict (another writer created one of the streams meanwhile) retries the batch row by row.
 */
export const appendImportBatch = async (deps: ImportDeps, batch: ImportLine[], c: ImportContext): Promise<BatchOutcome> => {
  const outcome: BatchOutcome = { imported: 0, duplicates: 0, rejected: [], lastLine: batch.at(-1)?.line ?? 0 };
  const rows: { line: number; recipient: NonNullable<Extract<ImportLine, { ok: true }>['recipient']> }[] = [];
  for (const l of batch) {
    if (l.ok) rows.push({ line: l.line, recipient: l.recipient });
    else outcome.rejected.push({ line: l.line, errors: l.errors, ...(l.endLine !== undefined ? { endLine: l.endLine } : {}) });
  }
  const plan = await planImportRows(deps, rows, c.today, (streams) => deps.store.streamVersions(streams));
  outcome.duplicates += plan.duplicates;
  outcome.rejected.push(...plan.rejected);
  if (plan.planned.length > 0) {
    const keys = await deps.dataKeys.forStreams(plan.planned.map((r) => r.stream), { cache: false });
    try {
      const results = await deps.store.appendMany(writesOf(plan.planned, keys, c));
      const counted = countResults(plan.planned, results);
      outcome.imported += counted.imported;
      outcome.duplicates += counted.duplicates;
    } catch (e) {
      if (!isConflict(e)) throw e;
      for (const row of plan.planned) await appendOne(deps, row, c, outcome);
    }
  }
  outcome.rejected.sort((a, b) => a.line - b.line);
  return outcome;
};
