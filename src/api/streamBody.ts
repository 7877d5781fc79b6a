import { Readable, pipeline } from 'node:stream';
import { createGzip } from 'node:zlib';
import type { FastifyReply } from 'fastify';

/**
 * Sends an async stream of chunks as the body, gzipped when asked. The first chunk is read before the status
 * goes out, so a failure at the start (e.g. the read model is missing) still gets a proper error answer.
 */
export const streamBody = async (reply: FastifyReply, chunks: AsyncIterable<string | Buffer>, contentType: string, gzip: boolean) => {
  const it = chunks[Symbol.asyncIterator]();
  const first = await it.next();
  async function* rest() {
    try {
      if (!first.done) yield typeof first.value === 'string' ? Buffer.from(first.value) : first.value;
      for (let n = await it.next(); !n.done; n = await it.next()) yield typeof n.value === 'string' ? Buffer.from(n.value) : n.value;
    } finally {
      await it.return?.();
    }
  }
  const body = Readable.from(rest(), { objectMode: false });
  reply.header('content-type', contentType).header('vary', 'Accept-Encoding');
  if (!gzip) return reply.send(body);
  reply.header('content-encoding', 'gzip');
  const gz = createGzip();
  // A failing source destroys the gzip stream too, which ends the response instead of hanging it.
  pipeline(body, gz, () => {});
  return reply.send(gz);
};
