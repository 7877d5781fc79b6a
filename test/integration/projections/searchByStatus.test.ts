import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { ensureTables } from '../../../src/projections/runner/ensureTables.js';
import { RECIPIENT_STATUS_TABLE } from '../../../src/projections/recipientStatus/recipientStatusTable.js';
import { SEARCH_PAGE_SQL, searchRecipients } from '../../../src/projections/recipientStatus/searchRecipients.js';
import { createProjectionDb, type ProjectionDb } from './support/projectionDb.js';

const MUNICIPALITY = '13101';
const ROWS = 20_000;
/** Every 2,000th row has moved out: 10 of them, the last near the end of the municipality's coupon order. */
const movedOut = (g: number) => g % 2000 === 0;

/**
 * A search by a rare status alone (no kana, no birth date) must not walk the whole municipality to fill a page:
 * the coupon index would, in coupon order, until it had found the page (all 20,000 rows here for the last page,
 * and for a status nobody has). The partial index of rows that are not active holds only those.
 */
describe('search by a rare status', () => {
  let db: ProjectionDb;
  beforeAll(async () => {
    db = await createProjectionDb();
    const client = await db.pool.connect();
    try {
      await ensureTables(client, db.recipientStatus());
    } finally {
      client.release();
    }
    // Rows as an erased recipient's are stored (nothing sealed), so the page opens without data keys.
    await db.pool.query(
      `INSERT INTO ${RECIPIENT_STATUS_TABLE} (stream, municipality, coupon, sealed, kana_bix, birth_bix, sex, status, doses, dose_count, state, version, position)
       SELECT 'recipient-' || $1 || '-' || lpad(g::text, 10, '0'), $1, lpad(g::text, 10, '0'), NULL, '{}', NULL, 'F',
              CASE WHEN g % 2000 = 0 THEN 'transferred-out' ELSE 'active' END, '[]', 0,
              json_build_object('status', CASE WHEN g % 2000 = 0 THEN 'transferred-out' ELSE 'active' END), 1, g
       FROM generate_series(1, $2::int) g`,
      [MUNICIPALITY, ROWS],
    );
    await db.pool.query(`ANALYZE ${RECIPIENT_STATUS_TABLE}`);
  });
  afterAll(async () => db.cleanup());

  /** The page statement's plan with these parameters bound (a custom plan, as the server's unnamed statements get). */
  const plan = async (status: string, after: string | null) => {
    const { rows } = await db.pool.query<{ 'QUERY PLAN': unknown }>(`EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) ${SEARCH_PAGE_SQL}`, [
      RECIPIENT_STATUS_TABLE, MUNICIPALITY, null, null, status, after, 21,
    ]);
    const root = (rows[0]['QUERY PLAN'] as { Plan: Record<string, unknown> }[])[0].Plan;
    return { text: JSON.stringify(root), buffers: Number(root['Shared Hit Blocks'] ?? 0) + Number(root['Shared Read Blocks'] ?? 0) };
  };

  it('reads a page of transferred-out rows through the partial index, touching a few pages, not the municipality', async () => {
    const p = await plan('transferred-out', null);
    expect(p.text).toContain(`${RECIPIENT_STATUS_TABLE}_not_active`);
    const walk = await plan('active', null); // the common status walks the coupon index and stops at the page
    expect(walk.text).not.toContain(`${RECIPIENT_STATUS_TABLE}_not_active`);
    expect(p.buffers).toBeLessThan(50);
  });

  it('a status nobody has answers an empty page from the partial index', async () => {
    const p = await plan('erased', null);
    expect(p.text).toContain(`${RECIPIENT_STATUS_TABLE}_not_active`);
    expect(p.buffers).toBeLessThan(20);
  });

  it('pages through exactly the transferred-out rows in coupon order', async () => {
    const expected = Array.from({ length: ROWS }, (_, i) => i + 1).filter(movedOut).map((g) => String(g).padStart(10, '0'));
    const seen: string[] = [];
    let after: { coupon: string } | undefined;
    for (let pages = 0; pages < 10; pages++) {
      const page = await searchRecipients(db.pool, { municipality: MUNICIPALITY, status: 'transferred-out', after, limit: 4 }, async () => new Map(), randomBytes(32));
      seen.push(...page.rows.map((r) => r.coupon));
      expect(page.rows.every((r) => r.status === 'transferred-out')).toBe(true);
      if (!page.next) break;
      after = page.next;
    }
    expect(seen).toEqual(expected);
  });
});
