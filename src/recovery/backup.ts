import { copyFile, mkdir, readdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type pg from 'pg';
import copyStreams from 'pg-copy-streams';
import { BACKUP_TABLES, CHAINS_FILE, MANIFEST_FILE } from './backupTables.js';
import { hashFile, writeHashed } from './hashingCopy.js';
import { takeBaseBackup } from './baseBackup.js';
import { keyCheck } from './keyCheck.js';
import type { Manifest, ManifestFile } from './manifest.js';

export type BackupProgress = { phase: string; bytes: number; totalBytes: number };
export type BackupResult = { manifest: Manifest; bytes: number; seconds: number };

const isEmptyDir = async (dir: string) => (await readdir(dir).catch(() => [] as string[])).length === 0;

/**
 * `vrs backup DIR`: every table of BACKUP_TABLES (but legacy ones), the head of every chain and the scan images the events name,
 * read in one REPEATABLE READ snapshot so that they agree with one another, streamed with COPY into files whose
 * sizes and SHA-256 go into `manifest.json`, written last (a backup without it is incomplete and refused).
 * The master and HMAC keys are never written: only a fingerprint that tells restore whether it holds the right ones.
 */
export const backup = async (args: {
  pool: pg.Pool;
  dataDir: string;
  dir: string;
  /** The current key epoch's KEK and the HMAC key: only their fingerprint is written. */
  keys: { kek: Buffer; hmac: Buffer; epoch: number };
  onProgress?: (p: BackupProgress) => void;
  /** With WAL archiving: also a physical base backup (low-level API) into `base/`, the start of point-in-time recovery. */
  baseBackupUrl?: string;
}): Promise<BackupResult> => {
  const t0 = process.hrtime.bigint();
  if (!(await isEmptyDir(args.dir))) throw new Error(`backup folder ${args.dir} is not empty: give a new or empty folder`);
  await mkdir(args.dir, { recursive: true, mode: 0o700 });
  const files: ManifestFile[] = [];
  const tables: Manifest['tables'] = [];
  let done = 0;
  const client = await args.pool.connect();
  try {
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    // Sizes for the progress bar, from the same snapshot's catalogue (an estimate: COPY text is not the heap).
    const { rows: sizes } = await client.query<{ total: string }>(
      `SELECT coalesce(sum(pg_table_size(to_regclass(t))), 0)::bigint AS total FROM unnest($1::text[]) AS t`,
      [BACKUP_TABLES.filter((t) => !t.legacy).map((t) => t.name)],
    );
    const totalBytes = Number(sizes[0].total);
    const progress = (phase: string) => (n: number) => {
      done += n;
      args.onProgress?.({ phase, bytes: done, totalBytes: Math.max(totalBytes, done) });
    };
    for (const t of BACKUP_TABLES.filter((x) => !x.legacy)) {
      const { rows } = await client.query<{ present: boolean }>('SELECT to_regclass($1) IS NOT NULL AS present', [t.name]);
      if (!rows[0].present) {
        if (t.optional) continue;
        throw new Error(`table ${t.name} is missing: is this a VRS database?`);
      }
      // Names come from BACKUP_TABLES (code), never from input.
      const sql = `COPY (SELECT ${t.columns.join(', ')} FROM ${t.name} ORDER BY ${t.orderBy}) TO STDOUT`;
      const w = await writeHashed(client.query(copyStreams.to(sql)), join(args.dir, t.file), progress(t.name));
      files.push({ path: t.file, bytes: w.bytes, sha256: w.sha256, rows: w.rows });
      tables.push({ name: t.name, file: t.file, columns: t.columns, rows: w.rows });
    }
    const chainsSql = `COPY (SELECT DISTINCT ON (stream) stream, version, position, encode(hash, 'hex') FROM events ORDER BY stream, version DESC) TO STDOUT`;
    const chains = await writeHashed(client.query(copyStreams.to(chainsSql)), join(args.dir, CHAINS_FILE), progress('chains'));
    files.push({ path: CHAINS_FILE, bytes: chains.bytes, sha256: chains.sha256, rows: chains.rows });
    const { rows: head } = await client.query<{ last: string; n: string }>('SELECT coalesce(max(position), 0)::text AS last, count(*)::text AS n FROM events');

    // Scan images (coupon and lot sticker) named by the events just copied: same snapshot, so none is missing.
    const { rows: r } = await client.query<{ d: string }>(
      `SELECT DISTINCT d FROM events, LATERAL (VALUES (data->>'imageSha256'), (data->>'lotImageSha256')) AS i(d)
        WHERE type = 'CouponScanned' AND d IS NOT NULL ORDER BY 1`,
    );
    const images = r.map((x) => x.d).filter((d) => /^[0-9a-f]{64}$/.test(d));
    await client.query('COMMIT');
    let copied = 0;
    let expired = 0;
    for (const d of images) {
      const rel = `scans/${d.slice(0, 2)}/${d}`;
      const from = join(args.dataDir, 'scans', d.slice(0, 2), d);
      await mkdir(join(args.dir, 'scans', d.slice(0, 2)), { recursive: true, mode: 0o700 });
      try {
        await copyFile(from, join(args.dir, rel));
      } catch (e) {
        // Past VRS_SCAN_RETENTION_DAYS the image is swept on purpose: only its digest remains, in the events.
        if ((e as NodeJS.ErrnoException).code === 'ENOENT') {
          expired++;
          continue;
        }
        throw e;
      }
      const h = await hashFile(join(args.dir, rel), progress('images'));
      if (h.sha256 !== d) throw new Error(`scan image ${d} on disk does not match its digest: the data directory is damaged`);
      files.push({ path: rel, bytes: h.bytes, sha256: h.sha256 });
      copied++;
    }
    let base: Manifest['base'];
    if (args.baseBackupUrl) {
      const b = await takeBaseBackup({ url: args.baseBackupUrl, target: join(args.dir, 'base'), label: `vrs backup ${new Date().toISOString()}`, onBytes: progress('base backup') });
      for (const f of b.files) files.push({ path: `base/${f.path}`, bytes: f.bytes, sha256: f.sha256 });
      base = { startLsn: b.startLsn, stopLsn: b.stopLsn };
    }
    const manifest: Manifest = {
      format: 'vrs-backup/1',
      createdAt: new Date().toISOString(),
      keyCheck: keyCheck(args.keys),
      keyEpoch: args.keys.epoch,
      tables,
      chains: { streams: chains.rows, events: Number(head[0].n), lastPosition: head[0].last },
      images: { listed: images.length, copied, expired },
      files,
      ...(base ? { base } : {}),
    };
    const tmp = join(args.dir, `${MANIFEST_FILE}.tmp`);
    await writeFile(tmp, `${JSON.stringify(manifest, null, 2)}\n`, { mode: 0o600 });
    await rename(tmp, join(args.dir, MANIFEST_FILE));
    const bytes = files.reduce((s, f) => s + f.bytes, 0);
    return { manifest, bytes, seconds: Number(process.hrtime.bigint() - t0) / 1e9 };
  } catch (e) {
    await client.query('ROLLBACK').catch(() => {});
    throw e;
  } finally {
    client.release();
  }
};
