import { createTestDatabase } from './database.js';
import { createPostgresEventStore } from '../../src/eventstore/postgres/store.js';
import { migrate } from '../../src/eventstore/postgres/migrate.js';
import { eventStoreMigrations } from '../../src/eventstore/postgres/migrations/index.js';

/** A migrated PostgreSQL event store on a fresh test database. */
export const createTestStore = async () => {
  const db = await createTestDatabase();
  const store = createPostgresEventStore({ connectionString: db.url, pollMs: 50 });
  await migrate(store.pool, 'eventstore', eventStoreMigrations);
  return {
    store,
    url: db.url,
    cleanup: async () => {
      await store.close();
      await db.drop();
    },
  };
};
