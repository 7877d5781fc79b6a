import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { lookupByMyNumber, transferRecipient } from '../../ledger/index.js';
import type { AppContext } from '../context.js';
import { allow, actorOf } from '../guard.js';
import { commandOf, writeResponse } from '../commandOf.js';
import { LookupBody, TransferBody, WriteResponse } from '../httpSchemas.js';
import { ledgerOf } from '../ledgerOf.js';
import { recordAccess } from '../accessLog.js';

/** A municipality taking over a person who moved in: look them up by My Number (in the body), then transfer. */
export const transferRoutes = async (fastify: FastifyInstance, ctx: AppContext) => {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const ledger = ledgerOf(ctx);
  const municipalities = allow(ctx.keys.jwtSecret, ['municipality']);

  app.post('/v1/transfers/lookup', { preHandler: municipalities, schema: { tags: ['transfers'], body: LookupBody } }, async (req) => {
    const { registrations } = await lookupByMyNumber(ledger, req.body.myNumber);
    await recordAccess(ctx.pool, actorOf(req), registrations.map((r) => r.stream), 'POST /v1/transfers/lookup');
    return { registrations: registrations.map(({ stream: _s, ...r }) => r) };
  });

  app.post('/v1/transfers', { preHandler: municipalities, schema: { tags: ['transfers'], body: TransferBody, response: { 201: WriteResponse } } }, async (req, reply) => {
    const { commandId, from, to } = req.body;
    const municipality = actorOf(req).municipality!;
    const result = await transferRecipient(ledger, { from, to: { ...to, municipality } }, commandOf(req, commandId));
    return reply.status(201).send(writeResponse(result));
  });
};
