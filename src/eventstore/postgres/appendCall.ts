import type pg from 'pg';
import type { AppendResult, StreamWrite } from '../contract.js';
import { chainHash, ZERO_HASH } from '../hashChain.js';
import { checkExpected, type Head, type Queryable } from './heads.js';

/** Builds the arrays for vrs_append: versions and chain hashes computed here from the heads just read. */
export const buildCall = (writes: StreamWrite[], heads: Map<string, Head>, now: string) => {
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

export type Row = { stream: string; version: string; positions: string[]; duplicate: boolean };

export const callAppend = async (db: Queryable, c: ReturnType<typeof buildCall>): Promise<Row[]> =>
  (
    // Named: parsed once per connection (the hot path of every write).
    await db.query<Row>({
      name: 'vrs-append',
      text: `SELECT * FROM vrs_append($1::text[], $2::bigint[], $3::bigint[], $4::bytea[], $5::text[],
        $6::text[], $7::bigint[], $8::text[], $9::jsonb[], $10::jsonb[], $11::timestamptz[], $12::bytea[])`,
      values: [c.streams, c.readVersions, c.newVersions, c.newHashes, c.commandIds, c.eStreams, c.eVersions, c.types,
        c.data, c.metadata, c.recordedAt, c.hashes],
    })
  ).rows;

export const readCommands = async (db: pg.Pool, writes: StreamWrite[]): Promise<Row[]> => {
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

export const toResult = (r: Row): AppendResult => ({
  stream: r.stream,
  nextExpectedVersion: BigInt(r.version),
  positions: r.positions.map(BigInt),
  duplicate: r.duplicate,
});
