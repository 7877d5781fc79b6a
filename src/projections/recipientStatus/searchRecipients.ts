import type pg from 'pg';
import type { RecipientStatus } from '../../domain/index.js';
import { birthDateIndex, blindKana, kanaQueryIndex } from '../../personal/blindIndex.js';
import { RECIPIENT_STATUS_TABLE } from './recipientStatusTable.js';
import type { SearchPosition } from './searchCursor.js';
import { STATUS_COLUMNS } from './statusColumns.js';
import { openRows, type KeysFor } from './statusRowsSql.js';
import type { StatusRow } from './statusRow.js';
import type { StoredRow } from './storedRow.js';

export type SearchQuery = {
  municipality: string;
  /** Already in search form (searchKana); '' or undefined: any. */
  kanaPrefix?: string;
  birthDate?: string;
  status?: RecipientStatus;
  after?: SearchPosition;
  limit: number;
};

export type SearchPage = { rows: StatusRow[]; asOfPosition: bigint; next: SearchPosition | null };

/** Rows read per statement when a long kana prefix is compared after opening (its index is the first characters'). */
const FILTER_BATCH = 200;

const SQL = `WITH cp AS (SELECT coalesce((SELECT position FROM projection_checkpoints WHERE name = $1), 0) AS as_of)
     SELECT cp.as_of, r.* FROM cp LEFT JOIN LATERAL (
       SELECT ${STATUS_COLUMNS} FROM ${RECIPIENT_STATUS_TABLE}
       WHERE municipality = $2
         AND ($3::text IS NULL OR kana_bix @> ARRAY[$3::text])
         AND ($4::text IS NULL OR birth_bix = $4)
         AND ($5::text IS NULL OR status = $5)
         AND ($6::text IS NULL OR coupon > $6)
       ORDER BY coupon
       LIMIT $7
     ) r ON true`;

/**
 * Kana prefix and birth date are looked up by their blind indexes (the table holds no name or date to compare);
 * the page's rows are opened with their data keys in one `keysFor`. A prefix longer than the indexed prefixes is
 * compared after opening, reading on in batches inside one repeatable-read transaction; otherwise one statement.
 * Either way the rows and the checkpoint position they reflect come from one snapshot.
 */
export const searchRecipients = async (db: pg.Pool, q: SearchQuery, keysFor: KeysFor, bixKey: Buffer): Promise<SearchPage> => {
  const prefix = q.kanaPrefix || null;
  const kana = prefix ? kanaQueryIndex(bixKey, q.municipality, prefix) : null;
  const birth = q.birthDate ? birthDateIndex(bixKey, q.municipality, q.birthDate) : null;
  const read = async (conn: pg.Pool | pg.PoolClient, after: string | null, n: number) => {
    const { rows } = await conn.query<StoredRow & { as_of: string; stream: string | null }>(SQL, [
      RECIPIENT_STATUS_TABLE,
      q.municipality,
      kana?.index ?? null,
      birth,
      q.status ?? null,
      after,
      n,
    ]);
    const stored = rows.filter((r) => r.stream !== null);
    return { asOf: BigInt(rows[0]?.as_of ?? 0), stored, opened: await openRows(stored, keysFor) };
  };
  // A row found by an index must still be readable (a key erased before the projection saw the erasure).
  const matches = (r: StatusRow) =>
    (!prefix || (r.nameKana !== null && blindKana(r.nameKana).startsWith(prefix))) && (!q.birthDate || r.birthDate === q.birthDate);

  const page = (found: StatusRow[], asOfPosition: bigint): SearchPage => {
    const rows = found.slice(0, q.limit);
    const last = rows[rows.length - 1];
    return { rows, asOfPosition, next: found.length > q.limit && last ? { coupon: last.coupon } : null };
  };

  if (!kana || kana.exact) {
    const { asOf, opened } = await read(db, q.after?.coupon ?? null, q.limit + 1);
    return page(opened.filter(matches), asOf);
  }
  const client = await db.connect();
  try {
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    const found: StatusRow[] = [];
    let after = q.after?.coupon ?? null;
    let asOfPosition = 0n;
    for (;;) {
      const batch = await read(client, after, FILTER_BATCH);
      asOfPosition = batch.asOf;
      found.push(...batch.opened.filter(matches));
      if (found.length > q.limit || batch.stored.length < FILTER_BATCH) break;
      after = batch.stored[batch.stored.length - 1].coupon;
    }
    await client.query('COMMIT');
    return page(found, asOfPosition);
  } catch (e) {
    await client.query('ROLLBACK').catch(() => {});
    throw e;
  } finally {
    client.release();
  }
};
