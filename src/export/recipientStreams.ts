import type pg from 'pg';
import { parseMunicipalityCode } from '../domain/index.js';
import type { EventStore } from '../eventstore/contract.js';
import { RECIPIENT_STATUS_TABLE } from '../projections/recipientStatus/recipientStatusTable.js';

const PAGE = 500;

/**
 * The municipality's recipient streams in coupon order, a page at a time, by keyset paging. From the store when
 * it can list streams (PostgreSQL: authoritative, no lag: a person imported a second ago is listed); with another
 * store, from the `recipient_status` read model. The code is checked (6 digits, check digit) before it goes into
 * the prefix.
 */
export async function* recipientStreamsOf(store: EventStore, pool: pg.Pool, municipality: string, page = PAGE): AsyncGenerator<string[]> {
  const code = parseMunicipalityCode(municipality, 'municipality');
  if (!code.ok) throw code.error;
  const fromReadModel = async (after: string) =>
    (
      await pool.query<{ stream: string }>(`SELECT stream FROM ${RECIPIENT_STATUS_TABLE} WHERE municipality = $1 AND stream > $2 ORDER BY stream LIMIT $3`, [
        code.value,
        after,
        page,
      ])
    ).rows.map((r) => r.stream);
  const list = store.streamsByPrefix
    ? (after: string) => store.streamsByPrefix!(`recipient-${code.value}-`, { after, limit: page })
    : fromReadModel;
  let after = '';
  for (;;) {
    const streams = await list(after);
    if (streams.length === 0) return;
    yield streams;
    if (streams.length < page) return;
    after = streams[streams.length - 1];
  }
}
