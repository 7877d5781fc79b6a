import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { recipientStream, tokyoToday } from '../../domain/index.js';
import { commandContext } from '../../ledger/index.js';
import { documentServices, issueRecord, issueShc, recordPdf, shcPdf, verifyHealthCard } from '../../documents/index.js';
import type { AppContext } from '../context.js';
import { allow, actorOf, ownMunicipality } from '../guard.js';
import { RecipientParams } from '../httpSchemas.js';
import { ledgerOf } from '../ledgerOf.js';
import { recordAccess } from '../accessLog.js';

/** A `shc:/` QR of the largest QR version holds 7,089 digits; anything longer is not a card. */
const MAX_SHC = 7_200;
const VerifyBody = z
  .object({
    shc: z.string().max(MAX_SHC, `must be at most ${MAX_SHC} characters (the largest single QR)`).optional(),
    vds: z.unknown().optional(),
  })
  .strict()
  .refine((b) => (b.shc === undefined) !== (b.vds === undefined), { message: 'give exactly one of shc or vds', path: ['shc'] });
const CrlParams = z.object({ file: z.string().regex(/^[A-Za-z0-9_-]{1,64}\.json$/, 'must be <kid>.json') });

const wantsPdf = (req: FastifyRequest) => /application\/pdf/i.test(req.headers.accept ?? '');
const openCors = (reply: FastifyReply) => reply.header('access-control-allow-origin', '*').header('cache-control', 'public, max-age=60');

/** Certificates (SMART Health Card), 予防接種済証, the issuer's keys and revocation lists, and the verifier. */
export const documentRoutes = async (fastify: FastifyInstance, ctx: AppContext) => {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const ledger = ledgerOf(ctx);
  const docs = () => documentServices({ pool: ctx.pool, store: ctx.store, hmacKey: ctx.keys.hmac, config: ctx.config, services: ctx.services });
  await docs(); // keys and table exist before the first request
  const municipality = allow(ctx.keys.jwtSecret, ['municipality']);
  // Each issue is its own event: an Idempotency-Key would answer a reprint with the first issue and record none.
  const issueContext = (req: FastifyRequest) => {
    const { role, sub, municipality: m, site } = actorOf(req);
    return commandContext({ role, sub, municipality: m, site }, undefined, req.id);
  };

  app.get('/.well-known/jwks.json', { schema: { tags: ['certificates'] } }, async (_req, reply) => {
    openCors(reply);
    return (await docs()).jwks();
  });

  app.get('/.well-known/crl/:file', { schema: { tags: ['certificates'], params: CrlParams } }, async (req, reply) => {
    const crl = await (await docs()).crl(req.params.file.slice(0, -'.json'.length));
    if (!crl) return reply.code(404).send({ error: { code: 'KEY_NOT_FOUND', message: 'no key of this issuer has this kid' } });
    openCors(reply);
    return crl;
  });

  app.get('/v1/recipients/:m/:c/certificates/shc', { preHandler: municipality, schema: { tags: ['certificates'], params: RecipientParams } }, async (req, reply) => {
    ownMunicipality(req, req.params.m);
    const stream = recipientStream(req.params.m, req.params.c);
    const issued = await issueShc(ledger, await docs(), stream, issueContext(req));
    await recordAccess(ctx.pool, actorOf(req), [stream], 'GET /v1/recipients/{m}/{c}/certificates/shc');
    reply.header('cache-control', 'no-store');
    if (!wantsPdf(req)) return { shc: issued.shc };
    const pdf = await shcPdf(issued.state, issued.shc, tokyoToday(new Date()));
    return reply.type('application/pdf').header('content-disposition', 'attachment; filename="certificate-shc.pdf"').send(pdf);
  });

  app.get('/v1/recipients/:m/:c/certificates/record', { preHandler: municipality, schema: { tags: ['certificates'], params: RecipientParams } }, async (req, reply) => {
    ownMunicipality(req, req.params.m);
    const stream = recipientStream(req.params.m, req.params.c);
    const { state } = await issueRecord(ledger, stream, issueContext(req));
    await recordAccess(ctx.pool, actorOf(req), [stream], 'GET /v1/recipients/{m}/{c}/certificates/record');
    const pdf = await recordPdf(state, tokyoToday(new Date()));
    return reply.type('application/pdf').header('cache-control', 'no-store').header('content-disposition', 'attachment; filename="vaccination-record.pdf"').send(pdf);
  });

  app.post('/v1/certificates/verify', { bodyLimit: 64 * 1024, schema: { tags: ['certificates'], body: VerifyBody } }, async (req, reply) => {
    reply.header('cache-control', 'no-store');
    if (req.body.shc !== undefined) return verifyHealthCard(req.body.shc, (await docs()).trusted());
    return { valid: false, reason: 'UNSUPPORTED_FORMAT', message: 'vds: ICAO VDS-NC verification is not available yet', summary: null };
  });
};
