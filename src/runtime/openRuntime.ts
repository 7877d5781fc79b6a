import { Registry, collectDefaultMetrics } from 'prom-client';
import type { Config } from './config.js';
import { openDatabase } from '../eventstore/database.js';
import { migrationsApplied } from '../eventstore/postgres/migrate.js';
import { eventStoreGrants, eventStoreMigrations } from '../eventstore/postgres/migrations/index.js';
import { createSchema } from '../eventstore/postgres/schema.js';
import { createPostgresEventStore } from '../eventstore/postgres/store.js';
import type { EventStore } from '../eventstore/contract.js';
import { loadKeys } from '../personal/keys.js';
import { createDataKeys } from '../personal/dataKeys.js';
import { openKekRing } from '../personal/kekRing.js';
import { personalGrants, personalMigrations } from '../personal/migrations.js';
import type { AppContext } from './appContext.js';
import { createServices } from './services.js';
import { consoleGrants, consoleMigrations } from '../accounts/migrations.js';
import { scanGrants, scanMigrations } from '../scans/migrations.js';
import { primarySettings } from './primarySettings.js';
import { prepareArchiveDir } from './walArchive.js';
import { replicationMetrics, replicationReadiness } from './replicationStatus.js';

/**
 * The process as the commands hold it; `close` stops the shared services, then the store and the database.
 * `owner`: the schema owner's connection (backup, restore and replication set-up need it, not the server's role).
 */
export type Runtime = AppContext & {
  close: (onServiceError?: (e: Error) => void) => Promise<void>;
  embedded: boolean;
  owner: { url: string; pool: import('pg').Pool };
};

/** Opens the selected event store (PostgreSQL by default, KurrentDB when EVENTSTORE_URL is set). */
const openStore = async (config: Config, url: string, log: (line: string) => void): Promise<EventStore> => {
  if (!config.EVENTSTORE_URL) return createPostgresEventStore({ connectionString: url, headCacheBytes: config.VRS_CACHE_STREAM_HEADS_BYTES, onError: (e) => log(`event notifications: ${e.message}`) });
  // Loaded only when selected: the gRPC client is heavy and unused on the default store.
  const { createKurrentDbEventStore } = await import('../eventstore/kurrentdb/index.js');
  return createKurrentDbEventStore({ connectionString: config.EVENTSTORE_URL, log });
};

/** The composition root shared by `vrs serve` and the other commands: database, migrations, store, keys. */
export const openRuntime = async (config: Config, log: (line: string) => void = () => {}): Promise<Runtime> => {
  if (config.VRS_WAL_ARCHIVE && !config.DATABASE_URL) await prepareArchiveDir(config.VRS_WAL_ARCHIVE);
  const db = await openDatabase(config, log, primarySettings(config));
  // Migrations run as the owner; each scope then grants the server's role what its list says.
  const schema = createSchema(db.owner.pool, db.appRole);
  await schema.migrate('eventstore', eventStoreMigrations, eventStoreGrants);
  await schema.migrate('personal', personalMigrations, personalGrants);
  await schema.migrate('console', consoleMigrations, consoleGrants);
  // Before any projection makes its tables: scans migration 2 hands `scan_status` over to its projection.
  await schema.migrate('scans', scanMigrations, scanGrants);
  const store = await openStore(config, db.url, log);
  const keys = await loadKeys(config);
  const kekRing = await openKekRing(db.pool, keys.dir, keys.masterFromEnv);
  const metrics = new Registry();
  collectDefaultMetrics({ register: metrics });
  const ctx: AppContext = {
    config,
    store,
    pool: db.pool,
    schema,
    keys,
    kekRing,
    dataKeys: createDataKeys(db.pool, kekRing, config.VRS_CACHE_DATA_KEYS_BYTES),
    metrics,
    services: createServices(),
    readiness: [
      async () => {
        await db.pool.query('SELECT 1');
        return { name: 'database', ok: true };
      },
      async () => ({
        name: 'migrations',
        ok:
          (await migrationsApplied(db.pool, 'eventstore', eventStoreMigrations)) &&
          (await migrationsApplied(db.pool, 'personal', personalMigrations)) &&
          (await migrationsApplied(db.pool, 'console', consoleMigrations)) &&
          (await migrationsApplied(db.pool, 'scans', scanMigrations)),
      }),
    ],
  };
  // Replication state is read as the owner: the server's role sees standbys with their positions hidden.
  ctx.readiness.push(replicationReadiness(db.owner.pool, config.VRS_SYNC_STANDBY));
  replicationMetrics(metrics, db.owner.pool);
  return {
    ...ctx,
    embedded: db.embedded,
    owner: db.owner,
    close: async (onServiceError) => {
      await ctx.services.stopAll(onServiceError);
      await store.close();
      await db.close();
    },
  };
};
