import { z } from 'zod';

const port = z.coerce.number().int().min(0).max(65535);

/** Every setting the program reads, validated once at start. A bad value stops start-up naming the variable. */
export const configSchema = z.object({
  PORT: port.default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  VRS_DATA_DIR: z.string().min(1).default('./data'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL')
    .optional(),
  /** The server's own least-privileged role; unset → made by the runtime when DATABASE_URL (the owner) may create roles. */
  VRS_APP_DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL')
    .optional(),
  /** Port of the embedded PostgreSQL; unset → a free port. */
  VRS_EMBEDDED_PG_PORT: port.optional(),
  EVENTSTORE_URL: z
    .string()
    .regex(/^(kurrentdb|esdb|kdb)(\+discover)?:\/\//, 'must be a kurrentdb:// or esdb:// connection string')
    .optional(),
  VRS_MASTER_KEY: z
    .string()
    .regex(/^[0-9a-fA-F]{64}$/, 'must be 64 hex characters (a 256-bit key)')
    .optional(),
  VRS_HMAC_KEY: z
    .string()
    .regex(/^[0-9a-fA-F]{64}$/, 'must be 64 hex characters (a 256-bit key)')
    .optional(),
  VRS_JWT_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  VRS_IMPORT_MAX_BYTES: z.coerce.number().int().positive().default(512 * 1024 * 1024),
  VRS_IMPORT_MAX_ROWS: z.coerce.number().int().positive().default(2_000_000),
  VRS_SCAN_MAX_BYTES: z.coerce.number().int().positive().default(10 * 1024 * 1024),
  VRS_SCAN_RETENTION_DAYS: z.coerce.number().int().positive().default(90),
  VRS_PROJECTIONS: z.enum(['on', 'off']).default('on'),
});

export type Config = z.infer<typeof configSchema>;

export class ConfigError extends Error {
  readonly code = 'CONFIG_INVALID';
}

/** Reads the environment; empty strings count as unset. */
export const loadConfig = (env: NodeJS.ProcessEnv = process.env): Config => {
  const input = Object.fromEntries(
    Object.keys(configSchema.shape).flatMap((k) => (env[k] === undefined || env[k] === '' ? [] : [[k, env[k]]])),
  );
  const parsed = configSchema.safeParse(input);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`invalid configuration:\n${lines.join('\n')}`);
  }
  return parsed.data;
};
