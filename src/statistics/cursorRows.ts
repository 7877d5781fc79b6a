import type pg from 'pg';

/**
 * Rows of a query, fetched through a server-side cursor in pages, so a large table never sits in memory.
 * The cursor lives in a read-only transaction on its own connection, released when the consumer stops.
 */
export async function* cursorRows<R extends pg.QueryResultRow>(pool: pg.Pool, sql: string, params: unknown[], page = 2000): AsyncGenerator<R> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN READ ONLY');
    await client.query(`DECLARE rows_cursor NO SCROLL CURSOR FOR ${sql}`, params);
    for (;;) {
      const { rows } = await client.query<R>(`FETCH ${page} FROM rows_cursor`);
      yield* rows;
      if (rows.length < page) break;
    }
  } finally {
    // Read-only: ending with ROLLBACK also covers a consumer that stopped early or a failed fetch.
    await client.query('ROLLBACK').catch(() => {});
    client.release();
  }
}
