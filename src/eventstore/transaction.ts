import type pg from 'pg';

/**
 * `fn` inside BEGIN … COMMIT on this client; any throw rolls back and is rethrown (a failed ROLLBACK, on a
 * connection already broken, does not hide the error that caused it).
 */
export const inTransaction = async <T>(client: pg.ClientBase, fn: (tx: pg.ClientBase) => Promise<T>): Promise<T> => {
  await client.query('BEGIN');
  try {
    const result = await fn(client);
    await client.query('COMMIT');
    return result;
  } catch (e) {
    await client.query('ROLLBACK').catch(() => {});
    throw e;
  }
};

/** `inTransaction` on a connection of its own from the pool, given back afterwards. */
export const withTransaction = async <T>(pool: pg.Pool, fn: (tx: pg.ClientBase) => Promise<T>): Promise<T> => {
  const client = await pool.connect();
  try {
    return await inTransaction(client, fn);
  } finally {
    client.release();
  }
};
