import { PassThrough, type Readable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { fileTooLarge } from '../../import/importLimits.js';
import { importAnswerSchema } from '../../import/importAnswer.js';
import { importRecipients } from '../../import/importRecipients.js';
import type { AppContext } from '../../runtime/appContext.js';
import { allow, actorOf } from '../guard.js';
import { ledgerOf } from '../ledgerOf.js';
import { ApiError } from '../apiError.js';

const charsetOf = (contentType: string | undefined): string | undefined =>
  /;\s*charset\s*=\s*"?([^";\s]+)"?/i.exec(contentType ?? '')?.[1];

/**
 * POST /v1/recipients/import: a CSV body (UTF-8 or Shift_JIS), streamed: never buffered whole. The importing
 * municipality is the caller's. Limits: VRS_IMPORT_MAX_BYTES / VRS_IMPORT_MAX_ROWS → 413 naming the limit.
 */
export const importRoutes = async (fastify: FastifyInstance, ctx: AppContext) => {
  // Hand the raw request stream to the route (fastify's bodyLimit does not apply: the import counts bytes itself).
  fastify.addContentTypeParser('text/csv', (_req, payload, done) => done(null, payload));
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const limits = { maxBytes: ctx.config.VRS_IMPORT_MAX_BYTES, maxRows: ctx.config.VRS_IMPORT_MAX_ROWS };

  app.post(
    '/v1/recipients/import',
    { preHandler: allow(ctx.keys.jwtSecret, ['municipality']), schema: { tags: ['recipients'], response: { 200: importAnswerSchema } } },
    async (req) => {
      const actor = actorOf(req);
      if (!actor.municipality) throw new ApiError(403, 'FORBIDDEN', 'the token names no municipality');
      const declared = Number(req.headers['content-length']);
      if (Number.isFinite(declared) && declared > limits.maxBytes) throw fileTooLarge(limits.maxBytes);
      const raw = req.body as Readable | undefined;
      if (!raw || typeof raw.pipe !== 'function') throw new ApiError(415, 'UNSUPPORTED_MEDIA_TYPE', 'Content-Type: must be text/csv');
      // The import destroys its input when it stops early; give it a copy so the socket stays open for the answer.
      const body = new PassThrough();
      raw.on('error', (e) => body.destroy(e));
      raw.pipe(body);
      const { role, sub, municipality, site } = actor;
      return importRecipients(ledgerOf(ctx), body, {
        actor: { role, sub, municipality, site },
        municipality: actor.municipality,
        charset: charsetOf(req.headers['content-type']),
        limits,
        importId: req.id,
      });
    },
  );
};
