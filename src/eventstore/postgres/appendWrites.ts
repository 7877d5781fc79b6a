import type pg from 'pg';
import type { AppendResult, ExpectedVersion, StreamWrite } from '../contract.js';
import { InvalidEventError, StreamVersionConflictError } from '../errors.js';
import { chainHash, ZERO_HASH } from '../hashChain.js';

type Queryable = pg.Pool | pg.PoolClient;

type Head = { version: bigint; hash: string };

const describe = (e: ExpectedVersion) => (typeof e === 'bigint' ? e.toString() : e);

const checkExpected = (stream: string, expected: ExpectedVersion, head: Head | undefined) => {
  const actual = head?.version ?? 0n;
  const ok =
    expected === 'any' ||
    (expected === 'no_stream' && !head) ||
    (expected === 'exists' && !!head) ||
    (typeof expected === 'bigint' && expected === actual);
  if (!ok) throw new StreamVersionConflictError(stream, describe(expected), head ? actual.toString() : 'no_stream');
};

const validate = (writes: StreamWrite[]) => {
  const seen = new Set<string>();
  for (const w of writes) {
    if (!w.stream) throw new InvalidEventError('stream name is empty');
    if (seen.has(w.stream)) throw new InvalidEventError('a stream appears twice in one append', { stream: w.stream });
    seen.add(w.stream);
    if (w.events.length === 0) throw new InvalidEventError('an append needs at least one event', { stream: w.stream });
    const ids = new Set(w.events.map((e) => e.metadata?.commandId ?? null));
    if (ids.size > 1) throw new InvalidEventError('all events of one append share one commandId', { stream: w.stream });
  }
};

const readHeads = async (db: Queryable, streams: string[]): Promise<Map<string, Head>> => {
  const { rows } = await db.query<{ stream: string; version: string; hash: Buffer }>(
    'SELECT stream, version, hash FROM streams WHERE stream = ANY($1::text[])',
    [streams],
  );
  return new Map(rows.map((r) => [r.stream, { version: BigInt(r.version), hash: r.hash.toString('hex') }]));
};

/** Builds the arrays for vrs_append: versions and chain hashes computed here from the heads just read. */
const buildCall = (writes: StreamWrite[], heads: Map<string, Head>, now: string) => {
  const call = {
    streams: [] as string[], readVersions: [] as string[], newVersions: [] as string[], newHashes: [] as Buffer[],
    commandIds: [] as (string | null)[], eStreams: [] as string[], eVersions: [] as string[], types: [] as string[],
    data: [] as string[], metadata: [] as string[], recordedAt: [] as string[], hashes: [] as Buffer[],
  };
  for (const w of writes) {
    const head = heads.get(w.stream);
    checkExpected(w.stream, w.expected ?? 'any', head);
    let version = head?.version ?? 0n;
    let hash = head?.hash ?? ZERO_HASH;
    for (const e of w.events) {
      version += 1n;
      const metadata = { ...e.metadata, recordedAt: e.metadata?.recordedAt ?? now };
      hash = chainHash(hash, { stream: w.stream, version, type: e.type, data: e.data, metadata });
      call.eStreams.push(w.stream);
      call.eVersions.push(version.toString());
      call.types.push(e.type);
      call.data.push(JSON.stringify(e.data));
      call.metadata.push(JSON.stringify(metadata));
      call.recordedAt.push(metadata.recordedAt);
      call.hashes.push(Buffer.from(hash, 'hex'));
    }
    call.streams.push(w.stream);
    call.readVersions.push((head?.version ?? 0n).toString());
    call.newVersions.push(version.toString());
    call.newHashes.push(Buffer.from(hash, 'hex'));
    call.commandIds.push(w.events[0].metadata?.commandId ?? null);
  }
  return call;
};

/**
 * Heads known without a read (first attempt only): a new stream (`no_stream`: creating it detects one that
 * exists), or the head the caller read with the stream for an exact expectation that matches it.
 */
const hintedHeads = (writes: StreamWrite[]): Map<string, Head> | null => {
  const heads = new Map<string, Head>();
  for (const w of writes) {
    if (w.expected === 'no_stream') continue;
    if (!w.head || typeof w.expected !== 'bigint' || w.expected !== w.head.version || w.head.version === 0n) return null;
    heads.set(w.stream, w.head);
  }
  return heads;
};

type Row = { stream: string; version: string; positions: string[]; duplicate: boolean };

