import type pg from 'pg';
import type { EventStore } from '../../eventstore/contract.js';
import type { Crl } from './verifyHealthCard.js';

/** Events after which a card's content is no longer the ledger's: the dose it shows was voided or changed. */
const INVALIDATING = new Set(['VaccinationVoided', 'VaccinationCorrected']);

/**
 * The revocation list of one key, computed from the ledger: a holder whose stream had a dose voided or corrected
 * after a card was issued gets `rid.T` (T the second after the latest such event), which revokes every card of
 * theirs issued before it and none issued after. `ctr` counts those events, so it only grows.
 * Cost: one stream read per holder with a card under this key (no cache; see README).
 */
export const revocationList = async (pool: pg.Pool, store: EventStore, kid: string): Promise<Crl> => {
  const { rows } = await pool.query<{ stream: string; rid: string; first: Date }>(
    `SELECT stream, rid, min(issued_at) AS first FROM document_certificates
      WHERE kid = $1 AND kind = 'shc' AND rid IS NOT NULL GROUP BY stream, rid ORDER BY min(seq)`,
    [kid],
  );
  const rids: string[] = [];
  let ctr = 0;
  for (const row of rows) {
    let latest: Date | null = null;
    for await (const e of store.readStream(row.stream)) {
      if (!INVALIDATING.has(e.type) || e.recordedAt < row.first) continue;
      ctr++;
      latest = e.recordedAt;
    }
    if (latest) rids.push(`${row.rid}.${Math.floor(latest.getTime() / 1000) + 1}`);
  }
  return { kid, method: 'rid', ctr, rids };
};
