/**
 * The order of the contract's checkpoints (`RecordedEvent.checkpoint`): every adapter writes a checkpoint as up
 * to four decimal numbers joined by ':' (PostgreSQL `txid:position`, KurrentDB `commit:prepare`), ordered as
 * tuples. A reader compares them with these, never by parsing a token itself.
 */
const parts = (token: string): bigint[] => token.split(':').map((p) => BigInt(p));

export const isCheckpoint = (token: string): boolean => /^\d{1,20}(:\d{1,20}){0,3}$/.test(token);

export const compareCheckpoints = (a: string, b: string): number => {
  const x = parts(a);
  const y = parts(b);
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    const d = (x[i] ?? -1n) - (y[i] ?? -1n);
    if (d !== 0n) return d < 0n ? -1 : 1;
  }
  return 0;
};

/** Undefined (before the first event) comes first. */
export const isAfterCheckpoint = (token: string, cursor: string | undefined) => cursor === undefined || compareCheckpoints(token, cursor) > 0;