const callAppend = async (db: Queryable, c: ReturnType<typeof buildCall>): Promise<Row[]> =>
  (
    await db.query<Row>(
      `SELECT * FROM vrs_append($1::text[], $2::bigint[], $3::bigint[], $4::bytea[], $5::text[],
        $6::text[], $7::bigint[], $8::text[], $9::jsonb[], $10::jsonb[], $11::timestamptz[], $12::bytea[])`,
      [c.streams, c.readVersions, c.newVersions, c.newHashes, c.commandIds, c.eStreams, c.eVersions, c.types,
        c.data, c.metadata, c.recordedAt, c.hashes],
    )
  ).rows;

const readCommands = async (db: pg.Pool, writes: StreamWrite[]): Promise<Row[]> => {
  const withIds = writes.filter((w) => w.events[0].metadata?.commandId);
  if (withIds.length === 0) return [];
  const { rows } = await db.query<Row>(
    `SELECT c.stream, c.version, true AS duplicate,
       ARRAY(SELECT e.position FROM events e WHERE e.stream = c.stream AND e.version BETWEEN c.first_version AND c.version ORDER BY e.version) AS positions
     FROM stream_commands c
     JOIN unnest($1::text[], $2::text[]) AS w(stream, command_id) ON c.stream = w.stream AND c.command_id = w.command_id`,
    [withIds.map((w) => w.stream), withIds.map((w) => w.events[0].metadata!.commandId!)],
  );
  return rows;
};

const toResult = (r: Row): AppendResult => ({
  stream: r.stream,
  nextExpectedVersion: BigInt(r.version),
  positions: r.positions.map(BigInt),
  duplicate: r.duplicate,
});

const MAX_ATTEMPTS = 50;
/** After this many lost races a writer queues on per-stream advisory locks instead, so a hot stream cannot starve it. */
const OPTIMISTIC_ATTEMPTS = 3;

/** Read heads and append while holding transaction-scoped advisory locks on the streams (sorted: no deadlock). */
const appendLocked = async (db: pg.Pool, writes: StreamWrite[], build: (heads: Map<string, Head>) => ReturnType<typeof buildCall>) => {
  const client = await db.connect();
  try {
    await client.query('BEGIN');
    await client.query(
      'SELECT pg_advisory_xact_lock(hashtextextended(s, 7041)) FROM unnest($1::text[]) AS s ORDER BY s',
      [writes.map((w) => w.stream)],
    );
    const rows = await callAppend(client, build(await readHeads(client, writes.map((w) => w.stream))));
    await client.query('COMMIT');
    return rows;
  } catch (e) {
    await client.query('ROLLBACK').catch(() => {});
    throw e;
  } finally {
    client.release();
  }
};

/**
 * Optimistic append of several streams in one statement (one transaction). A head that moved between our read
 * and the write (SQLSTATE VRS01) is retried for `any`/`exists`, and reported as a conflict for exact
 * expectations. Writes whose commandId was already recorded return the first result and write nothing.
 */
export const appendWrites = async (db: pg.Pool, writes: StreamWrite[]): Promise<AppendResult[]> => {
  validate(writes);
  const results = new Map<string, AppendResult>();
  let pending = writes;
  /** A conflict on a write whose command already landed (a retry) is answered with the first result. */
  const settleConflict = async (conflict: StreamVersionConflictError) => {
    const earlier = await readCommands(db, pending);
    if (earlier.length === 0) throw conflict;
    for (const r of earlier) results.set(r.stream, toResult(r));
    pending = pending.filter((w) => !results.has(w.stream));
  };
  for (let attempt = 1; pending.length > 0; attempt++) {
    const current = pending;
    const build = (heads: Map<string, Head>) => buildCall(current, heads, new Date().toISOString());
    try {
      let rows: Row[];
      if (attempt > OPTIMISTIC_ATTEMPTS) rows = await appendLocked(db, current, build);
      else {
        const hinted = attempt === 1 ? hintedHeads(current) : null;
        rows = await callAppend(db, build(hinted ?? (await readHeads(db, current.map((w) => w.stream)))));
      }
      for (const r of rows) results.set(r.stream, toResult(r));
      // Earlier duplicates come back alone: append the remaining writes on the next turn.
      pending = pending.filter((w) => !results.has(w.stream));
    } catch (e) {
      if (e instanceof StreamVersionConflictError) {
        await settleConflict(e);
        continue;
      }
      const code = (e as { code?: string }).code;
      // jsonb refuses some text (e.g. a NUL character): the caller's input, not a server fault.
      if (code === '22P05' || code === '22P02') throw new InvalidEventError('event content cannot be stored as JSON');
      // A head moved between our read and the write (VRS01) or a command id was taken meanwhile (VRS02): the
      // next turn reads the heads again, where an exact expectation that no longer holds becomes a conflict.
      if ((code !== 'VRS01' && code !== 'VRS02') || attempt >= MAX_ATTEMPTS) throw e;
    }
  }
  return writes.map((w) => results.get(w.stream)!);
};
