import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

export type Written = { bytes: number; sha256: string; rows: number };

/** Streams into a file while counting bytes and lines and hashing them: one pass, memory flat. */
export const writeHashed = async (source: Readable, file: string, onBytes: (n: number) => void = () => {}): Promise<Written> => {
  const hash = createHash('sha256');
  let bytes = 0;
  let rows = 0;
  const tap = new Transform({
    transform(chunk: Buffer, _enc, done) {
      hash.update(chunk);
      bytes += chunk.length;
      for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) rows++;
      onBytes(chunk.length);
      done(null, chunk);
    },
  });
  await pipeline(source, tap, createWriteStream(file, { mode: 0o600, flags: 'wx' }));
  return { bytes, sha256: hash.digest('hex'), rows };
};

/** SHA-256 and size of a file. */
export const hashFile = async (file: string, onBytes: (n: number) => void = () => {}): Promise<{ bytes: number; sha256: string }> => {
  const hash = createHash('sha256');
  let bytes = 0;
  for await (const chunk of createReadStream(file) as AsyncIterable<Buffer>) {
    hash.update(chunk);
    bytes += chunk.length;
    onBytes(chunk.length);
  }
  return { bytes, sha256: hash.digest('hex') };
};
