import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import { keysDirOf, type Config } from '../runtime/config.js';
import { verifyChains } from '../eventstore/verifyChains.js';
import { restoreToTime } from '../recovery/pointInTime.js';
import { readKek } from '../personal/kekFiles.js';
import { projectionsService } from '../projections/projectionsService.js';
import { BackupRefusedError, RestoreKeyMismatchError, RestoreTargetNotEmptyError } from '../recovery/errors.js';
import { keyCheck } from '../recovery/keyCheck.js';
import { checkTargetEmpty, loadBackup } from '../recovery/loadBackup.js';
import { verifyBackup } from '../recovery/verifyBackup.js';
import type { Command } from './commands.js';
import { usageError } from './options.js';
import { byteProgress } from './progressBar.js';
import { openRuntime } from '../runtime/openRuntime.js';

const usage = 'vrs restore DIR [--until TIME]';

/**
 * The keys the backup was made with, from configuration or the keys folder, never made up: a fresh key would
 * leave every wrapped data key unreadable. Null when one is missing.
 */
const originalKeys = async (config: Config, epoch: number): Promise<{ kek: Buffer; hmac: Buffer } | null> => {
  const dir = keysDirOf(config);
  const kek = epoch === 0 && config.VRS_MASTER_KEY ? Buffer.from(config.VRS_MASTER_KEY, 'hex') : await readKek(dir, epoch);
  const hmacHex = config.VRS_HMAC_KEY ?? (await readFile(join(dir, 'hmac.key'), 'utf8').catch(() => null))?.trim();
  if (!kek || !hmacHex || !/^[0-9a-fA-F]{64}$/.test(hmacHex)) return null;
  return { kek, hmac: Buffer.from(hmacHex, 'hex') };
};

const keysMatch = async (config: Config, manifest: { keyEpoch: number; keyCheck: string }) => {
  const keys = await originalKeys(config, manifest.keyEpoch);
  return keys !== null && keyCheck(keys) === manifest.keyCheck;
};

type Verified = Awaited<ReturnType<typeof verifyBackup>>;

/** Verifies the backup (and whatever `check` asks more) with a progress bar; null, the reason said, when it is refused. */
const verifiedOrRefused = async (dir: string, check: (v: Verified) => void = () => {}): Promise<Verified | null> => {
  const verifying = byteProgress('verify');
  try {
    const verified = await verifyBackup(dir, verifying.update);
    check(verified);
    return verified;
  } catch (e) {
    if (e instanceof BackupRefusedError) {
      verifying.done();
      console.error(e.message);
      return null;
    }
    throw e;
  } finally {
    verifying.done();
  }
};

/** Logical restore: verify everything, then load into an empty database, then rebuild the read models. */
export const restoreLogical = async (config: Config, dir: string): Promise<number> => {
  const verified = await verifiedOrRefused(dir);
  if (!verified) return 1;
  process.stderr.write(`verified: ${verified.events} events in ${verified.streams} streams, every file and hash chain intact\n`);
  if (!(await keysMatch(config, verified.manifest))) {
    console.error(new RestoreKeyMismatchError().message);
    return 1;
  }
  const runtime = await openRuntime(config);
  try {
    try {
      await checkTargetEmpty(runtime.owner.pool, config.VRS_DATA_DIR);
    } catch (e) {
      if (e instanceof RestoreTargetNotEmptyError) {
        console.error(e.message);
        return 1;
      }
      throw e;
    }
    const loading = byteProgress('load');
    const total = verified.manifest.files.reduce((s, f) => s + f.bytes, 0);
    let bytes = 0;
    const t0 = Date.now();
    await loadBackup({
      pool: runtime.owner.pool,
      dir,
      dataDir: config.VRS_DATA_DIR,
      manifest: verified.manifest,
      onBytes: (n) => loading.update({ phase: 'copy', bytes: (bytes += n), totalBytes: total }),
    });
    loading.done();
    const service = projectionsService(runtime);
    for (const p of service.projections) {
      const r = await service.rebuild(p.name);
      process.stderr.write(`${p.name}: rebuilt from ${r.events} events\n`);
    }
    console.log(
      `restored: ${verified.events} events in ${verified.streams} streams, ${verified.manifest.images.copied} scan images, ` +
        `read models rebuilt, in ${((Date.now() - t0) / 1000).toFixed(1)} s`,
    );
    return 0;
  } finally {
    await runtime.close();
  }
};

/** An ISO 8601 time with its offset: a time without one would be read in the server's time zone. */
const UntilOption = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:\d{2})$/, 'must be an ISO 8601 time with its offset, e.g. 2026-12-01T10:00:00+09:00')
  .refine((s) => !Number.isNaN(Date.parse(s)), 'is not a real time');

/** Point-in-time: the base backup, then archived WAL replayed up to the time; verified and keys checked first. */
const restorePointInTime = async (config: Config, dir: string, until: string): Promise<number> => {
  const verified = await verifiedOrRefused(dir, (v) => {
    if (!v.manifest.base) throw new BackupRefusedError('base', 'this backup holds no base backup (it was made without VRS_WAL_ARCHIVE): restore it without --until');
  });
  if (!verified) return 1;
  if (!(await keysMatch(config, verified.manifest))) {
    console.error(new RestoreKeyMismatchError().message);
    return 1;
  }
  const t0 = Date.now();
  try {
    await restoreToTime({
      backupDir: dir,
      dataDir: resolve(config.VRS_DATA_DIR),
      archiveDir: config.VRS_WAL_ARCHIVE!,
      until,
    });
  } catch (e) {
    if (e instanceof RestoreTargetNotEmptyError) {
      console.error(e.message);
      return 1;
    }
    throw e;
  }
  const runtime = await openRuntime(config);
  try {
    const report = await verifyChains(runtime.store);
    const head = await runtime.store.head();
    console.log(
      `restored to ${until}: ${report.events} events in ${report.streams} streams (last position ${head?.position ?? 0}), ` +
        `${report.breaks.length === 0 ? 'every hash chain intact' : `${report.breaks.length} chain break(s)`}, in ${((Date.now() - t0) / 1000).toFixed(1)} s`,
    );
    return report.breaks.length === 0 ? 0 : 1;
  } finally {
    await runtime.close();
  }
};

export const restoreCommand: Command = {
  summary: 'restore a backup into an empty database (verified first); --until TIME: point-in-time from WAL archive',
  options: { until: { type: 'string' } },
  run: async ({ config, values, positionals }) => {
    if (positionals.length !== 1) return usageError(['DIR: one backup folder is required'], usage);
    const dir = resolve(positionals[0]);
    if (values.until === undefined) return restoreLogical(config, dir);
    const until = UntilOption.safeParse(values.until);
    if (!until.success) return usageError([`--until: ${until.error.issues[0].message}`], usage);
    if (!config.VRS_WAL_ARCHIVE) return usageError(['--until: needs VRS_WAL_ARCHIVE, the folder the WAL was archived to'], usage);
    if (config.DATABASE_URL) return usageError(['--until: restores the embedded PostgreSQL cluster; unset DATABASE_URL (an external server recovers with its own tools)'], usage);
    return restorePointInTime(config, dir, until.data);
  },
};
