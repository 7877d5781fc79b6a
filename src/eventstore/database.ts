import pg from 'pg';
import type { Config } from '../runtime/config.js';
import { startEmbeddedPostgres } from './embedded.js';
import { ensureAppRole, urlUser } from './postgres/appRole.js';
import { secretFile } from './secretFile.js';

/**
 * Two ways into one database. `pool` (and `url`) is the server's role: it owns nothing and has only the privileges
 * each scope grants it. `owner` is the role that owns the schema: migrations and projection rebuilds (DDL) only.
 * `appRole` is null when no separate role could be had (the owner may not create roles and no
 * VRS_APP_DATABASE_URL is set): then both are the owner.
 */
export type Database = {
  url: string;
  pool: pg.Pool;
  owner: { url: string; pool: pg.Pool };
  appRole: string | null;
  embedded: boolean;
  close: () => Promise<void>;
};

/** The configured PostgreSQL, or an embedded one in `<VRS_DATA_DIR>/pg` when DATABASE_URL is unset. */
export const openDatabase = async (
  config: Pick<Config, 'DATABASE_URL' | 'VRS_APP_DATABASE_URL' | 'VRS_DATA_DIR' | 'VRS_EMBEDDED_PG_PORT'>,
  log: (line: string) => void = () => {},
  /** Extra server settings for the embedded PostgreSQL (replication, WAL archiving). */
  settings: Record<string, string> = {},
): Promise<Database> => {
  const embedded = config.DATABASE_URL
    ? null
    : await startEmbeddedPostgres({ dataDir: config.VRS_DATA_DIR, port: config.VRS_EMBEDDED_PG_PORT, log, settings });
  const ownerUrl = config.DATABASE_URL ?? embedded!.url;
  // Small: migrations, role set-up and rebuilds, one or two at a time.
  const ownerPool = new pg.Pool({ connectionString: ownerUrl, max: 4 });
  ownerPool.on('error', (e) => log(`database pool (owner): ${e.message}`));
  const closeAll = async (pools: pg.Pool[]) => {
    for (const p of pools) await p.end().catch(() => {});
    await embedded?.stop();
  };
  try {
    let app: { role: string; url: string } | null = config.VRS_APP_DATABASE_URL
      ? { role: urlUser(config.VRS_APP_DATABASE_URL), url: config.VRS_APP_DATABASE_URL }
      : null;
    if (!app) {
      const ownerPassword = decodeURIComponent(new URL(ownerUrl).password);
      const secret = ownerPassword || (await secretFile(config.VRS_DATA_DIR, 'app-role.secret'));
      app = await ensureAppRole(ownerPool, ownerUrl, secret);
      if (!app) log('DATABASE_URL may not create roles and VRS_APP_DATABASE_URL is unset: the server runs as the owner');
    }
    const url = app?.url ?? ownerUrl;
    const pool = app ? new pg.Pool({ connectionString: url, max: 20 }) : ownerPool;
    if (app) pool.on('error', (e) => log(`database pool: ${e.message}`));
    return {
      url,
      pool,
      owner: { url: ownerUrl, pool: ownerPool },
      appRole: app?.role ?? null,
      embedded: !!embedded,
      close: () => closeAll(pool === ownerPool ? [pool] : [pool, ownerPool]),
    };
  } catch (e) {
    await closeAll([ownerPool]);
    throw e;
  }
};
