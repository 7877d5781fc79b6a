import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { recipientStream } from '../../domain/index.js';
import { changeRecipient } from '../../ledger/index.js';
import type { AppContext } from '../context.js';
import { allow, actorOf, ownMunicipality } from '../guard.js';
import { commandOf, writeResponse } from '../commandOf.js';
import { ApiError } from '../apiError.js';
import { RecordDoseBody, WriteResponse } from '../httpSchemas.js';
import { ledgerOf } from '../ledgerOf.js';

/** A site records a dose it gave (its own site code); a municipality records one for its own recipient. */
export const vaccinationRoutes = async (fastify: FastifyInstance, ctx: AppContext) => {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const ledger = ledgerOf(ctx);
  app.post('/v1/vaccinations', { preHandler: allow(ctx.keys.jwtSecret, ['site', 'municipality']), schema: { tags: ['vaccinations'], body: RecordDoseBody, response: { 201: WriteResponse } } }, async (req, reply) => {
    const { commandId, municipality, coupon, ...dose } = req.body;
    const actor = actorOf(req);
    if (actor.role === 'site' && actor.site !== dose.siteCode) throw new ApiError(403, 'FORBIDDEN', 'siteCode: a site records only doses given at its own site');
    ownMunicipality(req, municipality);
    const result = await changeRecipient(ledger, recipientStream(municipality, coupon), { type: 'RecordVaccination', municipality, coupon, source: 'manual', ...dose }, commandOf(req, commandId));
    return reply.status(201).send(writeResponse(result));
  });
};
