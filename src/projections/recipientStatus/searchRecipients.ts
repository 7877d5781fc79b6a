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

/**
 * A kana prefix matched by at least this many rows past the cursor is "common": its pages are read by walking the
 * municipality's rows in coupon order and keeping the matches, which stops at the page's end (about limit / the
 * share of rows matching). A rarer prefix is looked up in the GIN index, which yields every match unordered, to be
 * sorted by coupon for each page: a cost that grows with the matches, i.e. with the municipality (bench/growth.ts:
 * a prefix that most of a municipality shares read all of its rows for every page). The two costs meet near
 * sqrt(limit x rows in the municipality), about 1,000 for a page of 20 in a municipality of 50,000.
 */
export const COMMON_KANA_MATCHES = 1000;

/** Rows of the municipality walked per statement for a common prefix. */
const WALK_BATCH = 500;

/** How many rows past the cursor the kana index matches, counted up to `$4` (the GIN index and those rows only). */
const MATCHES_SQL = `SELECT count(*)::int AS n FROM (
       SELECT 1 FROM ${RECIPIENT_STATUS_TABLE}
       WHERE municipality = $1 AND kana_bix @> ARRAY[$2::text] AND ($3::text IS NULL OR coupon > $3)
       LIMIT $4) m`;

/**
 * The next `$8` rows of the municipality in coupon order (an index range scan, whatever the planner thinks of the
 * filters: they are applied to the walked rows only), with how many were walked and the last coupon walked.
 */
const WALK_SQL = `WITH cp AS (SELECT coalesce((SELECT position FROM projection_checkpoints WHERE name = $1), 0) AS as_of),
     w AS MATERIALIZED (
       SELECT ${STATUS_COLUMNS} FROM ${RECIPIENT_STATUS_TABLE}
       WHERE municipality = $2 AND ($6::text IS NULL OR coupon > $6)
       ORDER BY coupon
       LIMIT $8),
     walked AS (SELECT count(*)::int AS walked, max(coupon) AS walked_to FROM w)
     SELECT cp.as_of, walked.walked, walked.walked_to, r.* FROM cp CROSS JOIN walked LEFT JOIN LATERAL (
       SELECT * FROM w
       WHERE ($3::text IS NULL OR $3::text = ANY(kana_bix))
         AND ($4::text IS NULL OR birth_bix = $4)
         AND ($5::text IS NULL OR status = $5)
       ORDER BY coupon
       LIMIT $7
     ) r ON true`;

/** One page by the indexes (exported for the test that reads its plan). */
export const SEARCH_PAGE_SQL = `WITH cp AS (SELECT coalesce((SELECT position FROM projection_checkpoints WHERE name = $1), 0) AS as_of)
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
 * compared after opening, and a common prefix is read by walking the municipality in coupon order
 * (COMMON_KANA_MATCHES): both read on in batches inside one repeatable-read transaction; otherwise one statement.
 * Either way the rows and the checkpoint position they reflect come from one snapshot.
 */
export const searchRecipients = async (
  db: pg.Pool,
  q: SearchQuery,
  keysFor: KeysFor,
  bixKey: Buffer,
  /** Tests only: smaller thresholds take the walk with few rows. */
  tuning: { commonKanaMatches?: number; walkBatch?: number } = {},
): Promise<SearchPage> => {
  const commonKanaMatches = tuning.commonKanaMatches ?? COMMON_KANA_MATCHES;
  const walkBatch = tuning.walkBatch ?? WALK_BATCH;
  const prefix = q.kanaPrefix || null;
  const kana = prefix ? kanaQueryIndex(bixKey, q.municipality, prefix) : null;
  const birth = q.birthDate ? birthDateIndex(bixKey, q.municipality, q.birthDate) : null;
  type Batch = { asOf: bigint; opened: StatusRow[]; exhausted: boolean; next: string | null };
  const params = (after: string | null, n: number) => [RECIPIENT_STATUS_TABLE, q.municipality, kana?.index ?? null, birth, q.status ?? null, after, n];
  /** Matches by the indexes, at most n. */
  const read = async (conn: pg.Pool | pg.PoolClient, after: string | null, n: number): Promise<Batch> => {
    const { rows } = await conn.query<StoredRow & { as_of: string; stream: string | null }>(SEARCH_PAGE_SQL, params(after, n));
    const stored = rows.filter((r) => r.stream !== null);
    return { asOf: BigInt(rows[0]?.as_of ?? 0), opened: await openRows(stored, keysFor), exhausted: stored.length < n, next: stored[stored.length - 1]?.coupon ?? null };
  };
  /**
   * The first `n` matches among the next `walkBatch` rows of the municipality (only those are opened). With `n`
   * found the next batch starts after the last of them (a longer prefix may still reject some once opened); with
   * fewer, every match up to the last row walked was returned, so it starts after that row.
   */
  const walk = async (conn: pg.PoolClient, after: string | null, n: number): Promise<Batch> => {
    const { rows } = await conn.query<StoredRow & { as_of: string; walked: number; walked_to: string | null; stream: string | null }>(WALK_SQL, [...params(after, n), walkBatch]);
    const stored = rows.filter((r) => r.stream !== null);
    const full = stored.length >= n;
    return {
      asOf: BigInt(rows[0]?.as_of ?? 0),
      opened: await openRows(stored, keysFor),
      exhausted: !full && (rows[0]?.walked ?? 0) < walkBatch,
      next: full ? stored[stored.length - 1].coupon : (rows[0]?.walked_to ?? null),
    };
  };
  // A row found by an index must still be readable (a key erased before the projection saw the erasure).
  const matches = (r: StatusRow) =>
    (!prefix || (r.nameKana !== null && blindKana(r.nameKana).startsWith(prefix))) && (!q.birthDate || r.birthDate === q.birthDate);

  const page = (found: StatusRow[], asOfPosition: bigint): SearchPage => {
    const rows = found.slice(0, q.limit);
    const last = rows[rows.length - 1];
    return { rows, asOfPosition, next: found.length > q.limit && last ? { coupon: last.coupon } : null };
  };

  // Only how the rows are found depends on this count; the answer is the same either way.
  const common =
    kana !== null &&
    (await db.query<{ n: number }>(MATCHES_SQL, [q.municipality, kana.index, q.after?.coupon ?? null, commonKanaMatches])).rows[0].n >= commonKanaMatches;
  if (!common && (!kana || kana.exact)) {
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
      const batch = common ? await walk(client, after, q.limit + 1 - found.length) : await read(client, after, FILTER_BATCH);
      asOfPosition = batch.asOf;
      found.push(...batch.opened.filter(matches));
      if (found.length > q.limit || batch.exhausted || batch.next === null) break;
      after = batch.next;
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
