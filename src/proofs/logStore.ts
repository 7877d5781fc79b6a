import type pg from 'pg';
import { EMPTY_ROOT, leafHash } from './merkleHash.js';
import type { LogTables } from './logTables.js';
import { appendLeaves, frontierIds, nodeKey, nodesRead, type NodeId, type NodeLookup } from './treeMath.js';
import type { ProofErrorCode } from './proofErrors.js';

/** SQL of a Merkle log over its tables (names are constants of this module, never input). */
export type LogHead = { size: bigint; root: Buffer };

type Db = Pick<pg.ClientBase, 'query'>;

export const readHead = async (db: Db, t: LogTables): Promise<LogHead> => {
  const { rows } = await db.query<{ size: string; root: Buffer }>(`SELECT size, root FROM ${t.head}`);
  return rows[0] ? { size: BigInt(rows[0].size), root: rows[0].root } : { size: 0n, root: EMPTY_ROOT };
};

export const readNodes = async (db: Db, t: LogTables, ids: NodeId[]): Promise<Map<string, Buffer>> => {
  if (ids.length === 0) return new Map();
  const { rows } = await db.query<{ level: number; idx: string; hash: Buffer }>(
    `SELECT level, idx, hash FROM ${t.nodes} WHERE (level, idx) IN (SELECT * FROM unnest($1::smallint[], $2::bigint[]))`,
    [ids.map((i) => i.level), ids.map((i) => i.index.toString())],
  );
  return new Map(rows.map((r) => [nodeKey(r.level, BigInt(r.idx)), r.hash]));
};

export class LogCorruptError extends Error {
  readonly code = 'LOG_CORRUPT' satisfies ProofErrorCode;
}

/** Runs a proof computation over the stored nodes: one query for every node it reads. */
export const withNodes = async <T>(db: Db, t: LogTables, compute: (node: NodeLookup) => T): Promise<T> => {
  const nodes = await readNodes(db, t, nodesRead(compute));
  return compute((level, index) => {
    const h = nodes.get(nodeKey(level, index));
    if (!h) throw new LogCorruptError(`the log is missing its node ${level}:${index}`);
    return h;
  });
};

/**
 * Appends leaves (their source positions and leaf data) in the caller's transaction: reads the frontier
 * (O(log n) rows), writes each newly complete node once, moves the head.
 */
export const appendToLog = async (db: Db, t: LogTables, leaves: { position: bigint; data: Buffer }[]): Promise<LogHead> => {
  const head = await readHead(db, t);
  if (leaves.length === 0) return head;
  const ids = frontierIds(head.size);
  const stored = await readNodes(db, t, ids);
  const frontier = ids.map((id) => {
    const h = stored.get(nodeKey(id.level, id.index));
    if (!h) throw new LogCorruptError(`the log is missing its frontier node ${id.level}:${id.index}`);
    return h;
  });
  const grown = appendLeaves(head.size, frontier, leaves.map((l) => leafHash(l.data)));
  await db.query(`INSERT INTO ${t.nodes} (level, idx, hash) SELECT * FROM unnest($1::smallint[], $2::bigint[], $3::bytea[])`, [
    grown.nodes.map((n) => n.level),
    grown.nodes.map((n) => n.index.toString()),
    grown.nodes.map((n) => n.hash),
  ]);
  await db.query(`INSERT INTO ${t.leaves} (idx, position) SELECT * FROM unnest($1::bigint[], $2::bigint[])`, [
    leaves.map((_, i) => (head.size + BigInt(i)).toString()),
    leaves.map((l) => l.position.toString()),
  ]);
  await db.query(
    `INSERT INTO ${t.head} (one, size, root) VALUES (true, $1, $2)
     ON CONFLICT (one) DO UPDATE SET size = EXCLUDED.size, root = EXCLUDED.root, updated_at = now()`,
    [grown.size.toString(), grown.root],
  );
  return { size: grown.size, root: grown.root };
};

/** Leaf index of each source position logged (absent: not logged yet). */
export const leafIndexes = async (db: Db, t: LogTables, positions: bigint[]): Promise<Map<bigint, bigint>> => {
  if (positions.length === 0) return new Map();
  const { rows } = await db.query<{ idx: string; position: string }>(`SELECT idx, position FROM ${t.leaves} WHERE position = ANY($1::bigint[])`, [
    positions.map((p) => p.toString()),
  ]);
  return new Map(rows.map((r) => [BigInt(r.position), BigInt(r.idx)]));
};
