/**
 * `writers` concurrent loops share one counter and call `work(i)` for i = 0..count-1. Returns elapsed seconds.
 * Each loop awaits its own call before taking the next index, as a request handler would.
 */
export const runWriters = async (count: number, writers: number, work: (i: number) => Promise<unknown>) => {
  let next = 0;
  const started = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: writers }, async () => {
      for (let i = next++; i < count; i = next++) await work(i);
    }),
  );
  return Number(process.hrtime.bigint() - started) / 1e9;
};

/** Seconds taken by `work`. */
export const timed = async <T>(work: () => Promise<T>): Promise<{ seconds: number; value: T }> => {
  const started = process.hrtime.bigint();
  const value = await work();
  return { seconds: Number(process.hrtime.bigint() - started) / 1e9, value };
};

export const perSecond = (count: number, seconds: number) => Math.round(count / seconds);
