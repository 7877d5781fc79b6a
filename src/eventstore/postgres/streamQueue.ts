/**
 * Appends to the same stream from this process run one after another: racing each other in the database only
 * costs them lost optimistic checks and retries (a hot stream under 10 writers fell to ~50 appends/s). Appends to
 * other streams are not held up; several processes still meet at the database's optimistic check.
 */
export const createStreamQueue = () => {
  const tails = new Map<string, Promise<unknown>>();
  return async <T>(streams: string[], work: () => Promise<T>): Promise<T> => {
    const before = streams.map((s) => tails.get(s)).filter((p): p is Promise<unknown> => p !== undefined);
    const mine = (before.length === 0 ? work() : Promise.allSettled(before).then(work)) as Promise<T>;
    const settled = mine.then(
      () => {},
      () => {},
    );
    for (const s of streams) tails.set(s, settled);
    try {
      return await mine;
    } finally {
      // The last in line clears the entry, so the map holds only streams with appends in flight.
      for (const s of streams) if (tails.get(s) === settled) tails.delete(s);
    }
  };
};
