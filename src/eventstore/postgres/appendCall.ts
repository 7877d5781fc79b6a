import type pg from 'pg';
import type { AppendResult, NewEvent, StreamWrite } from '../contract.js';
import { canonicalJson, chainHashBytes, ZERO_HASH } from '../hashChain.js';
import { checkExpected, type Head, type Queryable } from './heads.js';

const ZERO_HASH_BYTES = Buffer.from(ZERO_HASH, 'hex');

/** Column arrays for the one INSERT of an append: versions and chain hashes computed here from the heads just read. */
export const buildCall = (writes: StreamWrite[], heads: Map<string, Head>, now: string) => {
  const call = {
    streams: [] as string[], versions: [] as string[], types: [] as string[], data: [] as string[],
    metadata: [] as string[], recordedAt: [] as string[], hashes: [] as Buffer[], commandIds: [] as (string | null)[],
  };
  // Events of one command share one metadata object (a registration and its claim): serialised once.
  const metadataTexts = new Map<object, { json: string; recordedAt: string }>();
  const metadataOf = (m: NewEvent['metadata']) => {
    const known = m ? metadataTexts.get(m) : undefined;
    if (known) return known;
    const metadata = { ...m, recordedAt: m?.recordedAt ?? now };
    const text = { json: canonicalJson(metadata), recordedAt: metadata.recordedAt };
    if (m) metadataTexts.set(m, text);
    return text;
  };
  for (const w of writes) {
    const head = heads.get(w.stream);
    checkExpected(w.stream, w.expected ?? 'any', head);
    let version = head?.version ?? 0n;
    let hash: Buffer = head ? Buffer.from(head.hash, 'hex') : ZERO_HASH_BYTES;
    for (let i = 0; i < w.events.length; i++) {
      const e = w.events[i];
      version += 1n;
      const metadata = metadataOf(e.metadata);
      const dataJson = canonicalJson(e.data);
      const metadataJson = metadata.json;
      hash = chainHashBytes(hash, { stream: w.stream, version, type: e.type, dataJson, metadataJson });
      call.streams.push(w.stream);
      call.versions.push(version.toString());
      call.types.push(e.type);
      call.data.push(dataJson);
      call.metadata.push(metadataJson);
      call.recordedAt.push(metadata.recordedAt);
      call.hashes.push(hash);
      // Only the first event holds the command id: its unique index makes a retried command collide.
      call.commandIds.push(i === 0 ? (e.metadata?.commandId ?? null) : null);
    }
  }
  return call;
};

export type AppendCall = ReturnType<typeof buildCall>;

export type Row = { stream: string; version: string; positions: string[]; duplicate: boolean };

type Inserted = { stream: string; version: string; position: string };

/** Every event of the append in one statement (atomic across streams). Rows come back grouped per stream. */
export const callAppend = async (db: Queryable, c: AppendCall): Promise<Row[]> => {
  const { rows } = await db.query<Inserted>({
    // Named: parsed once per connection (the hot path of every write).
    name: 'vrs-append',
    text: `INSERT INTO events (stream, version, type, data, metadata, recorded_at, hash, command_id)
      SELECT * FROM unnest($1::text[], $2::bigint[], $3::text[], $4::jsonb[], $5::jsonb[], $6::timestamptz[],
        $7::bytea[], $8::text[])
      RETURNING stream, version, position`,
    values: [c.streams, c.versions, c.types, c.data, c.metadata, c.recordedAt, c.hashes, c.commandIds],
  });
  const byStream = new Map<string, Row>();
  for (const r of rows) {
    const row = byStream.get(r.stream) ?? { stream: r.stream, version: r.version, positions: [], duplicate: false };
    if (BigInt(r.version) > BigInt(row.version)) row.version = r.version;
    row.positions.push(r.position);
    byStream.set(r.stream, row);
  }
  // Positions follow insertion order, which is version order within a stream; sort anyway, cheaply.
  for (const row of byStream.values()) row.positions.sort((a, b) => (BigInt(a) < BigInt(b) ? -1 : 1));
  return [...byStream.values()];
};

/**
 * The earlier results of these writes' command ids: the command's first event, then every event of the same
 * stream written in the same transaction (one append writes a stream once per transaction).
 */
export const readCommands = async (db: pg.Pool, writes: StreamWrite[]): Promise<Row[]> => {
  const withIds = writes.filter((w) => w.events[0].metadata?.commandId);
  if (withIds.length === 0) return [];
  const { rows } = await db.query<Row>(
    `SELECT f.stream, max(e.version) AS version, array_agg(e.position ORDER BY e.version) AS positions, true AS duplicate
     FROM unnest($1::text[], $2::text[]) AS w(stream, command_id)
     JOIN events f ON f.stream = w.stream AND f.command_id = w.command_id
     JOIN events e ON e.stream = f.stream AND e.version >= f.version AND e.transaction_id = f.transaction_id
     GROUP BY f.stream`,
    [withIds.map((w) => w.stream), withIds.map((w) => w.events[0].metadata!.commandId!)],
  );
  return rows;
};

export const toResult = (r: Row): AppendResult => ({
  stream: r.stream,
  nextExpectedVersion: BigInt(r.version),
  positions: r.positions.map(BigInt),
  duplicate: r.duplicate,
});
