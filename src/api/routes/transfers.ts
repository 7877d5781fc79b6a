import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { parseRecipientStream, recipientStream } from '../../domain/index.js';
import { lookupByMyNumber, transferRecipient } from '../../ledger/index.js';
import type { AppContext } from '../../runtime/appContext.js';
import { allow, actorOf } from '../guard.js';
import { commandOf, writeResponse } from '../commandOf.js';
import { LookupBody, TransferBody, WriteResponse } from '../httpSchemas.js';
import { ledgerOf } from '../ledgerOf.js';
import { recordAccess } from '../../personal/accessLog.js';
import { perCaller } from '../rateLimits.js';

const TRANSFER = 'POST /v1/transfers';
/** Refusals decided on the request alone, before any record is read: nothing was looked at, nothing to log. */
const REQUEST_ONLY = new Set(['INVALID_MUNICIPALITY_CODE', 'INVALID_COUPON_NUMBER', 'INVALID_MY_NUMBER', 'INVALID_CONSENT', 'TRANSFER_SAME_MUNICIPALITY']);

/**
 * A municipality taking over a person who moved in: look them up by My Number (in the body), then transfer,
 * proving with the My Number and the person's consent that the person moving is the one registered there.
 */
export const transferRoutes = async (fastify: FastifyInstance, ctx: AppContext) => {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const ledger = ledgerOf(ctx);
  const municipalities = allow(ctx.keys.jwtSecret, ['municipality']);
  const window = ctx.config.VRS_RATE_WINDOW_SECONDS;
  const lookups = perCaller(fastify, { name: 'transfer look-ups', max: ctx.config.VRS_RATE_LOOKUPS, windowSeconds: window });
  const transfers = perCaller(fastify, { name: 'transfers', max: ctx.config.VRS_RATE_TRANSFERS, windowSeconds: window });

  app.post('/v1/transfers/lookup', { preHandler: [municipalities, lookups], schema: { tags: ['transfers'], body: LookupBody } }, async (req) => {
    const { registrations } = await lookupByMyNumber(ledger, req.body.myNumber);
    await recordAccess(ctx.pool, actorOf(req), registrations.map((r) => r.stream), 'POST /v1/transfers/lookup');
    // DESIGN's shape exactly: where the person was registered, its status and doses; nothing personal.
    return {
      registrations: registrations.map((r) => ({
        municipality: r.municipality,
        coupon: r.coupon,
        status: r.status,
        doses: r.doses.map((d) => ({ doseNumber: d.doseNumber, date: d.date, vaccine: { maker: d.vaccine.maker, lot: d.vaccine.lot }, siteCode: d.siteCode, source: d.source, corrected: d.corrected })),
      })),
    };
  });

  app.post('/v1/transfers', { preHandler: [municipalities, transfers], schema: { tags: ['transfers'], body: TransferBody, response: { 201: WriteResponse } } }, async (req, reply) => {
    const { commandId, from, myNumber, consent, to } = req.body;
    const actor = actorOf(req);
    // The record the caller aimed at, named in canonical form; written to the access log whether it worked or not.
    const target = recipientStream(from.municipality, from.coupon);
    const command = commandOf(req, commandId); // a malformed Idempotency-Key is a 400 before anything is read
    try {
      const result = await transferRecipient(ledger, { from, myNumber, consent, to: { ...to, municipality: actor.municipality! } }, command);
      await recordAccess(ctx.pool, actor, [target], TRANSFER);
      return reply.status(201).send(writeResponse(result));
    } catch (e) {
      // A refused take-over is what probing looks like: auditors see every one that reached a record (a shape error
      // never reaches here; a target that is no recipient stream name, e.g. a coupon with letters, names no record).
      if (parseRecipientStream(target) && !REQUEST_ONLY.has((e as { code?: string }).code ?? '')) await recordAccess(ctx.pool, actor, [target], TRANSFER);
      throw e;
    }
  });
};
