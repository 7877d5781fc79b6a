import { z } from 'zod';

const digest = z.string().regex(/^[0-9a-f]{64}$/);

/** One file of a backup: its path inside the backup folder, size and SHA-256. */
export const ManifestFileSchema = z.object({
  path: z.string().regex(/^[A-Za-z0-9_./-]+$/).refine((p) => !p.split('/').includes('..') && !p.startsWith('/'), 'a path inside the backup'),
  bytes: z.number().int().nonnegative(),
  sha256: digest,
  rows: z.number().int().nonnegative().optional(),
});

export const ManifestSchema = z.object({
  format: z.literal('vrs-backup/1'),
  createdAt: z.string(),
  /** Which keys the wrapped data keys and blind indexes belong to (an HMAC of a constant, never a key). */
  keyCheck: z.string(),
  /** The key epoch whose KEK wraps the data keys in the backup: restore needs that epoch's key file. */
  keyEpoch: z.number().int().nonnegative(),
  tables: z.array(z.object({ name: z.string(), file: z.string(), columns: z.array(z.string()), rows: z.number().int().nonnegative() })),
  chains: z.object({ streams: z.number().int().nonnegative(), events: z.number().int().nonnegative(), lastPosition: z.string().regex(/^\d+$/) }),
  images: z.object({ listed: z.number().int().nonnegative(), copied: z.number().int().nonnegative(), expired: z.number().int().nonnegative() }),
  files: z.array(ManifestFileSchema),
  /** A physical base backup in `base/` (when WAL archiving is on): where point-in-time recovery starts. */
  base: z.object({ startLsn: z.string(), stopLsn: z.string() }).optional(),
});

export type Manifest = z.infer<typeof ManifestSchema>;
export type ManifestFile = z.infer<typeof ManifestFileSchema>;
