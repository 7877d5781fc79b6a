import { appendFile, chmod, cp, mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import pg from 'pg';
import { RestoreTargetNotEmptyError } from './errors.js';
import { postgresUser } from './pgBinaries.js';
import { clusterLog, startCluster, stopCluster } from './runningCluster.js';
import { restoreCommand } from './walArchive.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Point-in-time recovery, PostgreSQL's own: the base backup is put in place as `<dataDir>/pg`, then the server
 * replays archived WAL up to `recovery_target_time` and stops before the first transaction that committed after
 * it (each committed before or at it is kept), then is promoted and shut down cleanly. The caller has already
 * verified the backup's files against its manifest.
 */
export const restoreToTime = async (args: { backupDir: string; dataDir: string; archiveDir: string; until: string; connect: () => Promise<string> }) => {
  const target = join(args.dataDir, 'pg');
  if ((await readdir(target).catch(() => [] as string[])).length > 0) throw new RestoreTargetNotEmptyError(target);
  await mkdir(args.dataDir, { recursive: true });
  // The PostgreSQL OS user passes through (not lists) the data folder to reach its cluster.
  if (await postgresUser()) await chmod(args.dataDir, 0o711);
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
  await startCluster(target);
  try {
    // pg_ctl returns once connections are accepted, which a hot standby does mid-recovery: wait for the promotion.
    const client = new pg.Client({ connectionString: await args.connect() });
    await client.connect();
    try {
      for (let i = 0; ; i++) {
        const { rows } = await client.query<{ r: boolean }>('SELECT pg_is_in_recovery() AS r');
        if (!rows[0].r) break;
        if (i > 6000) throw new Error('recovery did not finish in 10 minutes');
        await sleep(100);
      }
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
};
