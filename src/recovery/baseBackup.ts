import { createHash } from 'node:crypto';
import { mkdir, open, writeFile, chmod } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import pg from 'pg';
import { hashFile } from './hashingCopy.js';

export type BaseBackupFile = { path: string; bytes: number; sha256: string };
export type BaseBackupResult = { files: BaseBackupFile[]; bytes: number; startLsn: string; stopLsn: string };

/**
 * Left out of a base backup, as PostgreSQL's documentation says (and pg_basebackup does): the server's own
 * runtime files, WAL (replayed from the archive or streamed from the primary instead), and temporary files.
 */
const EMPTY_DIRS = ['pg_wal', 'pg_replslot', 'pg_dynshmem', 'pg_notify', 'pg_serial', 'pg_snapshots', 'pg_stat_tmp', 'pg_subtrans'];
const SKIP_FILES = new Set(['postmaster.pid', 'postmaster.opts', 'backup_label', 'tablespace_map', 'standby.signal', 'recovery.signal', 'current_logfiles', 'backup_manifest']);
const skipped = (path: string) => {
  const top = path.split('/')[0];
  const name = path.split('/').pop()!;
  return (EMPTY_DIRS.includes(top) && path !== top) || SKIP_FILES.has(path) || name === 'pg_internal.init' || name.startsWith('pgsql_tmp') || top === 'log';
};

const CHUNK = 8 * 1024 * 1024;
const SMALL = 1024 * 1024;

const appendChunks = async (file: string, chunks: Buffer[]) => {
  await mkdir(dirname(file), { recursive: true, mode: 0o700 });
  const fh = await open(file, 'a', 0o600);
  try {
    for (const b of chunks) await fh.write(b);
  } finally {
    await fh.close();
  }
};

/**
 * A physical copy of a running cluster through PostgreSQL's low-level backup API, over an ordinary SQL
 * connection (the embedded binaries ship no pg_basebackup): `pg_backup_start`, every file of the data folder
 * read with `pg_read_binary_file` in chunks, `pg_backup_stop`, whose label becomes `backup_label`. Needs a
 * superuser (or a role granted those functions). Files that change during the copy are made whole again by WAL
 * replay from the start point in the label, as with any base backup.
 */
export const takeBaseBackup = async (args: { url: string; target: string; label: string; onBytes?: (n: number) => void }): Promise<BaseBackupResult> => {
  const client = new pg.Client({ connectionString: args.url });
  await client.connect();
  const files: BaseBackupFile[] = [];
  let bytes = 0;
  try {
    const { rows: start } = await client.query<{ lsn: string }>('SELECT pg_backup_start($1, true)::text AS lsn', [args.label]);
    try {
      const { rows: entries } = await client.query<{ path: string; isdir: boolean; size: string }>(`
        WITH RECURSIVE tree(path, isdir, size) AS (
          SELECT n, s.isdir, s.size FROM pg_ls_dir('.', true, false) AS n, LATERAL pg_stat_file(n, true) AS s
          UNION ALL
          SELECT t.path || '/' || n, s.isdir, s.size
          FROM tree t, LATERAL pg_ls_dir(t.path, true, false) AS n, LATERAL pg_stat_file(t.path || '/' || n, true) AS s
          WHERE t.isdir
        )
        SELECT path, coalesce(isdir, false) AS isdir, coalesce(size, 0)::text AS size FROM tree ORDER BY path`);
      await mkdir(args.target, { recursive: true, mode: 0o700 });
      await chmod(args.target, 0o700);
      const save = async (path: string, chunks: Buffer[]) => {
        const to = join(args.target, path);
        await mkdir(dirname(to), { recursive: true, mode: 0o700 });
        const hash = createHash('sha256');
        const fh = await open(to, 'w', 0o600);
        let size = 0;
        try {
          for (const b of chunks) {
            await fh.write(b);
            hash.update(b);
            size += b.length;
          }
        } finally {
          await fh.close();
        }
        files.push({ path, bytes: size, sha256: hash.digest('hex') });
        bytes += size;
        args.onBytes?.(size);
      };
      const regular = entries.filter((e) => !skipped(e.path));
      for (const e of regular.filter((x) => x.isdir)) await mkdir(join(args.target, e.path), { recursive: true, mode: 0o700 });
      // Small files (most of a cluster: catalogue relations, maps) many to a query; large ones in chunks.
      const small = regular.filter((x) => !x.isdir && Number(x.size) <= SMALL);
      for (let i = 0; i < small.length; ) {
        const batch: string[] = [];
        let batchBytes = 0;
        while (i < small.length && (batch.length === 0 || batchBytes + Number(small[i].size) <= CHUNK)) {
          batch.push(small[i].path);
          batchBytes += Number(small[i++].size);
        }
        // A file removed meanwhile (a dropped table) reads as NULL: WAL replay removes it too.
        const { rows } = await client.query<{ path: string; b: Buffer | null }>(
          'SELECT p AS path, pg_read_binary_file(p, true) AS b FROM unnest($1::text[]) AS p',
          [batch],
        );
        for (const r of rows) if (r.b !== null) await save(r.path, [r.b]);
      }
      for (const e of regular.filter((x) => !x.isdir && Number(x.size) > SMALL)) {
        const chunks: Buffer[] = [];
        for (let offset = 0; ; ) {
          const { rows } = await client.query<{ b: Buffer | null }>('SELECT pg_read_binary_file($1, $2, $3, true) AS b', [e.path, offset, CHUNK]);
          const b = rows[0].b;
          if (!b || b.length === 0) break;
          chunks.push(b);
          offset += b.length;
          if (b.length < CHUNK) break;
          if (chunks.length >= 4) {
            // Keep memory bounded: write what we have (append) and go on.
            await appendChunks(join(args.target, e.path), chunks.splice(0));
          }
        }
        await appendChunks(join(args.target, e.path), chunks);
        const h = await hashFile(join(args.target, e.path));
        files.push({ path: e.path, bytes: h.bytes, sha256: h.sha256 });
        bytes += h.bytes;
        args.onBytes?.(h.bytes);
      }
      for (const d of EMPTY_DIRS) await mkdir(join(args.target, d), { recursive: true, mode: 0o700 });
      await mkdir(join(args.target, 'pg_wal', 'archive_status'), { recursive: true, mode: 0o700 });
      await mkdir(join(args.target, 'pg_wal', 'summaries'), { recursive: true, mode: 0o700 });
    } catch (e) {
      await client.query('SELECT pg_backup_stop(false)').catch(() => {});
      throw e;
    }
    // wait_for_archive: with archiving on, the backup is usable only once its last WAL segment is archived.
    // Bounded: an archive command that keeps failing would otherwise hold this call for ever.
    await client.query(`SET statement_timeout = '5min'`);
    const { rows: stop } = await client.query<{ lsn: string; labelfile: string; spcmapfile: string }>(
      'SELECT lsn::text, labelfile, spcmapfile FROM pg_backup_stop(true)',
    );
    await writeFile(join(args.target, 'backup_label'), stop[0].labelfile, { mode: 0o600 });
    files.push({ path: 'backup_label', bytes: Buffer.byteLength(stop[0].labelfile), sha256: createHash('sha256').update(stop[0].labelfile).digest('hex') });
    if (stop[0].spcmapfile) await writeFile(join(args.target, 'tablespace_map'), stop[0].spcmapfile, { mode: 0o600 });
    return { files, bytes, startLsn: start[0].lsn, stopLsn: stop[0].lsn };
  } finally {
    await client.end().catch(() => {});
  }
};
