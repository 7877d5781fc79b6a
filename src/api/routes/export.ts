import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ExportEncoding, ledgerCsv } from '../../export/index.js';
import type { AppContext } from '../../runtime/appContext.js';
import { allow, actorOf, ownMunicipality } from '../guard.js';
import { ledgerOf } from '../ledgerOf.js';
import { MunicipalityParam } from '../httpSchemas.js';

const ExportQuery = z.object({ municipality: MunicipalityParam, encoding: ExportEncoding.default('utf-8') });

/** GET /v1/recipients/export: the municipality's VRS ledger file, streamed; every recipient read is access-logged. */
export const exportRoutes = async (fastify: FastifyInstance, ctx: AppContext) => {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  app.get(
    '/v1/recipients/export',
    { preHandler: allow(ctx.keys.jwtSecret, ['municipality']), schema: { tags: ['recipients'], querystring: ExportQuery } },
    async (req, reply) => {
      ownMunicipality(req, req.query.municipality);
      const { role, sub, municipality, site } = actorOf(req);
      const body = ledgerCsv(
        { ...ledgerOf(ctx), pool: ctx.pool },
        { municipality: req.query.municipality, actor: { role, sub, municipality, site }, endpoint: 'GET /v1/recipients/export', encoding: req.query.encoding },
      );
      const charset = req.query.encoding === 'shift_jis' ? 'Shift_JIS' : 'utf-8';
      return reply
        .header('content-type', `text/csv; charset=${charset}`)
        .header('content-disposition', `attachment; filename="vrs-ledger-${req.query.municipality}.csv"`)
        .send(body);
    },
  );
};
