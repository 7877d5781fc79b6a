import type pg from 'pg';
import { Gauge, type Registry } from 'prom-client';
import type { Config } from '../runtime/config.js';
import { serviceKey, type Services } from '../runtime/services.js';
import { makeProjectionTables } from '../projections/runner/ensureTables.js';
import type { Schema } from '../eventstore/postgres/schema.js';
import { followAccessLog } from './accessLogFollower.js';
import { signCheckpoint } from './checkpoint.js';
import { ledgerLogTables, LEDGER_LOG, ledgerLogProjection } from './ledgerLogProjection.js';
import { leafIndexes, readHead, withNodes, type LogHead } from './logStore.js';
import { loadLogSigningSeed } from './logSigningKey.js';
import { logTableNames, type LogTables } from './logTables.js';
import { ACCESS_LOG_TREE, proofsGrants, proofsMigrations } from './migrations.js';
import { ProofError } from './proofErrors.js';
import { signerFromSeed, verifierKeyText, type NoteSigner } from './signedNote.js';
import { consistencyPath, inclusionPath, ProofRangeError } from './treeMath.js';
import { verifyConsistency } from './verifyProofs.js';

/** The two logs: the ledger's events, and the access log of personal reads. */
export const LOG_NAMES = ['events', 'access'] as const;
export type LogName = (typeof LOG_NAMES)[number];

const tablesOf: Record<LogName, LogTables> = { events: ledgerLogTables, access: logTableNames(ACCESS_LOG_TREE) };

export type ProofsDeps = {
  /** The server's role. */
  pool: pg.Pool;
  /** The owner's side: migrations, grants, the ledger log's tables. */
  schema: Schema;
  config: Pick<Config, 'VRS_DATA_DIR' | 'VRS_KEYS_DIR' | 'VRS_LOG_SIGNING_KEY' | 'VRS_LOG_ORIGIN'>;
  metrics?: Registry;
  services: Services;
};

export type InclusionAnswer = { leafIndex: number; treeSize: number; leafHash: string; path: string[] };
export type ConsistencyAnswer = { from: number; to: number; path: string[] };
export type StoredCheckpoint = { log: LogName; size: bigint; root: Buffer; note: string; signedAt: Date };

const b64 = (b: Buffer) => b.toString('base64');
const proofsKey = serviceKey<ProofsService>('proofs');

