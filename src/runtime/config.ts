import { isAbsolute, join, relative, resolve } from 'node:path';
import { z } from 'zod';

const port = z.coerce.number().int().min(0).max(65535);

const unitSeconds: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400, w: 604_800 };

/** A duration: a positive whole number of s, m, h, d or w (bare: seconds) → seconds. */
export const durationSeconds = z
  .string()
  .regex(/^[1-9]\d{0,8}\s*[smhdw]?$/i, 'must be a positive whole number of s, m, h, d or w (e.g. 90s, 15m, 12h, 7d)')
  .transform((s) => Number.parseInt(s, 10) * unitSeconds[/[smhdw]$/i.exec(s)?.[0].toLowerCase() ?? 's']);

const unitBytes: Record<string, number> = { b: 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 };

/** A size: a whole number of bytes, or of k, m or g (KiB, MiB, GiB; `kb`, `MiB` and the like read the same) → bytes. */
export const byteSize = z
  .string()
  .regex(/^\d{1,12}\s*([bkmg]|[kmg]i?b)?$/i, 'must be a whole number of bytes, or of k, m or g (e.g. 16m, 512k)')
  .transform((s) => Number.parseInt(s, 10) * unitBytes[/[bkmg]/i.exec(s)?.[0].toLowerCase() ?? 'b'])
  .refine((n) => Number.isSafeInteger(n) && n <= 64 * 1024 ** 3, 'must be at most 64g');

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
  /** Key files (HMAC, JWT, and the key-encryption keys of each epoch); unset → VRS_DATA_DIR/keys. */
  VRS_KEYS_DIR: z.string().min(1).optional(),
  /** Hours within which an erasure is made final by a key-epoch rotation (old WAL, archives, backups unreadable). */
  VRS_ERASURE_FINAL_HOURS: z.coerce.number().positive().max(24 * 366).default(24),
  /** The longest lifetime a bearer token may have (exp − iat, and exp − now); longer ones are refused. */
  VRS_TOKEN_MAX_TTL: durationSeconds.default(12 * 3600),
  /**
   * Bounds of the process's caches, by the bytes their entries are estimated to hold (0: no cache). Data keys of
   * recipients (~145 bytes each), heads of streams this process wrote (~240 each), verified bearer tokens (~500).
   */
  VRS_CACHE_DATA_KEYS_BYTES: byteSize.default(16 * 1024 * 1024),
  VRS_CACHE_STREAM_HEADS_BYTES: byteSize.default(2 * 1024 * 1024),
  VRS_CACHE_TOKENS_BYTES: byteSize.default(4 * 1024 * 1024),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  VRS_IMPORT_MAX_BYTES: z.coerce.number().int().positive().default(512 * 1024 * 1024),
  VRS_IMPORT_MAX_ROWS: z.coerce.number().int().positive().default(2_000_000),
  VRS_SCAN_MAX_BYTES: z.coerce.number().int().positive().default(10 * 1024 * 1024),
  VRS_SCAN_RETENTION_DAYS: z.coerce.number().int().positive().default(90),
  VRS_PROJECTIONS: z.enum(['on', 'off']).default('on'),
  /** The transparency log (projection `ledger_log` and its checkpoint signer); off only to measure its cost. */
  VRS_TRANSPARENCY_LOG: z.enum(['on', 'off']).default('on'),
  /** Per caller (token `sub`), per window: transfer look-ups, transfers, and refused dose records of a site. */
  VRS_RATE_WINDOW_SECONDS: z.coerce.number().int().min(1).max(86_400).default(60),
  VRS_RATE_LOOKUPS: z.coerce.number().int().min(1).max(1_000_000).default(60),
  VRS_RATE_TRANSFERS: z.coerce.number().int().min(1).max(1_000_000).default(30),
  VRS_RATE_SITE_REFUSALS: z.coerce.number().int().min(1).max(1_000_000).default(20),
  /** Ed25519 seed (32 bytes, hex) that signs the transparency log's checkpoints; unset → key file. */
  VRS_LOG_SIGNING_KEY: z
    .string()
    .regex(/^[0-9a-fA-F]{64}$/, 'must be 64 hex characters (a 32-byte Ed25519 seed)')
    .optional(),
  /** The logs' origin (C2SP checkpoint first line is `<origin>/events` or `<origin>/access`): a schema-less URL. */
  VRS_LOG_ORIGIN: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9._~:/-]{0,200}$/, 'must be a schema-less URL such as vrs.example.jp/ledger (no spaces, no "+")')
    .default('vrs-ledger.local'),
  /** The issuer URL in signed certificates (`iss`): https, no trailing slash; its /.well-known/jwks.json must be this server's. */
  VRS_ISSUER_URL: z
    .string()
    .regex(/^https:\/\/[^\s/]+(\/[^\s]*[^\s/])?$/, 'must be an https:// URL without a trailing slash')
    .default('https://localhost'),
  /** Certificate signing key (EC P-256 private JWK); unset → created in VRS_DATA_DIR/keys/certificates. */
  VRS_CERT_SIGNING_KEY: z.string().min(1).optional(),
  /** on: a commit waits until a standby has it on its disk (synchronous_standby_names). */
  VRS_SYNC_STANDBY: z.enum(['on', 'off']).default('off'),
  /** Continuous WAL archiving into this folder (embedded PostgreSQL); a plain absolute path (it reaches a shell command). */
  VRS_WAL_ARCHIVE: z
    .string()
    .regex(/^\/[A-Za-z0-9_.\/-]+$/, 'must be an absolute path of letters, digits, _ . - and /')
    .refine((p) => !p.split('/').includes('..'), 'must not contain ..')
    .optional(),
});

export type Config = z.infer<typeof configSchema>;

/** Where the key files live. */
export const keysDirOf = (config: Pick<Config, 'VRS_DATA_DIR' | 'VRS_KEYS_DIR'>): string => resolve(config.VRS_KEYS_DIR ?? join(config.VRS_DATA_DIR, 'keys'));

/** `inner` is `outer` or inside it. */
const within = (outer: string, inner: string) => {
  const r = relative(resolve(outer), resolve(inner));
  return r === '' || (!r.startsWith('..') && !isAbsolute(r));
};

export class ConfigError extends Error {
  readonly code = 'CONFIG_INVALID';
}

/** Reads the environment; empty strings count as unset. */
export const loadConfig = (env: NodeJS.ProcessEnv = process.env): Config => {
  const input = Object.fromEntries(
    Object.keys(configSchema.shape).flatMap((k) => (env[k] === undefined || env[k] === '' ? [] : [[k, env[k]]])),
  );
  const parsed = configSchema
    .superRefine((c, ctx) => {
      // A copy of the PostgreSQL data directory (a backup, a stolen disk image of it) must never hold the keys.
      const pgDir = join(c.VRS_DATA_DIR, 'pg');
      if (within(pgDir, keysDirOf(c)) || within(keysDirOf(c), pgDir))
        ctx.addIssue({ code: 'custom', path: ['VRS_KEYS_DIR'], message: 'must lie outside the PostgreSQL data directory (VRS_DATA_DIR/pg)' });
    })
    .safeParse(input);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`invalid configuration:\n${lines.join('\n')}`);
  }
  return parsed.data;
};
