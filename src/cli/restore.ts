import { access } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Config } from '../config/config.js';
import { migrate } from '../eventstore/postgres/migrate.js';
import { loadKeys } from '../personal/keys.js';
import { projectionsService } from '../projections/projectionsService.js';
import { BackupRefusedError, RestoreKeyMismatchError, RestoreTargetNotEmptyError } from '../recovery/errors.js';
import { keyCheck } from '../recovery/keyCheck.js';
import { checkTargetEmpty, loadBackup } from '../recovery/loadBackup.js';
import { verifyBackup } from '../recovery/verifyBackup.js';
import { scanMigrations } from '../scans/migrations.js';
import type { Command } from './commands.js';
import { usageError } from './options.js';
import { byteProgress } from './progressBar.js';
import { openRuntime } from './runtime.js';

const usage = 'vrs restore DIR [--until TIME]';

const present = (path: string) =>
  access(path).then(
    () => true,
    () => false,
  );

/** The original keys must be given: a fresh key would make every wrapped data key unreadable. */
const originalKeysGiven = async (config: Config) =>
  (config.VRS_MASTER_KEY !== undefined || (await present(join(config.VRS_DATA_DIR, 'keys', 'master.key')))) &&
  (config.VRS_HMAC_KEY !== undefined || (await present(join(config.VRS_DATA_DIR, 'keys', 'hmac.key'))));

/** Logical restore: verify everything, then load into an empty database, then rebuild the read models. */
export const restoreLogical = async (config: Config, dir: string): Promise<number> => {
  const verifying = byteProgress('verify');
  let verified: Awaited<ReturnType<typeof verifyBackup>>;
  try {
    verified = await verifyBackup(dir, verifying.update);
  } catch (e) {
    verifying.done();
    if (e instanceof BackupRefusedError) {
      console.error(e.message);
      return 1;
    }
    throw e;
  }
  verifying.done();
  process.stderr.write(`verified: ${verified.events} events in ${verified.streams} streams, every file and hash chain intact\n`);
  if (!(await originalKeysGiven(config))) {
    console.error(new RestoreKeyMismatchError().message);
    return 1;
  }
  if (keyCheck(await loadKeys(config)) !== verified.manifest.keyCheck) {
    console.error(new RestoreKeyMismatchError().message);
    return 1;
  }
  const runtime = await openRuntime(config);
  try {
    if (verified.manifest.tables.some((t) => t.name === 'scan_status')) await migrate(runtime.pool, 'scans', scanMigrations);
    try {
      await checkTargetEmpty(runtime.pool, config.VRS_DATA_DIR);
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
      pool: runtime.pool,
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

export const restoreCommand: Command = {
  summary: 'restore a backup into an empty database (verified first); --until TIME: point-in-time from WAL archive',
  options: { until: { type: 'string' } },
  run: async ({ config, values, positionals }) => {
    if (positionals.length !== 1) return usageError(['DIR: one backup folder is required'], usage);
    const dir = resolve(positionals[0]);
    if (values.until !== undefined) return usageError(['--until: point-in-time restore is not available in this build'], usage);
    return restoreLogical(config, dir);
  },
};
