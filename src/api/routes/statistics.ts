import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../runtime/appContext.js';
import { allow } from '../guard.js';
import { ApiError } from '../apiError.js';
import { DailyQuery } from '../../statistics/daily/dailyQuery.js';
import { dailyRows } from '../../statistics/daily/dailyRows.js';
import { dailyCsv } from '../../statistics/daily/dailyCsv.js';
import { dailyJson } from '../../statistics/daily/dailyJson.js';
import { acceptsGzip } from '../acceptsGzip.js';
import { streamBody } from '../streamBody.js';
import { isCheckpoint } from '../../eventstore/checkpointOrder.js';
import { isBeyondHead } from '../../statistics/live/beyondHead.js';
import { liveHubKey, liveHubOf } from '../../statistics/live/liveHubOf.js';
import { serveLiveClient } from '../liveClient.js';

export type StatisticsRouteOptions = { intervalMs?: number; maxBufferBytes?: number; heartbeatMs?: number };

const LiveQuery = z.object({ lastEventId: z.string().optional() });

/** The ministry's statistics: daily counts (JSON or CSV) and the live SSE stream of count changes. */
export const createStatisticsRoutes =
  (options: StatisticsRouteOptions = {}) =>
  async (fastify: FastifyInstance, ctx: AppContext) => {
    const app = fastify.withTypeProvider<ZodTypeProvider>();
    const ministry = allow(ctx.keys.jwtSecret, ['ministry']);
    // Open SSE streams would keep the server from closing: end them (and the shared subscription) first.
    app.addHook('preClose', async () => {
      await ctx.services.peek(liveHubKey)?.stop();
    });

    app.get('/v1/statistics/daily', { preHandler: ministry, schema: { tags: ['statistics'], querystring: DailyQuery } }, async (req, reply) => {
      const q = req.query;
      const csv = /\btext\/csv\b/.test(req.headers.accept ?? '');
      const rows = dailyRows(ctx.pool, q);
      const gzip = acceptsGzip(req.headers['accept-encoding']);
      return csv
        ? streamBody(reply, dailyCsv(rows, q.groupBy), 'text/csv; charset=utf-8', gzip)
        : streamBody(reply, dailyJson(rows, q), 'application/json; charset=utf-8', gzip);
    });

    app.get('/v1/statistics/live', { preHandler: ministry, schema: { tags: ['statistics'], querystring: LiveQuery } }, async (req, reply) => {
      // EventSource sends Last-Event-ID as a header; `?lastEventId=` serves clients that cannot set headers.
      const header = req.headers['last-event-id'];
      const lastEventId = (Array.isArray(header) ? header[0] : header) || req.query.lastEventId || undefined;
      if (lastEventId !== undefined && !isCheckpoint(lastEventId)) throw new ApiError(400, 'INVALID_LAST_EVENT_ID', 'Last-Event-ID: not an id this stream sent');
      const hub = liveHubOf(ctx, { intervalMs: options.intervalMs, onError: (e) => req.log.error({ err: e.message }, 'live statistics feed failed') });
      await hub.ready();
      if (lastEventId !== undefined && (await isBeyondHead(ctx.store, lastEventId, hub.attach().joinAt))) {
        throw new ApiError(400, 'LAST_EVENT_ID_AHEAD', 'Last-Event-ID: is past the newest event of the ledger, so it was not sent by this stream; reconnect without it to start from now');
      }
      reply.hijack();
      await serveLiveClient(reply.raw, { hub, store: ctx.store, lastEventId, maxBufferBytes: options.maxBufferBytes, heartbeatMs: options.heartbeatMs });
    });
  };

export const statisticsRoutes = createStatisticsRoutes();
