import type pg from 'pg';

export type CheckpointRow = {
  name: string;
  checkpoint: string | null;
  position: bigint;
  recordedAt: Date | null;
  updatedAt: Date;
  error: string | null;
  errorPosition: bigint | null;
  errorAt: Date | null;
};

type Raw = {
  name: string;
  checkpoint: string | null;
  position: string;
  recorded_at: Date | null;
  updated_at: Date;
  error: string | null;
  error_position: string | null;
  error_at: Date | null;
};

const toRow = (r: Raw): CheckpointRow => ({
  name: r.name,
  checkpoint: r.checkpoint,
  position: BigInt(r.position),
  recordedAt: r.recorded_at,
  updatedAt: r.updated_at,
  error: r.error,
  errorPosition: r.error_position === null ? null : BigInt(r.error_position),
  errorAt: r.error_at,
});

/** The row, created empty (position 0) on first use. */
export const ensureCheckpoint = async (db: pg.ClientBase | pg.Pool, name: string): Promise<CheckpointRow> => {
  await db.query('INSERT INTO projection_checkpoints (name) VALUES ($1) ON CONFLICT (name) DO NOTHING', [name]);
  const { rows } = await db.query<Raw>('SELECT * FROM projection_checkpoints WHERE name = $1', [name]);
  return toRow(rows[0]);
};

/** Locks the row for the rest of the transaction: batches and the rebuild swap serialise on it. */
export const lockCheckpoint = async (tx: pg.ClientBase, name: string): Promise<string | null> => {
  const { rows } = await tx.query<{ checkpoint: string | null }>(
    'SELECT checkpoint FROM projection_checkpoints WHERE name = $1 FOR UPDATE',
    [name],
  );
  return rows[0]?.checkpoint ?? null;
};

export type Advance = { checkpoint: string; position: bigint; recordedAt: Date };

export const advanceCheckpoint = async (tx: pg.ClientBase, name: string, to: Advance) => {
  await tx.query(
    `UPDATE projection_checkpoints
     SET checkpoint = $2, position = $3, recorded_at = $4, updated_at = now(), error = NULL, error_position = NULL, error_at = NULL
     WHERE name = $1`,
    [name, to.checkpoint, to.position.toString(), to.recordedAt],
  );
};

/** The error message only: it may not carry personal data (projections throw errors with codes, not values). */
export const recordFailure = async (db: pg.ClientBase | pg.Pool, name: string, position: bigint, message: string) => {
  await db.query(
    'UPDATE projection_checkpoints SET error = $2, error_position = $3, error_at = now(), updated_at = now() WHERE name = $1',
    [name, message, position.toString()],
  );
};

export const readCheckpoints = async (db: pg.Pool): Promise<CheckpointRow[]> => {
  const { rows } = await db.query<Raw>('SELECT * FROM projection_checkpoints ORDER BY name');
  return rows.map(toRow);
};
