import { join, resolve } from 'node:path';
import { startEmbeddedPostgres } from '../eventstore/embedded.js';
import { RestoreTargetNotEmptyError } from '../recovery/errors.js';
import { postmasterOf } from '../recovery/runningCluster.js';
import { makeStandby, promoteStandby, waitStreaming } from '../recovery/standby.js';
import type { Command } from './commands.js';
import { usageError } from './options.js';
import { byteProgress } from './progressBar.js';

const standbyUsage = 'vrs standby --primary <url|data-dir> --data DIR [--port N]';

/**
 * The primary's connection: a postgres:// URL as given (its user needs REPLICATION, and the low-level backup
 * functions, i.e. a superuser or grants), or the data folder of a running embedded PostgreSQL, whose
 * connection the embedded start-up reports for a cluster already running there.
 */
const primaryUrl = async (primary: string): Promise<string | null> => {
  if (/^postgres(ql)?:\/\//.test(primary)) return primary;
  if (!(await postmasterOf(join(resolve(primary), 'pg')))) return null;
  return (await startEmbeddedPostgres({ dataDir: primary })).url;
};

export const standbyCommand: Command = {
  summary: 'make a streaming replica of a primary (URL or data folder) in DIR and start it',
  options: { primary: { type: 'string' }, data: { type: 'string' }, port: { type: 'string' } },
  run: async ({ values }) => {
    const problems = [
      ...(typeof values.primary === 'string' ? [] : ['--primary: the primary is required (a postgres:// URL or the data folder of a running vrs)']),
      ...(typeof values.data === 'string' ? [] : ['--data: the standby’s data folder is required']),
      ...(values.port === undefined || /^[1-9]\d{0,4}$/.test(String(values.port)) ? [] : ['--port: must be a port number']),
    ];
    if (problems.length > 0) return usageError(problems, standbyUsage);
    const url = await primaryUrl(String(values.primary));
    if (!url) {
      console.error(`--primary: no PostgreSQL is running on ${resolve(String(values.primary))}; start its vrs first, or give a postgres:// URL`);
      return 1;
    }
    const progress = byteProgress('base backup');
    let bytes = 0;
    try {
      const s = await makeStandby({
        primaryUrl: url,
        dataDir: String(values.data),
        port: values.port ? Number(values.port) : undefined,
        onBytes: (n) => progress.update({ phase: 'copy', bytes: (bytes += n), totalBytes: bytes }),
      });
      progress.done();
      await waitStreaming((await startEmbeddedPostgres({ dataDir: String(values.data) })).url);
      console.log(
        `standby ${s.name} streaming on port ${s.port} from ${new URL(url).host} (${(s.bytes / 1e6).toFixed(1)} MB copied), data in ${s.pgDir}; ` +
          `it is synchronous when the primary runs with VRS_SYNC_STANDBY=on; promote with: vrs promote --data ${resolve(String(values.data))}`,
      );
      return 0;
    } catch (e) {
      progress.done();
      if (e instanceof RestoreTargetNotEmptyError) {
        console.error(e.message);
        return 1;
      }
      throw e;
    }
  },
};

export const promoteCommand: Command = {
  summary: 'promote the standby in DIR to a primary (after the primary is lost)',
  options: { data: { type: 'string' } },
  run: async ({ values }) => {
    if (typeof values.data !== 'string') return usageError(['--data: the standby’s data folder is required'], 'vrs promote --data DIR');
    const t0 = Date.now();
    await promoteStandby(values.data);
    console.log(`promoted ${join(resolve(values.data), 'pg')} in ${((Date.now() - t0) / 1000).toFixed(1)} s: start vrs on it with VRS_DATA_DIR=${resolve(values.data)}`);
    return 0;
  },
};
