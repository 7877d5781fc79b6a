/** Groups an async iterable into arrays, fetching the next array while the caller works on the current one. */
export async function* chunked<T>(source: AsyncIterable<T>, size: number): AsyncGenerator<T[]> {
  const it = source[Symbol.asyncIterator]();
  const next = async (): Promise<T[]> => {
    const out: T[] = [];
    while (out.length < size) {
      const r = await it.next();
      if (r.done) break;
      out.push(r.value);
    }
    return out;
  };
  let pending = next();
  for (;;) {
    const chunk = await pending;
    if (chunk.length === 0) return;
    pending = chunk.length < size ? Promise.resolve([]) : next();
    // Keep an unawaited read from turning into an unhandled rejection if the consumer stops early.
    pending.catch(() => {});
    yield chunk;
  }
}
