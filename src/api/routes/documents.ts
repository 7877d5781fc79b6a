import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { recipientStream, tokyoToday } from '../../domain/index.js';
import { commandContext } from '../../ledger/index.js';
import {
  batchItems,
  batchView,
  couponSheetsPdf,
  CouponCriteria,
  createBatch,
  documentServices,
  dueCsv,
  dueRows,
  issueRecord,
  issueShc,
  issueVds,
  recordPdf,
  vdsPdf,
  verifyVds,
  runBatch,
  shcPdf,
  verifyHealthCard,
} from '../../documents/index.js';
import { ApiError } from '../apiError.js';
import type { AppContext } from '../../runtime/appContext.js';
import { allow, actorOf, isOwnMunicipality, ownMunicipality } from '../guard.js';
import { RecipientParams } from '../httpSchemas.js';
import { ledgerOf } from '../ledgerOf.js';
import { recordAccess } from '../../personal/accessLog.js';

/** A `shc:/` QR of the largest QR version holds 7,089 digits; anything longer is not a card. */
const MAX_SHC = 7_200;
const VerifyBody = z
  .object({
    shc: z.string().max(MAX_SHC, `must be at most ${MAX_SHC} characters (the largest single QR)`).optional(),
    vds: z.union([z.string().max(20_000), z.record(z.string(), z.unknown())]).optional(),
  })
  .strict()
  .refine((b) => (b.shc === undefined) !== (b.vds === undefined), { message: 'give exactly one of shc or vds', path: ['shc'] });
const BatchBody = z
  .object({ municipality: z.string().max(16).optional(), criteria: CouponCriteria })
  .strict();
const BatchParams = z.object({ id: z.string().uuid('must be a batch id') });
const CrlParams = z.object({ file: z.string().regex(/^[A-Za-z0-9_-]{1,64}\.json$/, 'must be <kid>.json') });

const wantsPdf = (req: FastifyRequest) => /application\/pdf/i.test(req.headers.accept ?? '');
const openCors = (reply: FastifyReply) => reply.header('access-control-allow-origin', '*').header('cache-control', 'public, max-age=60');

