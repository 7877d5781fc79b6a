import type pg from 'pg';
import type { EventStore } from '../../../../src/eventstore/contract.js';

/** The projection's checkpoint position (0 before it has one). */
export const checkpointPosition = async (pool: pg.Pool, name: string): Promise<bigint> => {
  const { rows } = await pool.query<{ position: string }>('SELECT position FROM projection_checkpoints WHERE name = $1', [name]);
  return BigInt(rows[0]?.position ?? 0);
};

/** Every named projection's checkpoint is at the store's head. */
export const caughtUp = (pool: pg.Pool, store: EventStore, names: string[]) => async () => {
  const head = (await store.head())?.position ?? 0n;
  for (const name of names) if ((await checkpointPosition(pool, name)) !== head) return false;
  return true;
};
