import type pg from 'pg';

export type StatementCounts = { statements: number; appendCalls: number; conflicts: number; checkouts: number };

/**
 * Counts the statements a pool runs, the append INSERTs among them and the head-moved conflicts (unique violations) they
 * raised, and clients checked out: round trips per append and retries on a hot stream, measured rather than guessed.
 * Statements run on a checked-out client are not counted.
 */
export const countStatements = (pool: pg.Pool): { counts: StatementCounts; reset: () => void } => {
  const counts: StatementCounts = { statements: 0, appendCalls: 0, conflicts: 0, checkouts: 0 };
  const original = pool.query.bind(pool) as (...a: unknown[]) => unknown;
  (pool as unknown as { query: (...a: unknown[]) => unknown }).query = (...args: unknown[]) => {
    const first = args[0] as string | { text?: string };
    const text = typeof first === 'string' ? first : (first?.text ?? '');
    counts.statements++;
    const isAppend = text.includes('INSERT INTO events');
    if (isAppend) counts.appendCalls++;
    const result = original(...args);
    if (isAppend && result instanceof Promise)
      result.catch((e: { code?: string }) => {
        if (e?.code === '23505') counts.conflicts++;
      });
    return result;
  };
  // A checked-out client runs the store's locked path (advisory lock, head read, append, commit on one client).
  const connect = pool.connect.bind(pool) as (...a: unknown[]) => unknown;
  (pool as unknown as { connect: (...a: unknown[]) => unknown }).connect = (...args: unknown[]) => {
    if (args.length === 0) counts.checkouts++; // pool.query checks out with a callback: not counted
    return connect(...args);
  };
  return {
    counts,
    reset: () => Object.assign(counts, { statements: 0, appendCalls: 0, conflicts: 0, checkouts: 0 }),
  };
};
