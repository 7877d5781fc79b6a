import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../runtime/appContext.js';

export const healthRoutes = async (app: FastifyInstance, ctx: AppContext) => {
  app.get('/healthz', { schema: { hide: true } }, async () => ({ status: 'ok' }));

  app.get('/readyz', { schema: { hide: true } }, async (_req, reply) => {
    const checks = await Promise.all(
      ctx.readiness.map((check) => check().catch((e: Error) => ({ name: 'check', ok: false, detail: e.message }))),
    );
    const ready = checks.every((c) => c.ok);
    return reply.status(ready ? 200 : 503).send({ status: ready ? 'ready' : 'not-ready', checks });
  });

  app.get('/metrics', { schema: { hide: true } }, async (_req, reply) =>
    reply.header('content-type', ctx.metrics.contentType).send(await ctx.metrics.metrics()),
  );
};
