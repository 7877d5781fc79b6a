import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { recipientStream } from '../../domain/index.js';
import { changeRecipient, handleRegisterRecipient } from '../../ledger/index.js';
import type { AppContext } from '../../runtime/appContext.js';
import { allow, actorOf, isOwnMunicipality, ownMunicipality } from '../guard.js';
import { commandOf, writeResponse } from '../commandOf.js';
import { ApiError } from '../apiError.js';
import { CorrectDetailsBody, EraseBody, RecipientParams, RegisterBody, WriteResponse } from '../httpSchemas.js';
import { ledgerOf } from '../ledgerOf.js';

const requireOwn = (req: FastifyRequest, municipality: string) => {
  if (!isOwnMunicipality(actorOf(req), municipality)) throw new ApiError(403, 'FORBIDDEN', 'municipality: a municipality registers only its own recipients');
};

/** Registration, personal-detail corrections and erasure (dose corrections and voids: doseChanges.ts). */
export const recipientRoutes = async (fastify: FastifyInstance, ctx: AppContext) => {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const ledger = ledgerOf(ctx);
  const secret = ctx.keys.jwtSecret;

  app.post('/v1/recipients', { preHandler: allow(secret, ['municipality']), schema: { tags: ['recipients'], body: RegisterBody, response: { 201: WriteResponse } } }, async (req, reply) => {
    const { commandId, ...input } = req.body;
    requireOwn(req, input.municipality);
    const result = await handleRegisterRecipient(ledger, input, commandOf(req, commandId));
    return reply.status(201).send(writeResponse(result));
  });

  app.post('/v1/recipients/:m/:c/corrections', { preHandler: allow(secret, ['municipality']), schema: { tags: ['recipients'], params: RecipientParams, body: CorrectDetailsBody, response: { 201: WriteResponse } } }, async (req, reply) => {
    ownMunicipality(req, req.params.m);
    const { commandId, ...body } = req.body;
    const result = await changeRecipient(ledger, recipientStream(req.params.m, req.params.c), { type: 'CorrectRecipientDetails', ...body }, commandOf(req, commandId));
    return reply.status(201).send(writeResponse(result));
  });

  app.delete('/v1/recipients/:m/:c/personal-data', { preHandler: allow(secret, ['admin']), schema: { tags: ['recipients'], params: RecipientParams, body: EraseBody, response: { 200: WriteResponse } } }, async (req) => {
    const { commandId, reason } = req.body;
    const result = await changeRecipient(ledger, recipientStream(req.params.m, req.params.c), { type: 'ErasePersonalData', reason }, commandOf(req, commandId));
    return writeResponse(result);
  });
};
