import { Readable } from 'node:stream';

export const collect = async <T>(items: AsyncIterable<T>): Promise<T[]> => {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
};

export const readText = async (stream: Readable): Promise<string> => (await collect<string>(stream)).join('');

/** A byte stream delivering `bytes` in chunks cut at the given offsets. */
export const chunked = (bytes: Buffer, cuts: number[] = []): Readable => {
  const parts: Buffer[] = [];
  let at = 0;
  for (const c of [...cuts, bytes.length]) {
    parts.push(bytes.subarray(at, c));
    at = c;
  }
  return Readable.from(parts.filter((p) => p.length > 0), { objectMode: false });
};
