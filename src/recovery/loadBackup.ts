import { createReadStream } from 'node:fs';
import { copyFile, mkdir, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Transform } from 'node:stream';
import type pg from 'pg';
import copyStreams from 'pg-copy-streams';
import { withTransaction } from '../eventstore/transaction.js';
import { BACKUP_TABLES } from './backupTables.js';
import { RestoreTargetNotEmptyError } from './errors.js';
import type { Manifest } from './manifest.js';

/** Restore writes only where nothing is: every table it loads is empty, and so is the scan image folder. */
export const checkTargetEmpty = async (pool: pg.Pool, dataDir: string) => {
  for (const t of BACKUP_TABLES.filter((x) => !x.replaceOnRestore && !x.legacy)) {
    const { rows } = await pool.query<{ present: boolean }>('SELECT to_regclass($1) IS NOT NULL AS present', [t.name]);
    if (!rows[0].present) continue;
    // Table names from BACKUP_TABLES (code).
    const { rows: any } = await pool.query<{ some: boolean }>(`SELECT EXISTS (SELECT 1 FROM ${t.name}) AS some`);
    if (any[0].some) throw new RestoreTargetNotEmptyError(`table ${t.name}`);
  }
  if ((await readdir(join(dataDir, 'scans')).catch(() => [] as string[])).length > 0) throw new RestoreTargetNotEmptyError(`${join(dataDir, 'scans')}`);
};

/**
 * Loads a verified backup in one transaction (all of it or nothing), moves each identity sequence past the
 * restored rows, then puts the scan images in place. Read models are rebuilt afterwards by the caller.
 */
export const loadBackup = async (args: { pool: pg.Pool; dir: string; dataDir: string; manifest: Manifest; onBytes?: (n: number) => void }) => {
  await withTransaction(args.pool, async (tx) => {
    for (const t of BACKUP_TABLES.filter((x) => !x.legacy)) {
      if (!args.manifest.tables.some((x) => x.name === t.name)) continue;
      if (t.replaceOnRestore) await tx.query(`DELETE FROM ${t.name}`);
      const tap = new Transform({
        transform(chunk: Buffer, _e, done) {
          args.onBytes?.(chunk.length);
          done(null, chunk);
        },
      });
      await pipeline(createReadStream(join(args.dir, t.file)), tap, tx.query(copyStreams.from(`COPY ${t.name} (${t.columns.join(', ')}) FROM STDIN`)));
      if (t.identity) {
        await tx.query(
          `SELECT setval(pg_get_serial_sequence($1, $2), coalesce((SELECT max(${t.identity}) FROM ${t.name}), 0) + 1, false)`,
          [t.name, t.identity],
        );
      }
    }
  });
  for (const f of args.manifest.files.filter((x) => x.path.startsWith('scans/'))) {
    const [, sub, name] = f.path.split('/');
    await mkdir(join(args.dataDir, 'scans', sub), { recursive: true, mode: 0o700 });
    await copyFile(join(args.dir, f.path), join(args.dataDir, 'scans', sub, name));
  }
};