const createService = (deps: ProofsDeps) => {
  const { pool } = deps;
  let readyOnce: Promise<void> | null = null;
  let signersOnce: Promise<Record<LogName, NoteSigner>> | null = null;
  let loop: { stop: () => Promise<void> } | null = null;
  /** Why the last signing round refused a log (a head inconsistent with the last checkpoint), for /readyz. */
  const refused = new Map<LogName, string>();

  const origin = (log: LogName) => `${deps.config.VRS_LOG_ORIGIN}/${log}`;
  const signers = () =>
    (signersOnce ??= loadLogSigningSeed(deps.config).then((seed) => ({
      events: signerFromSeed(origin('events'), seed),
      access: signerFromSeed(origin('access'), seed),
    })));

  const ready = () =>
    (readyOnce ??= (async () => {
      await deps.schema.migrate('proofs', proofsMigrations, proofsGrants);
      // The ledger log's tables (a projection's) may be read before the runner has made them: made by the owner
      // and granted, as the projections service does, under the same lock.
      await makeProjectionTables(deps.schema, [ledgerLogProjection]);
    })().catch((e) => {
      readyOnce = null;
      throw e;
    }));

  const head = async (log: LogName): Promise<LogHead> => readHead(pool, tablesOf[log]);

  const latest = async (log: LogName): Promise<StoredCheckpoint | null> => {
    const { rows } = await pool.query<{ size: string; root: Buffer; note: string; signed_at: Date }>(
      'SELECT size, root, note, signed_at FROM log_checkpoints WHERE log = $1 ORDER BY size DESC LIMIT 1',
      [log],
    );
    return rows[0] ? { log, size: BigInt(rows[0].size), root: rows[0].root, note: rows[0].note, signedAt: rows[0].signed_at } : null;
  };

  const checkpointAt = async (log: LogName, size: bigint): Promise<StoredCheckpoint | null> => {
    const { rows } = await pool.query<{ root: Buffer; note: string; signed_at: Date }>('SELECT root, note, signed_at FROM log_checkpoints WHERE log = $1 AND size = $2', [
      log,
      size.toString(),
    ]);
    return rows[0] ? { log, size, root: rows[0].root, note: rows[0].note, signedAt: rows[0].signed_at } : null;
  };

  const consistency = async (log: LogName, from: bigint, to: bigint): Promise<ConsistencyAnswer> => {
    if (from > to) throw new ProofError('PROOF_OUT_OF_RANGE', `from (${from}) must not be larger than to (${to})`, { from: from.toString(), to: to.toString() });
    const h = await head(log);
    if (to > h.size) throw new ProofError('TREE_SIZE_BEYOND_LOG', `to (${to}) is beyond the log's ${h.size} entries`, { size: h.size.toString() });
    const path = await withNodes(pool, tablesOf[log], (node) => consistencyPath(from, to, node));
    return { from: Number(from), to: Number(to), path: path.map(b64) };
  };

  /** Signs the log's head when it grew past the last checkpoint, and only if it is consistent with that one. */
  const signLog = async (log: LogName): Promise<StoredCheckpoint | null> => {
    const h = await head(log);
    const last = await latest(log);
    if (last && h.size < last.size) {
      refused.set(log, `the log has ${h.size} entries but signed ${last.size} before: entries were removed`);
      return null;
    }
    if (last && h.size === last.size) {
      if (!h.root.equals(last.root)) refused.set(log, `the log's root at size ${h.size} is not the one it signed: the log was rewritten`);
      else refused.delete(log);
      return null;
    }
    if (last) {
      const proof = await withNodes(pool, tablesOf[log], (node) => consistencyPath(last.size, h.size, node));
      const check = verifyConsistency(last.size, h.size, proof, last.root, h.root);
      if (!check.ok) {
        // A log must never sign a head that contradicts what it signed before (C2SP tlog-checkpoint).
        refused.set(log, check.why);
        return null;
      }
    }
    refused.delete(log);
    const signer = (await signers())[log];
    const time = Math.floor(Date.now() / 1000);
    const note = signCheckpoint({ origin: origin(log), size: h.size, root: h.root, time }, signer);
    const { rowCount } = await pool.query(
      'INSERT INTO log_checkpoints (log, size, root, note) VALUES ($1, $2, $3, $4) ON CONFLICT (log, size) DO NOTHING',
      [log, h.size.toString(), h.root, note],
    );
    return rowCount ? { log, size: h.size, root: h.root, note, signedAt: new Date(time * 1000) } : await checkpointAt(log, h.size);
  };

  /** One round: the access log's tree catches up, then each log grown since its last checkpoint is signed. */
  const tick = async () => {
    await ready();
    while ((await followAccessLog(pool, tablesOf.access)) > 0);
    for (const log of LOG_NAMES) await signLog(log);
  };

  if (deps.metrics && !deps.metrics.getSingleMetric('vrs_log_unsigned_entries')) {
    new Gauge({
      name: 'vrs_log_unsigned_entries',
      help: 'Entries in a transparency log beyond its latest signed checkpoint',
      labelNames: ['log'],
      registers: [deps.metrics],
      async collect() {
        this.reset();
        // A scrape never fails for the logs' sake (nor creates their tables): before they exist there is no figure.
        for (const log of LOG_NAMES) {
          const [h, c] = await Promise.all([head(log), latest(log)]).catch(() => [null, null] as const);
          if (h) this.set({ log }, Number(h.size - (c?.size ?? 0n)));
        }
      },
    });
  }

  return {
    ready,
    head,
    latest,
    checkpointAt,
    signLog,
    tick,
    refused: () => new Map(refused),
    origin,
    verifierKey: async (log: LogName) => verifierKeyText((await signers())[log]),
    tables: (log: LogName) => tablesOf[log],

    /** Inclusion proof of the entry at a source position (event position, or access-log id) in a tree size. */
    inclusion: async (log: LogName, position: bigint, treeSize: bigint): Promise<InclusionAnswer> => {
      const h = await head(log);
      if (treeSize > h.size) throw new ProofError('TREE_SIZE_BEYOND_LOG', `treeSize (${treeSize}) is beyond the log's ${h.size} entries`, { size: h.size.toString() });
      const index = (await leafIndexes(pool, tablesOf[log], [position])).get(position);
      if (index === undefined) throw new ProofError('LEAF_NOT_IN_LOG', `nothing at position ${position} is in the log yet`);
      if (index >= treeSize) {
        throw new ProofError('LEAF_AFTER_TREE_SIZE', `position ${position} is leaf ${index}, not in a tree of ${treeSize} entries`, { leafIndex: Number(index) });
      }
      const { path, leaf } = await withNodes(pool, tablesOf[log], (node) => ({ path: inclusionPath(index, treeSize, node), leaf: node(0, index) }));
      return { leafIndex: Number(index), treeSize: Number(treeSize), leafHash: b64(leaf), path: path.map(b64) };
    },
    consistency,
    /** Audit paths of many leaves in one tree size, from one read of the nodes they need. */
    inclusionPaths: async (log: LogName, indexes: bigint[], treeSize: bigint): Promise<string[][]> => {
      const paths = await withNodes(pool, tablesOf[log], (node) => indexes.map((i) => inclusionPath(i, treeSize, node)));
      return paths.map((p) => p.map(b64));
    },
    leafIndexes: (log: LogName, positions: bigint[]) => leafIndexes(pool, tablesOf[log], positions),

    /** Signs and follows every `intervalMs` until stopped (with the other services). */
    start: (intervalMs = 1000, onError: (e: unknown) => void = () => {}) => {
      if (loop) return;
      let stopped = false;
      let wake: (() => void) | null = null;
      const running = (async () => {
        while (!stopped) {
          await tick().catch(onError);
          await new Promise<void>((resolve) => {
            const timer = setTimeout(resolve, intervalMs);
            wake = () => (clearTimeout(timer), resolve());
          });
        }
      })();
      loop = {
        stop: async () => {
          stopped = true;
          (wake as (() => void) | null)?.();
          await running;
        },
      };
      deps.services.onStop(loop.stop);
    },
  };
};

export type ProofsService = ReturnType<typeof createService>;

/** The process's one proofs service, made on first use. */
export const proofsService = (deps: ProofsDeps): ProofsService => deps.services.of(proofsKey, () => createService(deps));

export { ProofRangeError, LEDGER_LOG };
