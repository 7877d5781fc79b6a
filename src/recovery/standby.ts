import { createHash } from 'node:crypto';
import { appendFile, chmod, mkdir, readdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import pg from 'pg';
import { keepEmbeddedPassword } from '../eventstore/embedded.js';
import { takeBaseBackup } from './baseBackup.js';
import { RestoreTargetNotEmptyError } from './errors.js';
import { pgCtl, postgresUser } from '../runtime/pgBinaries.js';
import { postmasterOf, startCluster } from './runningCluster.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The name a standby goes by: its replication slot and `application_name` (what synchronous_standby_names lists). */
export const standbyName = (dataDir: string) => `vrs_standby_${createHash('sha256').update(resolve(dataDir)).digest('hex').slice(0, 12)}`;

/** A libpq connection string value, quoted. */
const conninfoValue = (v: string) => `'${v.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
/** A postgresql.conf string value, quoted. */
const confValue = (v: string) => `'${v.replace(/'/g, "''")}'`;

/**
 * Makes a streaming replica of the primary at `primaryUrl` in `<dataDir>/pg` and starts it:
 * a physical replication slot on the primary (so it keeps the WAL the standby has not received yet, from the
 * backup's start on), a base backup through the low-level API, `standby.signal`, `primary_conninfo` naming the
 * standby (for synchronous_standby_names) and the slot, then PostgreSQL started detached. Returns when the
 * standby streams from the primary. The standby's superuser is the primary's (a physical copy, read-only until
 * promoted): when the primary is reached as `postgres`, its password becomes the standby folder's
 * `keys/postgres.password` (0600), so a vrs started on the promoted standby can connect.
 */
export const makeStandby = async (args: { primaryUrl: string; dataDir: string; port?: number; onBytes?: (n: number) => void }) => {
  const dataDir = resolve(args.dataDir);
  const target = join(dataDir, 'pg');
  if ((await readdir(target).catch(() => [] as string[])).length > 0) throw new RestoreTargetNotEmptyError(target);
  await mkdir(dataDir, { recursive: true });
  if (await postgresUser()) await chmod(dataDir, 0o711);
  const name = standbyName(dataDir);
  const primary = new pg.Client({ connectionString: args.primaryUrl });
  await primary.connect();
  try {
    await primary.query(
      `SELECT pg_create_physical_replication_slot($1, true) WHERE NOT EXISTS (SELECT 1 FROM pg_replication_slots WHERE slot_name = $1)`,
      [name],
    );
  } finally {
    await primary.end();
  }
  const backup = await takeBaseBackup({ url: args.primaryUrl, target, label: `vrs standby ${name}`, onBytes: args.onBytes });
  const u = new URL(args.primaryUrl);
  if (u.password && decodeURIComponent(u.username) === 'postgres') await keepEmbeddedPassword(dataDir, decodeURIComponent(u.password));
  const conninfo = [
    `host=${conninfoValue(u.hostname)}`,
    `port=${conninfoValue(u.port || '5432')}`,
    `user=${conninfoValue(decodeURIComponent(u.username))}`,
    ...(u.password ? [`password=${conninfoValue(decodeURIComponent(u.password))}`] : []),
    `application_name=${conninfoValue(name)}`,
  ].join(' ');
  await writeFile(join(target, 'standby.signal'), '', { mode: 0o600 });
  await appendFile(
    join(target, 'postgresql.auto.conf'),
    ['# vrs standby', `primary_conninfo = ${confValue(conninfo)}`, `primary_slot_name = ${confValue(name)}`, `hot_standby = on`, ''].join('\n'),
  );
  await chmod(join(target, 'postgresql.auto.conf'), 0o600);
  const port = await startCluster(target, { port: args.port });
  return { name, port, pgDir: target, bytes: backup.bytes };
};

/** Waits until the standby on `url` streams from its primary (pg_stat_wal_receiver). */
export const waitStreaming = async (url: string, timeoutMs = 60_000) => {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    for (const t0 = Date.now(); ; ) {
      const { rows } = await c.query<{ status: string | null }>('SELECT status FROM pg_stat_wal_receiver');
      if (rows[0]?.status === 'streaming') return;
      if (Date.now() - t0 > timeoutMs) throw new Error(`the standby is not streaming from its primary after ${timeoutMs / 1000} s (status ${rows[0]?.status ?? 'none'})`);
      await sleep(100);
    }
  } finally {
    await c.end();
  }
};

/** `pg_ctl promote`: the standby stops following and becomes a primary (a new timeline) once it has replayed what it has. */
export const promoteStandby = async (dataDir: string) => {
  const pgDir = join(resolve(dataDir), 'pg');
  if (!(await postmasterOf(pgDir))) throw new Error(`no PostgreSQL is running on ${pgDir}`);
  await pgCtl(['promote', '-D', pgDir, '-w', '-t', '120']);
};
