import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../runtime/appContext.js';
import { openDataFiles } from '../../statistics/opendata/openDataFiles.js';
import { acceptsGzip } from '../acceptsGzip.js';
import { streamBody } from '../streamBody.js';

/** The government's open-data files, for anyone (no token), streamed from the statistics read model. */
export const openDataRoutes = async (app: FastifyInstance, ctx: AppContext) => {
  for (const file of openDataFiles) {
    app.get(`/opendata/${file.name}`, { schema: { tags: ['opendata'] } }, async (req, reply) => {
      reply.header('cache-control', 'public, max-age=60');
      return streamBody(reply, file.chunks(ctx.pool), file.contentType, acceptsGzip(req.headers['accept-encoding']));
    });
  }
};
