type After = { transactionId: bigint; position: bigint };
type Read<D, E> = (db: D, after: After, batch: number) => Promise<E[]>;

const KEEP_MS = 500;
const KEPT = 8;

/**
 * Tails reading from the same checkpoint within KEEP_MS share one read: the projections follow the log in
 * step, so each batch is selected and parsed once, not once per projection. A kept answer stays a correct
 * next batch: it holds only transactions older than every one running when it was read, so whatever commits
 * later sorts after it. Empty answers are not kept (a tail woken by a notification must read again).
 */
export const shareReads = <D, E>(read: Read<D, E>): Read<D, E> => {
  const recent = new Map<string, { at: number; events: Promise<E[]> }>();
  return (db, after, batch) => {
    const key = `${after.transactionId}:${after.position}:${batch}`;
    const now = Date.now();
    const hit = recent.get(key);
    if (hit && now - hit.at <= KEEP_MS) return hit.events;
    const events = read(db, after, batch);
    recent.delete(key);
    recent.set(key, { at: now, events });
    if (recent.size > KEPT) recent.delete(recent.keys().next().value!);
    events.then(
      (list) => list.length === 0 && recent.get(key)?.events === events && recent.delete(key),
      () => recent.get(key)?.events === events && recent.delete(key),
    );
    return events;
  };
};
