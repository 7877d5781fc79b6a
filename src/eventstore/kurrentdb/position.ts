/** A place in KurrentDB's transaction log: `$all` is ordered by (commit, prepare). */
export type LogPosition = { commit: bigint; prepare: bigint };

/** Checkpoint token: `<commit>:<prepare>`, both decimal. */
export const encodeCheckpoint = (p: LogPosition): string => `${p.commit}:${p.prepare}`;

/** `undefined` or empty means "from the start of the log". */
export const decodeCheckpoint = (token: string | undefined): LogPosition | undefined => {
  if (!token) return undefined;
  const match = /^(\d{1,20}):(\d{1,20})$/.exec(token);
  if (!match) throw new RangeError('checkpoint must look like <commit position>:<prepare position>');
  return { commit: BigInt(match[1]), prepare: BigInt(match[2]) };
};

export const comparePositions = (a: LogPosition, b: LogPosition): number =>
  a.commit !== b.commit ? (a.commit < b.commit ? -1 : 1) : a.prepare === b.prepare ? 0 : a.prepare < b.prepare ? -1 : 1;

/** True when `p` comes strictly after the checkpoint (a read from a position includes that position). */
export const isAfter = (p: LogPosition, checkpoint: LogPosition | undefined): boolean =>
  !checkpoint || comparePositions(p, checkpoint) > 0;
