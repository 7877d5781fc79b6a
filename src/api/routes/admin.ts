import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { projectionsService } from '../../projections/projectionsService.js';
import { RebuildInProgressError } from '../../projections/rebuild/rebuildErrors.js';
import type { AppContext } from '../../runtime/appContext.js';
import { allow } from '../guard.js';

const NameParams = z.object({ name: z.string().regex(/^[a-z_]{1,64}$/, 'a projection name') });
const RebuildQuery = z.object({ wait: z.enum(['true', 'false']).default('false') });

/** Operators: projection positions, lag and errors; rebuild one from position 0 (admin only). */
export const adminRoutes = async (fastify: FastifyInstance, ctx: AppContext) => {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const admin = allow(ctx.keys.jwtSecret, ['admin']);
  const service = projectionsService(ctx);
  await service.ready();

  app.get('/v1/admin/projections', { preHandler: admin, schema: { tags: ['admin'] } }, async () => ({
    projections: (await service.lag()).map((l) => {
      const rebuild = service.rebuilds.get(l.name);
      return {
        name: l.name,
        position: Number(l.position),
        positionsBehind: Number(l.positionsBehind),
        secondsBehind: l.secondsBehind,
        error: l.error,
        errorPosition: l.errorPosition === null ? null : Number(l.errorPosition),
        rebuild: rebuild ? { phase: rebuild.phase, events: rebuild.events, position: Number(rebuild.position), headPosition: Number(rebuild.headPosition) } : null,
      };
    }),
  }));

  app.post(
    '/v1/admin/projections/:name/rebuild',
    { preHandler: admin, schema: { tags: ['admin'], params: NameParams, querystring: RebuildQuery } },
    async (req, reply) => {
      const { name } = req.params;
      service.byName(name);
      if (service.rebuilds.has(name)) throw new RebuildInProgressError(name);
      const run = service.rebuild(name);
      if (req.query.wait === 'true') {
        const r = await run;
        return reply.status(200).send({ projection: r.projection, status: 'done', events: r.events, position: Number(r.position), seconds: r.seconds });
      }
      run.then(
        (r) => req.log.info({ projection: name, events: r.events, seconds: r.seconds }, 'projection rebuilt'),
        (e: Error) => req.log.error({ projection: name, err: (e as { code?: string }).code ?? e.message }, 'projection rebuild failed'),
      );
      return reply.status(202).send({ projection: name, status: 'started' });
    },
  );
};
