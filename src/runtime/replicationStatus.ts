import type pg from 'pg';
import { Gauge, type Registry } from 'prom-client';

export type StandbyState = { name: string; state: string; syncState: string; lagBytes: number | null; lagSeconds: number | null };
export type ReplicationState =
  | { role: 'primary'; standbys: StandbyState[] }
  | { role: 'standby'; status: string | null; lagBytes: number | null; lagSeconds: number | null };

const num = (v: string | number | null) => (v === null ? null : Number(v));

/**
 * What the server's PostgreSQL says of replication: on a primary each standby from pg_stat_replication (bytes of
 * WAL not yet replayed there, and its replay lag); on a standby its WAL receiver and how far replay is behind.
 * Without pg_monitor (or superuser) the primary shows standbys with their positions hidden: lag reads null.
 */
export const replicationState = async (pool: pg.Pool): Promise<ReplicationState> => {
  const { rows: r } = await pool.query<{ standby: boolean }>('SELECT pg_is_in_recovery() AS standby');
  if (r[0].standby) {
    const { rows } = await pool.query<{ status: string | null; lag_bytes: string | null; lag_seconds: string | null }>(`
      SELECT (SELECT status FROM pg_stat_wal_receiver) AS status,
             pg_wal_lsn_diff(pg_last_wal_receive_lsn(), pg_last_wal_replay_lsn())::text AS lag_bytes,
             CASE WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0
                  ELSE extract(epoch FROM now() - pg_last_xact_replay_timestamp()) END::text AS lag_seconds`);
    return { role: 'standby', status: rows[0].status, lagBytes: num(rows[0].lag_bytes), lagSeconds: num(rows[0].lag_seconds) };
  }
  const { rows } = await pool.query<{ name: string; state: string; sync_state: string; lag_bytes: string | null; lag_seconds: string | null }>(`
    SELECT application_name AS name, coalesce(state, 'unknown') AS state, coalesce(sync_state, 'unknown') AS sync_state,
           pg_wal_lsn_diff(pg_current_wal_lsn(), replay_lsn)::text AS lag_bytes,
           coalesce(extract(epoch FROM replay_lag), 0)::text AS lag_seconds
    FROM pg_stat_replication ORDER BY application_name`);
  return {
    role: 'primary',
    standbys: rows.map((s) => ({ name: s.name, state: s.state, syncState: s.sync_state, lagBytes: num(s.lag_bytes), lagSeconds: s.lag_bytes === null ? null : num(s.lag_seconds) })),
  };
};

/**
 * /readyz: with VRS_SYNC_STANDBY=on a primary without a streaming synchronous standby is not ready, because
 * every write waits for one: saying so is better than answering slowly.
 */
export const replicationReadiness = (pool: pg.Pool, syncStandby: 'on' | 'off') => async () => {
  const s = await replicationState(pool);
  if (s.role === 'standby') return { name: 'replication', ok: false, detail: `a standby (WAL receiver ${s.status ?? 'not running'}): read-only until promoted`, replication: s };
  const sync = s.standbys.filter((x) => x.state === 'streaming' && (x.syncState === 'sync' || x.syncState === 'quorum'));
  const ok = syncStandby === 'off' || sync.length > 0;
  return {
    name: 'replication',
    ok,
    ...(ok ? {} : { detail: 'VRS_SYNC_STANDBY=on and no synchronous standby is streaming: writes wait until one is back' }),
    replication: s,
  };
};

/** Prometheus gauges, read from PostgreSQL at each scrape (one query shared by the gauges of a scrape). */
export const replicationMetrics = (registry: Registry, pool: pg.Pool) => {
  let pending: Promise<ReplicationState | null> | null = null;
  const state = () => {
    if (!pending) {
      pending = replicationState(pool).catch(() => null);
      void pending.finally(() => setTimeout(() => (pending = null), 250).unref());
    }
    return pending;
  };
  new Gauge({
    name: 'vrs_replication_is_standby',
    help: '1 when this server’s PostgreSQL is a standby (in recovery)',
    registers: [registry],
    async collect() {
      const s = await state();
      if (s) this.set(s.role === 'standby' ? 1 : 0);
    },
  });
  new Gauge({
    name: 'vrs_replication_standbys',
    help: 'standbys streaming from this primary, by state and sync state',
    labelNames: ['state', 'sync_state'],
    registers: [registry],
    async collect() {
      const s = await state();
      this.reset();
      if (s?.role === 'primary') for (const x of s.standbys) this.inc({ state: x.state, sync_state: x.syncState });
    },
  });
  const perStandby = (s: ReplicationState | null, pick: (x: { lagBytes: number | null; lagSeconds: number | null }) => number | null) =>
    !s ? [] : s.role === 'standby' ? [{ standby: 'self', v: pick(s) }] : s.standbys.map((x) => ({ standby: x.name, v: pick(x) }));
  new Gauge({
    name: 'vrs_replication_lag_bytes',
    help: 'WAL bytes written on the primary and not yet replayed on the standby (on a standby: received, not replayed)',
    labelNames: ['standby'],
    registers: [registry],
    async collect() {
      const s = await state();
      this.reset();
      for (const x of perStandby(s, (y) => y.lagBytes)) if (x.v !== null) this.set({ standby: x.standby }, x.v);
    },
  });
  new Gauge({
    name: 'vrs_replication_lag_seconds',
    help: 'replay lag of the standby in seconds',
    labelNames: ['standby'],
    registers: [registry],
    async collect() {
      const s = await state();
      this.reset();
      for (const x of perStandby(s, (y) => y.lagSeconds)) if (x.v !== null) this.set({ standby: x.standby }, x.v);
    },
  });
};
