import pg from 'pg';
import { createPostgresEventStore } from '../../src/eventstore/postgres/store.js';
import { migrate } from '../../src/eventstore/postgres/migrate.js';
import { eventStoreMigrations } from '../../src/eventstore/postgres/migrations/index.js';

/** Our store on a migrated database, with the pool exposed so a bench can count its statements. */
export const openOurStore = async (url: string, poolSize = 20) => {
  const pool = new pg.Pool({ connectionString: url, max: poolSize });
  pool.on('error', () => {}); // idle clients cut off at server stop: nothing to do
  await migrate(pool, 'eventstore', eventStoreMigrations);
  const store = createPostgresEventStore({ connectionString: url, pool });
  return {
    store,
    pool,
    close: async () => {
      await store.close();
      await pool.end();
    },
  };
};
