import { resolve } from 'node:path';
import { backup } from '../recovery/backup.js';
import type { Command } from './commands.js';
import { usageError } from './options.js';
import { byteProgress } from './progressBar.js';
import { openRuntime } from '../runtime/openRuntime.js';

const usage = 'vrs backup DIR';

export const backupCommand: Command = {
  summary: 'write a verified, consistent backup (events, wrapped data keys, access log, scan images) into DIR',
  run: async ({ config, positionals }) => {
    if (positionals.length !== 1) return usageError(['DIR: one backup folder is required'], usage);
    const dir = resolve(positionals[0]);
    const runtime = await openRuntime(config);
    const progress = byteProgress('backup');
    try {
      const kek = await runtime.kekRing.current();
      const keys = { kek: kek.key, epoch: kek.epoch, hmac: runtime.keys.hmac };
      const r = await backup({ pool: runtime.owner.pool, dataDir: config.VRS_DATA_DIR, dir, keys, onProgress: progress.update, baseBackupUrl: config.VRS_WAL_ARCHIVE ? runtime.owner.url : undefined });
      progress.done();
      const m = r.manifest;
      console.log(
        `backup: ${m.chains.events} events in ${m.chains.streams} streams (last position ${m.chains.lastPosition}), ` +
          `${m.images.copied} scan images${m.images.expired ? ` (${m.images.expired} past retention)` : ''}, ` +
          `${m.base ? 'a base backup for point-in-time restore, ' : ''}${(r.bytes / 1e6).toFixed(1)} MB in ${r.seconds.toFixed(1)} s → ${dir}`,
      );
      return 0;
    } finally {
      progress.done();
      await runtime.close();
    }
  },
};