/** Certificates (SMART Health Card), 予防接種済証, the issuer's keys and revocation lists, and the verifier. */
export const documentRoutes = async (fastify: FastifyInstance, ctx: AppContext) => {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const ledger = ledgerOf(ctx);
  const docs = () => documentServices({ pool: ctx.pool, schema: ctx.schema, store: ctx.store, hmacKey: ctx.keys.hmac, config: ctx.config, services: ctx.services });
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

  app.get('/v1/recipients/:m/:c/certificates/vds', { preHandler: municipality, schema: { tags: ['certificates'], params: RecipientParams } }, async (req, reply) => {
    ownMunicipality(req, req.params.m);
    const stream = recipientStream(req.params.m, req.params.c);
    const issued = await issueVds(ledger, await docs(), stream, issueContext(req));
    await recordAccess(ctx.pool, actorOf(req), [stream], 'GET /v1/recipients/{m}/{c}/certificates/vds');
    reply.header('cache-control', 'no-store');
    if (!wantsPdf(req)) return issued.vds;
    const pdf = await vdsPdf(issued.state, issued.vds, tokyoToday(new Date()));
    return reply.type('application/pdf').header('content-disposition', 'attachment; filename="certificate-vds.pdf"').send(pdf);
  });

  app.get('/v1/recipients/:m/:c/certificates/record', { preHandler: municipality, schema: { tags: ['certificates'], params: RecipientParams } }, async (req, reply) => {
    ownMunicipality(req, req.params.m);
    const stream = recipientStream(req.params.m, req.params.c);
    const { state } = await issueRecord(ledger, stream, issueContext(req));
    await recordAccess(ctx.pool, actorOf(req), [stream], 'GET /v1/recipients/{m}/{c}/certificates/record');
    const pdf = await recordPdf(state, tokyoToday(new Date()));
    return reply.type('application/pdf').header('cache-control', 'no-store').header('content-disposition', 'attachment; filename="vaccination-record.pdf"').send(pdf);
  });

  // Coupon batches: the caller's own municipality only; the batch runs in the background, its progress is polled.
  const ownBatch = async (req: FastifyRequest, id: string) => {
    const batch = await batchView(ctx.pool, id);
    if (!batch) throw new ApiError(404, 'BATCH_NOT_FOUND', 'id: no coupon batch has this id');
    if (!isOwnMunicipality(actorOf(req), batch.municipality)) throw new ApiError(403, 'FORBIDDEN', 'a municipality may only access its own coupon batches');
    return batch;
  };
  const doneBatch = async (req: FastifyRequest, id: string) => {
    const batch = await ownBatch(req, id);
    if (batch.status !== 'done') throw new ApiError(409, 'BATCH_NOT_READY', `id: the batch is ${batch.status}; the due list and sheets come once it is done`);
    return batch;
  };

  app.post('/v1/coupons/batches', { preHandler: municipality, schema: { tags: ['coupons'], body: BatchBody } }, async (req, reply) => {
    const actor = actorOf(req);
    if (req.body.municipality !== undefined) ownMunicipality(req, req.body.municipality);
    const batchId = await createBatch(ctx.pool, actor.municipality!, req.body.criteria, actor);
    void runBatch({ pool: ctx.pool, ledger }, batchId, { role: actor.role, sub: actor.sub, municipality: actor.municipality }).catch((e: Error) =>
      req.log.error({ batchId, err: e.message }, 'coupon batch failed'),
    );
    return reply.code(202).send({ batchId, status: 'selecting' });
  });

  app.get('/v1/coupons/batches/:id', { preHandler: municipality, schema: { tags: ['coupons'], params: BatchParams } }, async (req) => ownBatch(req, req.params.id));

  app.get('/v1/coupons/batches/:id/due', { preHandler: municipality, schema: { tags: ['coupons'], params: BatchParams } }, async (req, reply) => {
    await doneBatch(req, req.params.id);
    const items = await batchItems(ctx.pool, req.params.id);
    const rows = await dueRows(ledger, items);
    await recordAccess(ctx.pool, actorOf(req), items.map((i) => i.stream), 'GET /v1/coupons/batches/{id}/due');
    reply.header('cache-control', 'no-store');
    if (/text\/csv/i.test(req.headers.accept ?? ''))
      return reply.type('text/csv; charset=utf-8').header('content-disposition', 'attachment; filename="coupons-due.csv"').send(dueCsv(rows.map((r) => r.row)));
    return { batchId: req.params.id, items: rows.map((r) => r.row) };
  });

  app.get('/v1/coupons/batches/:id/pdf', { preHandler: municipality, schema: { tags: ['coupons'], params: BatchParams } }, async (req, reply) => {
    await doneBatch(req, req.params.id);
    const items = await batchItems(ctx.pool, req.params.id);
    const rows = await dueRows(ledger, items);
    // A person erased since the batch ran gets no sheet: there is no name or address to print.
    const sheets = rows.flatMap(({ row, state }) => (state?.person ? [{ state, line: row.line, doseNumber: row.doseNumber, eligibleFrom: row.eligibleFrom }] : []));
    await recordAccess(ctx.pool, actorOf(req), items.map((i) => i.stream), 'GET /v1/coupons/batches/{id}/pdf');
    const pdf = await couponSheetsPdf(sheets);
    return reply.type('application/pdf').header('cache-control', 'no-store').header('content-disposition', 'attachment; filename="coupons.pdf"').send(pdf);
  });

  app.post('/v1/certificates/verify', { bodyLimit: 64 * 1024, schema: { tags: ['certificates'], body: VerifyBody } }, async (req, reply) => {
    reply.header('cache-control', 'no-store');
    if (req.body.shc !== undefined) return verifyHealthCard(req.body.shc, (await docs()).trusted());
    return verifyVds(req.body.vds, new Set((await docs()).keys.published.map((k) => k.kid)));
  });
};
