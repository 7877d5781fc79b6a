import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { doseRefusedForSite, isDomainError, isPersonDependent, recipientStream } from '../../domain/index.js';
import { changeRecipient } from '../../ledger/index.js';
import type { AppContext } from '../../runtime/appContext.js';
import { allow, actorOf, ownMunicipality } from '../guard.js';
import { commandOf, writeResponse } from '../commandOf.js';
import { ApiError } from '../apiError.js';
import { RecordDoseBody, WriteResponse } from '../httpSchemas.js';
import { ledgerOf } from '../ledgerOf.js';
import { recordAccess } from '../../personal/accessLog.js';
import { perCallerRefusals } from '../rateLimits.js';

const ENDPOINT = 'POST /v1/vaccinations';

/** A site records a dose it gave (its own site code); a municipality records one for its own recipient. */
export const vaccinationRoutes = async (fastify: FastifyInstance, ctx: AppContext) => {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const ledger = ledgerOf(ctx);
  // A site refused too often is probing: its refusals (not its records) are limited, per site code.
  const refusals = perCallerRefusals(fastify, {
    name: 'refused dose records',
    max: ctx.config.VRS_RATE_SITE_REFUSALS,
    windowSeconds: ctx.config.VRS_RATE_WINDOW_SECONDS,
    keyOf: (req) => `site:${actorOf(req).site ?? ''}`,
  });
  const siteRefusalsLeft = async (req: FastifyRequest, reply: FastifyReply) => {
    if (actorOf(req).role === 'site') await refusals.before(req, reply);
  };
  app.post('/v1/vaccinations', { preHandler: [allow(ctx.keys.jwtSecret, ['site', 'municipality']), siteRefusalsLeft], schema: { tags: ['vaccinations'], body: RecordDoseBody, response: { 201: WriteResponse } } }, async (req, reply) => {
    const { commandId, municipality, coupon, ...dose } = req.body;
    const actor = actorOf(req);
    if (actor.role === 'site' && actor.site !== dose.siteCode) throw new ApiError(403, 'FORBIDDEN', 'siteCode: a site records only doses given at its own site');
    ownMunicipality(req, municipality);
    const stream = recipientStream(municipality, coupon);
    try {
      const result = await changeRecipient(ledger, stream, { type: 'RecordVaccination', municipality, coupon, source: 'manual', ...dose }, commandOf(req, commandId));
      return reply.status(201).send(writeResponse(result));
    } catch (e) {
      if (!isDomainError(e)) throw e;
      // A refusal decided on the person's data read it: the access log says who was refused on whom.
      if (isPersonDependent(e)) await recordAccess(ctx.pool, actor, [stream], ENDPOINT);
      if (actor.role !== 'site') throw e;
      const limited = await refusals.refused(req, reply);
      if (limited) throw limited;
      throw isPersonDependent(e) ? doseRefusedForSite() : e;
    }
  });
};
