import type pg from 'pg';
import type { Actor } from '../eventstore/contract.js';

/**
 * Every read of a person's data goes in the append-only access log (actor, time, record, endpoint), as the
 * My Number law expects. `endpoint` is the route pattern, never the concrete URL.
 */
export const recordAccess = async (pool: pg.Pool, actor: Actor, records: string[], endpoint: string) => {
  if (records.length === 0) return;
  await pool.query(
    `INSERT INTO access_log (actor, actor_sub, record, endpoint)
     SELECT $1::jsonb, $2, r, $3 FROM unnest($4::text[]) AS r`,
    [JSON.stringify(actor), actor.sub, endpoint, records],
  );
};
