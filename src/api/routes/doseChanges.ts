import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { recipientStream } from '../../domain/index.js';
import { changeRecipient } from '../../ledger/index.js';
import type { AppContext } from '../../runtime/appContext.js';
import { allow, ownMunicipality } from '../guard.js';
import { commandOf, writeResponse } from '../commandOf.js';
import { CorrectDoseBody, DoseParams, VoidDoseBody, WriteResponse } from '../httpSchemas.js';
import { ledgerOf } from '../ledgerOf.js';

/** A municipality corrects or voids a dose of its own recipient (recording one: vaccinations.ts). */
export const doseChangeRoutes = async (fastify: FastifyInstance, ctx: AppContext) => {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const ledger = ledgerOf(ctx);
  const secret = ctx.keys.jwtSecret;

  app.post('/v1/recipients/:m/:c/vaccinations/:dose/corrections', { preHandler: allow(secret, ['municipality']), schema: { tags: ['vaccinations'], params: DoseParams, body: CorrectDoseBody, response: { 201: WriteResponse } } }, async (req, reply) => {
    ownMunicipality(req, req.params.m);
    const { commandId, ...body } = req.body;
    const result = await changeRecipient(ledger, recipientStream(req.params.m, req.params.c), { type: 'CorrectVaccination', doseNumber: req.params.dose, ...body }, commandOf(req, commandId));
    return reply.status(201).send(writeResponse(result));
  });

  app.post('/v1/recipients/:m/:c/vaccinations/:dose/void', { preHandler: allow(secret, ['municipality']), schema: { tags: ['vaccinations'], params: DoseParams, body: VoidDoseBody, response: { 201: WriteResponse } } }, async (req, reply) => {
    ownMunicipality(req, req.params.m);
    const { commandId, reason } = req.body;
    const result = await changeRecipient(ledger, recipientStream(req.params.m, req.params.c), { type: 'VoidVaccination', doseNumber: req.params.dose, reason }, commandOf(req, commandId));
    return reply.status(201).send(writeResponse(result));
  });
};
