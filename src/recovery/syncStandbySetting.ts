import type pg from 'pg';

/**
 * VRS_SYNC_STANDBY on the embedded PostgreSQL: `synchronous_standby_names = '*'` (any one standby), so a commit,
 * and the 201 after it, waits until a standby has the WAL on its disk; off resets it. Set with ALTER SYSTEM rather
 * than on the command line because the cluster may already be running (a promoted standby started by
 * `vrs standby`), and after the migrations, so a first start without a standby yet can create its schema.
 * Needs a superuser, or `GRANT ALTER SYSTEM ON PARAMETER synchronous_standby_names`.
 */
export const applySyncStandby = async (pool: pg.Pool, mode: 'on' | 'off') => {
  const { rows } = await pool.query<{ v: string }>(`SELECT current_setting('synchronous_standby_names') AS v`);
  const want = mode === 'on' ? '*' : '';
  if (rows[0].v === want) return;
  try {
    await pool.query(mode === 'on' ? `ALTER SYSTEM SET synchronous_standby_names = '*'` : 'ALTER SYSTEM RESET synchronous_standby_names');
    await pool.query('SELECT pg_reload_conf()');
  } catch (e) {
    if (mode === 'off') return; // not ours to change (an operator's setting on a role without the right)
    throw new Error(`VRS_SYNC_STANDBY=on: could not set synchronous_standby_names (${(e as Error).message})`);
  }
  // pg_reload_conf signals; the setting is in force once this session sees it.
  for (let i = 0; i < 100; i++) {
    const { rows: r } = await pool.query<{ v: string }>(`SELECT current_setting('synchronous_standby_names') AS v`);
    if (r[0].v === want) return;
    await new Promise((res) => setTimeout(res, 20));
  }
};
