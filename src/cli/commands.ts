import type { ParseArgsConfig } from 'node:util';
import type { Config } from '../runtime/config.js';
import { serve } from './serve.js';
import { projectCommand } from './project.js';
import { tokenCommand } from './token.js';
import { verifyCommand } from './verify.js';
import { exportOpendataCommand } from './exportOpendata.js';
import { rebuildCommand } from './rebuild.js';
import { scanCommand } from './scan.js';
import { importCommand } from './import.js';
import { exportCommand } from './export.js';
import { keysCommand } from './keys.js';
import { auditCommand } from './audit.js';
import { certificateCommand } from './certificate.js';
import { couponsCommand } from './coupons.js';
import { userCommand } from './user.js';
import { backupCommand } from './backup.js';
import { restoreCommand } from './restore.js';
import { promoteCommand, standbyCommand } from './standby.js';

export type CommandArgs = { config: Config; values: Record<string, string | boolean | undefined>; positionals: string[] };
export type Command = {
  summary: string;
  options?: ParseArgsConfig['options'];
  run: (args: CommandArgs) => Promise<number | void>;
};

/** The `vrs` commands (`npm run vrs -- <command>`). Each capability adds its own here. */
export const commands: Record<string, Command> = {
  serve: { summary: 'start the HTTP API (embedded PostgreSQL unless DATABASE_URL)', run: async ({ config }) => void (await serve(config)) },
  project: projectCommand,
  token: tokenCommand,
  verify: verifyCommand,
  scan: scanCommand,
  import: importCommand,
  export: exportCommand,
  'export-opendata': exportOpendataCommand,
  rebuild: rebuildCommand,
  keys: keysCommand,
  audit: auditCommand,
  certificate: certificateCommand,
  coupons: couponsCommand,
  user: userCommand,
  backup: backupCommand,
  restore: restoreCommand,
  standby: standbyCommand,
  promote: promoteCommand,
};
