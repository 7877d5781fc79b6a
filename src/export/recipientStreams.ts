import type pg from 'pg';
import { parseMunicipalityCode } from '../domain/index.js';
import { RECIPIENT_STATUS_TABLE } from '../projections/recipientStatus/recipientStatusTable.js';

const PAGE = 500;

export type StreamSource = 'heads' | 'read-model';

/**
 * The municipality's recipient streams in coupon order, a page at a time, by keyset paging. With the PostgreSQL
 * event store: the first events of its streams (authoritative, no lag: a person imported a second ago is listed;
 * the stream column is collated "C", so the prefix is a range of the (stream, version) index). With
 * another store, whose streams PostgreSQL cannot list: the `recipient_status` read model. The code is checked
 * (6 digits, check digit) before it goes into the pattern, and the pattern is a parameter.
 */
export async function* recipientStreamsOf(pool: pg.Pool, municipality: string, source: StreamSource = 'heads', page = PAGE): AsyncGenerator<string[]> {
  const code = parseMunicipalityCode(municipality, 'municipality');
  if (!code.ok) throw code.error;
  const sql =
    source === 'heads'
      ? 'SELECT stream FROM events WHERE stream LIKE $1 AND stream > $2 AND version = 1 ORDER BY stream LIMIT $3'
      : `SELECT stream FROM ${RECIPIENT_STATUS_TABLE} WHERE municipality = $1 AND stream > $2 ORDER BY stream LIMIT $3`;
  const key = source === 'heads' ? `recipient-${code.value}-%` : code.value;
  let after = '';
  for (;;) {
    const { rows } = await pool.query<{ stream: string }>(sql, [key, after, page]);
    if (rows.length === 0) return;
    yield rows.map((r) => r.stream);
    if (rows.length < page) return;
    after = rows[rows.length - 1].stream;
  }
}
