import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type pg from 'pg';
import copyStreams from 'pg-copy-streams';
import type { BulkAppendResult, StreamWrite } from '../contract.js';
import { InvalidEventError, StreamVersionConflictError } from '../errors.js';
import { buildCall, type AppendCall } from './appendCall.js';
import { readHeads, type Head } from './heads.js';
import { RACE_INDEXES, validateWrites } from './appendWrites.js';

/** COPY's text format: backslash, and the row and column separators, escaped; null is \N. */
const text = (s: string) => (/[\\\n\r\t]/.test(s) ? s.replace(/[\\\n\r\t]/g, (c) => (c === '\\' ? '\\\\' : c === '\n' ? '\\n' : c === '\r' ? '\\r' : '\\t')) : s);

const COPY_EVENTS = 'COPY events (stream, version, type, data, metadata, recorded_at, hash, command_id) FROM STDIN';

/** The call's rows as COPY text: the same values the INSERT path sends as arrays (bytea in hex, `\\x…`). */
export const copyText = (c: AppendCall): string => {
  const lines: string[] = new Array(c.streams.length);
  for (let i = 0; i < c.streams.length; i++) {
    const commandId = c.commandIds[i];
    lines[i] =
      `${text(c.streams[i])}\t${c.versions[i]}\t${text(c.types[i])}\t${text(c.data[i])}\t${text(c.metadata[i])}\t` +
      `${c.recordedAt[i]}\t\\\\x${c.hashes[i].toString('hex')}\t${commandId === null ? '\\N' : text(commandId)}\n`;
  }
  return lines.join('');
};

/** PostgreSQL's refusal as the contract's error: another writer's row in the way is a conflict, bad content the caller's. */
const contractError = (e: unknown): unknown => {
  const { code, constraint } = e as { code?: string; constraint?: string };
  if (code === '23505' && RACE_INDEXES.has(constraint ?? '')) {
    return new StreamVersionConflictError('(a stream of the batch)', 'no_stream or the version read', 'written by another command');
  }
  if (code === '22P05' || code === '22P02') return new InvalidEventError('event content cannot be stored as JSON');
  return e;
};

/**
 * One transaction (the COPY's own when every stream is new): the heads of streams not expected new (one query), versions and hash chains computed here, every
 * row through one `COPY … FROM STDIN` into `events` (the app role's INSERT privilege; `position` and
 * `transaction_id` take their defaults as with INSERT). The unique (stream, version) and (stream, command_id)
 * indexes catch a stream created or moved meanwhile, or a command already written: the COPY fails, the
 * transaction rolls back, nothing of the batch is written.
 */
export const appendBulk = async (db: pg.Pool, writes: StreamWrite[]): Promise<BulkAppendResult> => {
  if (writes.length === 0) return { streams: 0, events: 0 };
  validateWrites(writes);
  const read = writes.filter((w) => w.expected !== 'no_stream').map((w) => w.stream);
  // Only new streams (an import's usual batch): the COPY alone is one transaction, two round trips fewer.
  const inTransaction = read.length > 0;
  const client = await db.connect();
  let broken = false;
  try {
    if (inTransaction) await client.query('BEGIN');
    const heads = inTransaction ? await readHeads(client, read) : new Map<string, Head>();
    const call = buildCall(writes, heads, new Date().toISOString());
    await pipeline(Readable.from([copyText(call)]), client.query(copyStreams.from(COPY_EVENTS)));
    if (inTransaction) await client.query('COMMIT');
    return { streams: writes.length, events: call.streams.length };
  } catch (e) {
    if (inTransaction) await client.query('ROLLBACK').catch(() => (broken = true));
    throw contractError(e);
  } finally {
    // A connection whose COPY failed half-way and could not roll back is not handed to the next caller.
    client.release(broken);
  }
};
