import type { RecordedEvent } from '../contract.js';

export type EventRow = {
  position: string;
  transaction_id: string;
  stream: string;
  version: string;
  type: string;
  data: Record<string, unknown>;
  metadata: RecordedEvent['metadata'];
  recorded_at: Date;
  hash: Buffer;
};

export const EVENT_COLUMNS = 'position, transaction_id, stream, version, type, data, metadata, recorded_at, hash';

/** Checkpoint token: `<transaction id>:<position>`, ordered as the pair (see subscription notes in tailAll). */
export const encodeCheckpoint = (transactionId: bigint | string, position: bigint | string): string =>
  `${transactionId}:${position}`;

export const decodeCheckpoint = (token: string | undefined): { transactionId: bigint; position: bigint } => {
  if (!token) return { transactionId: 0n, position: 0n };
  const match = /^(\d{1,20}):(\d{1,20})$/.exec(token);
  if (!match) throw new RangeError('checkpoint must look like <transaction id>:<position>');
  return { transactionId: BigInt(match[1]), position: BigInt(match[2]) };
};

export const rowToEvent = (r: EventRow): RecordedEvent => ({
  stream: r.stream,
  version: BigInt(r.version),
  position: BigInt(r.position),
  checkpoint: encodeCheckpoint(r.transaction_id, r.position),
  type: r.type,
  data: r.data,
  metadata: r.metadata,
  recordedAt: r.recorded_at,
  hash: r.hash.toString('hex'),
});
