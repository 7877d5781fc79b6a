import { z } from 'zod';

/**
 * An evidence bundle: one self-contained JSON file that settles a dispute about one recipient stream without the
 * server. Each event as stored (what its chain hash covers: personal fields sealed), what the auditor reads of it
 * (personal fields opened, the My Number never), its leaf index and audit path to the signed checkpoint, the log's
 * public key, and the state folded as of the chosen time.
 */
export const EVIDENCE_FORMAT = 'vrs-evidence/1';

const Base64Hash = z.string().regex(/^[A-Za-z0-9+/]{43}=$/, 'a base64 SHA-256 hash');

export const EvidenceEvent = z.object({
  stream: z.string(),
  version: z.string().regex(/^[1-9][0-9]*$/),
  position: z.string().regex(/^[0-9]+$/),
  type: z.string(),
  recordedAt: z.string(),
  /** Exactly what the hash chain covers: data (personal fields sealed) and metadata. */
  stored: z.object({ data: z.record(z.string(), z.unknown()), metadata: z.record(z.string(), z.unknown()) }),
  /** Hex SHA-256 chain hash (previous hash ‖ canonical content). */
  hash: z.string().regex(/^[0-9a-f]{64}$/),
  leafIndex: z.string().regex(/^[0-9]+$/),
  inclusionPath: z.array(Base64Hash),
  /** What the auditor reads: who, why, and the data with personal fields opened (null once erased), My Number hidden. */
  view: z.object({ actor: z.unknown(), reason: z.string().optional(), data: z.record(z.string(), z.unknown()) }),
});
export type EvidenceEvent = z.infer<typeof EvidenceEvent>;

export const EvidenceBundle = z.object({
  format: z.literal(EVIDENCE_FORMAT),
  createdAt: z.string(),
  stream: z.string(),
  asOf: z.string().nullable(),
  log: z.object({
    origin: z.string(),
    /** C2SP verifier key `<name>+<key ID>+<base64 key>`. */
    verifierKey: z.string(),
    /** The signed checkpoint (C2SP signed note) every inclusion path leads to. */
    checkpoint: z.string(),
  }),
  events: z.array(EvidenceEvent),
  /** The 接種状況 as of `asOf` (or now), as the server folded it from these events; null before registration. */
  state: z.unknown(),
});
export type EvidenceBundle = z.infer<typeof EvidenceBundle>;
