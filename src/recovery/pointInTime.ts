import { appendFile, chmod, cp, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { embeddedPassword } from '../eventstore/embedded.js';
import { RestoreTargetNotEmptyError } from './errors.js';
import { handToPostgres, postgresUser } from '../runtime/pgBinaries.js';
import { clusterLog, startCluster, stopCluster } from './runningCluster.js';
import { restoreCommand } from '../runtime/walArchive.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Point-in-time recovery, PostgreSQL's own: the base backup is put in place as `<dataDir>/pg`, then the server
 * replays archived WAL up to `recovery_target_time` and stops before the first transaction that committed after
 * it (each committed before or at it is kept), then is promoted and shut down cleanly. The caller has already
 * verified the backup's files against its manifest.
 *
 * The cluster comes back with the source's superuser password (a hash we cannot read, whose key file stays with
 * the source). While it recovers it listens on no TCP port, only on a Unix socket in a fresh 0700 folder with a
 * pg_hba that lets the superuser in over that socket alone (reaching it takes the same OS user as reading the
 * cluster's files); once promoted, the superuser gets this data folder's generated password
 * (`keys/postgres.password`, 0600), so the source's is no longer valid there and no default one ever is.
 */
export const restoreToTime = async (args: { backupDir: string; dataDir: string; archiveDir: string; until: string }) => {
  const target = join(args.dataDir, 'pg');
  if ((await readdir(target).catch(() => [] as string[])).length > 0) throw new RestoreTargetNotEmptyError(target);
  await mkdir(args.dataDir, { recursive: true });
  // The PostgreSQL OS user passes through (not lists) the data folder to reach its cluster.
  if (await postgresUser()) await chmod(args.dataDir, 0o711);
  const password = await embeddedPassword(args.dataDir);
  await cp(join(args.backupDir, 'base'), target, { recursive: true });
  await chmod(target, 0o700);
  await writeFile(join(target, 'recovery.signal'), '', { mode: 0o600 });
  const quote = (s: string) => `'${s.replace(/'/g, "''")}'`;
  await appendFile(
    join(target, 'postgresql.auto.conf'),
    [
      '# vrs restore --until: point-in-time recovery from the WAL archive',
      `restore_command = ${quote(restoreCommand(args.archiveDir))}`,
      `recovery_target_time = ${quote(args.until)}`,
      `recovery_target_action = 'promote'`,
      '',
    ].join('\n'),
  );
  // A short path: a socket's path is limited to about 100 bytes.
  const socketDir = await mkdtemp(join(tmpdir(), 'vrs-restore-'));
  try {
    const hba = join(socketDir, 'pg_hba.conf');
    await writeFile(hba, 'local all postgres trust\n', { mode: 0o600 });
    await handToPostgres(socketDir);
    // Shell words (pg_ctl -o runs through /bin/sh): the folder is ours, made by mkdtemp, without quotes in it.
    const port = await startCluster(target, {
      settings: { listen_addresses: "''", unix_socket_directories: `'${socketDir}'`, hba_file: `'${hba}'` },
    });
    try {
      // pg_ctl returns once connections are accepted, which a hot standby does mid-recovery: wait for the promotion.
      const client = new pg.Client({ host: socketDir, port, user: 'postgres', database: 'postgres' });
      await client.connect();
      try {
        for (let i = 0; ; i++) {
          const { rows } = await client.query<{ r: boolean }>('SELECT pg_is_in_recovery() AS r');
          if (!rows[0].r) break;
          if (i > 6000) throw new Error('recovery did not finish in 10 minutes');
          await sleep(100);
        }
        // The source may have had a synchronous standby: this commit must not wait for one.
        await client.query('SET synchronous_commit = local');
        await client.query(`ALTER ROLE postgres PASSWORD ${client.escapeLiteral(password)}`);
      } finally {
        await client.end().catch(() => {});
      }
    } catch (e) {
      const log = await readFile(clusterLog(target), 'utf8').catch(() => '');
      const why = /FATAL:.*$/m.exec(log)?.[0];
      throw new Error(`point-in-time recovery failed${why ? `: ${why}` : `: ${(e as Error).message}`}`);
    } finally {
      await stopCluster(target).catch(() => {});
    }
  } finally {
    await rm(socketDir, { recursive: true, force: true });
  }
};
