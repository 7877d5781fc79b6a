import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { recipientStreamsOf } from '../../export/recipientStreams.js';
import { couponLineOf, recipientStream, tokyoToday, type RegisteredRecipient } from '../../domain/index.js';
import { commandContext, issueDocument, loadRecipient, type LedgerDeps } from '../../ledger/index.js';
import type { Actor } from '../../eventstore/contract.js';
import { dueUnder, type CouponCriteria } from './criteria.js';

export type BatchStatus = 'selecting' | 'done' | 'failed';
export type BatchView = {
  batchId: string;
  municipality: string;
  criteria: CouponCriteria;
  status: BatchStatus;
  scanned: number;
  issued: number;
  createdAt: string;
  finishedAt: string | null;
  error: string | null;
};
export type DueItem = { seq: number; stream: string; coupon: string; doseNumber: number; eligibleFrom: string | null; line: string };

export const createBatch = async (pool: pg.Pool, municipality: string, criteria: CouponCriteria, actor: Actor): Promise<string> => {
  const batchId = randomUUID();
  await pool.query('INSERT INTO coupon_batches (batch_id, municipality, criteria, status, created_by) VALUES ($1, $2, $3, $4, $5)', [
    batchId,
    municipality,
    JSON.stringify(criteria),
    'selecting',
    actor.sub,
  ]);
  return batchId;
};

const PROGRESS_EVERY = 100;

/**
 * Walks the municipality's recipients, folds each from the ledger (never from a read model that may lag), and
 * issues a coupon (CouponIssued, through the decider) to each one due. Progress is written as it goes; a failure
 * stops the batch and is kept on it. The coupons already issued stay issued (each is its own event).
 */
export const runBatch = async (
  deps: { pool: pg.Pool; ledger: LedgerDeps },
  batchId: string,
  actor: Actor,
  now = new Date(),
): Promise<void> => {
  const { rows } = await deps.pool.query<{ municipality: string; criteria: CouponCriteria }>('SELECT municipality, criteria FROM coupon_batches WHERE batch_id = $1', [batchId]);
  const { municipality, criteria } = rows[0];
  const today = tokyoToday(now);
  let scanned = 0;
  let issued = 0;
  const progress = () => deps.pool.query('UPDATE coupon_batches SET scanned = $2, issued = $3 WHERE batch_id = $1', [batchId, scanned, issued]);
  try {
    const pages = criteria.coupons ? [criteria.coupons.map((c) => recipientStream(municipality, c))] : recipientStreamsOf(deps.ledger.store, deps.pool, municipality);
    outer: for await (const page of pages) {
      for (const stream of page) {
        scanned++;
        const loaded = await loadRecipient(deps.ledger, stream);
        if (loaded.state.kind !== 'registered') continue;
        const due = dueUnder(loaded.state, criteria, today);
        if (!due) continue;
        const c = commandContext(actor, undefined, batchId, now);
        const { made } = await issueDocument(deps.ledger, stream, { type: 'IssueCoupon', doseNumber: criteria.doseNumber, batchId }, c, (s: RegisteredRecipient) => ({
          line: couponLineOf(s.municipality, s.coupon, criteria.doseNumber),
        }));
        await deps.pool.query('INSERT INTO coupon_batch_items (batch_id, seq, stream, dose, eligible_from, line) VALUES ($1, $2, $3, $4, $5, $6)', [
          batchId,
          issued,
          stream,
          criteria.doseNumber,
          due.eligibleFrom,
          made.line,
        ]);
        issued++;
        if (issued % PROGRESS_EVERY === 0) await progress();
        if (issued >= criteria.limit) break outer;
      }
    }
    await deps.pool.query(`UPDATE coupon_batches SET scanned = $2, issued = $3, status = 'done', finished_at = now() WHERE batch_id = $1`, [batchId, scanned, issued]);
  } catch (e) {
    const message = (e as { code?: string }).code ?? 'internal error';
    await deps.pool
      .query(`UPDATE coupon_batches SET scanned = $2, issued = $3, status = 'failed', error = $4, finished_at = now() WHERE batch_id = $1`, [batchId, scanned, issued, message])
      .catch(() => {});
    throw e;
  }
};

export const batchView = async (pool: pg.Pool, batchId: string): Promise<BatchView | null> => {
  const { rows } = await pool.query(
    'SELECT batch_id, municipality, criteria, status, scanned, issued, error, created_at, finished_at FROM coupon_batches WHERE batch_id = $1',
    [batchId],
  );
  const r = rows[0];
  if (!r) return null;
  return {
    batchId: r.batch_id,
    municipality: r.municipality,
    criteria: r.criteria,
    status: r.status,
    scanned: r.scanned,
    issued: r.issued,
    createdAt: r.created_at.toISOString(),
    finishedAt: r.finished_at?.toISOString() ?? null,
    error: r.error,
  };
};

export const batchItems = async (pool: pg.Pool, batchId: string): Promise<DueItem[]> => {
  const { rows } = await pool.query('SELECT seq, stream, dose, eligible_from, line FROM coupon_batch_items WHERE batch_id = $1 ORDER BY seq', [batchId]);
  return rows.map((r) => ({ seq: r.seq, stream: r.stream, coupon: r.line.slice(8), doseNumber: r.dose, eligibleFrom: r.eligible_from, line: r.line }));
};
