import type pg from 'pg';

/** What happened at a sign-in or sign-out; auditors read these at GET /v1/audit/sign-ins. */
export type SignInOutcome = 'signed-in' | 'failed' | 'locked' | 'refused-locked' | 'refused-rate-limited' | 'signed-out' | 'unlocked';

export const recordSignIn = (pool: pg.Pool, username: string, outcome: SignInOutcome, address: string) =>
  pool.query('INSERT INTO console_sign_ins (username, outcome, address) VALUES ($1, $2, $3)', [username, outcome, address]);

/** Failures of a username since its last successful sign-in or an admin's unlock, within the window. */
export const recentUserFailures = async (pool: pg.Pool, username: string, windowSeconds: number) => {
  const { rows } = await pool.query<{ n: number; last: Date | null; first: Date | null }>(
    `SELECT count(*)::int AS n, max(at) AS last, min(at) AS first FROM console_sign_ins
      WHERE username = $1 AND outcome = 'failed' AND at > now() - make_interval(secs => $2)
        AND at > coalesce((SELECT max(at) FROM console_sign_ins WHERE username = $1 AND outcome IN ('signed-in', 'unlocked')), '-infinity')`,
    [username, windowSeconds],
  );
  return rows[0];
};

/** Failures from one address within the window, whatever usernames were tried. */
export const recentAddressFailures = async (pool: pg.Pool, address: string, windowSeconds: number) => {
  const { rows } = await pool.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM console_sign_ins WHERE address = $1 AND outcome = 'failed' AND at > now() - make_interval(secs => $2)`,
    [address, windowSeconds],
  );
  return rows[0].n;
};

export type SignInEntry = { at: string; username: string; outcome: SignInOutcome; address: string };

export const readSignIns = async (pool: pg.Pool, q: { username?: string; from?: string; to?: string; limit: number }): Promise<SignInEntry[]> => {
  const { rows } = await pool.query<{ at: Date; username: string; outcome: SignInOutcome; address: string }>(
    `SELECT at, username, outcome, address FROM console_sign_ins
      WHERE ($1::text IS NULL OR username = $1) AND ($2::timestamptz IS NULL OR at >= $2) AND ($3::timestamptz IS NULL OR at <= $3)
      ORDER BY id DESC LIMIT $4`,
    [q.username ?? null, q.from ?? null, q.to ?? null, q.limit],
  );
  return rows.map((r) => ({ ...r, at: r.at.toISOString() }));
};
