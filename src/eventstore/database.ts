import pg from 'pg';
import type { Config } from '../config/config.js';
import { startEmbeddedPostgres } from './embedded.js';

// bigint columns come back as strings by default; counts we read are small, positions stay strings → BigInt.
export type Database = { url: string; pool: pg.Pool; embedded: boolean; close: () => Promise<void> };

/** The configured PostgreSQL, or an embedded one in `<VRS_DATA_DIR>/pg` when DATABASE_URL is unset. */
export const openDatabase = async (
  config: Pick<Config, 'DATABASE_URL' | 'VRS_DATA_DIR' | 'VRS_EMBEDDED_PG_PORT'>,
  log: (line: string) => void = () => {},
): Promise<Database> => {
  const embedded = config.DATABASE_URL
    ? null
    : await startEmbeddedPostgres({ dataDir: config.VRS_DATA_DIR, port: config.VRS_EMBEDDED_PG_PORT, log });
  const url = config.DATABASE_URL ?? embedded!.url;
  const pool = new pg.Pool({ connectionString: url, max: 20 });
  pool.on('error', (e) => log(`database pool: ${e.message}`));
  return {
    url,
    pool,
    embedded: !!embedded,
    close: async () => {
      await pool.end().catch(() => {});
      await embedded?.stop();
    },
  };
};
