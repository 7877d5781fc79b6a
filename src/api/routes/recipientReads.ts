import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { recipientStream, toVaccinationStatus, DomainError } from '../../domain/index.js';
import { loadRecipient, type LoadedRecipient } from '../../ledger/index.js';
import type { AppContext } from '../../runtime/appContext.js';
import { allow, actorOf, ownMunicipality } from '../guard.js';
import { HistoryQuery, RecipientParams } from '../httpSchemas.js';
import { ledgerOf } from '../ledgerOf.js';
import { recordAccess } from '../../personal/accessLog.js';

const notFound = () => new DomainError('RECIPIENT_NOT_FOUND', 'no recipient is registered under this municipality and coupon');

/** 接種状況 as DESIGN fixes it; null person once erased. */
export const statusView = (loaded: LoadedRecipient) => {
  const view = toVaccinationStatus(loaded.state);
  if (!view || loaded.state.kind !== 'registered') throw notFound();
  return { municipality: loaded.state.municipality, coupon: loaded.state.coupon, ...view, version: Number(loaded.version) };
};

/** History shows the personal fields to those allowed to read them, but never the My Number. */
export const withoutMyNumber = (data: Record<string, unknown>) => {
  const personal = data.personal as Record<string, unknown> | null | undefined;
  if (!personal || !('myNumber' in personal)) return data;
  const { myNumber: _hidden, ...rest } = personal;
  return { ...data, personal: { ...rest, myNumber: '[recorded]' } };
};

export const recipientReadRoutes = async (fastify: FastifyInstance, ctx: AppContext) => {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const ledger = ledgerOf(ctx);
  const readers = allow(ctx.keys.jwtSecret, ['municipality', 'auditor']);

  app.get('/v1/recipients/:m/:c', { preHandler: readers, schema: { tags: ['recipients'], params: RecipientParams } }, async (req) => {
    ownMunicipality(req, req.params.m);
    const stream = recipientStream(req.params.m, req.params.c);
    const loaded = await loadRecipient(ledger, stream);
    const view = statusView(loaded);
    await recordAccess(ctx.pool, actorOf(req), [stream], 'GET /v1/recipients/{m}/{c}');
    return view;
  });

  app.get('/v1/recipients/:m/:c/history', { preHandler: readers, schema: { tags: ['recipients'], params: RecipientParams, querystring: HistoryQuery } }, async (req) => {
    ownMunicipality(req, req.params.m);
    const stream = recipientStream(req.params.m, req.params.c);
    const asOf = req.query.asOf ? new Date(req.query.asOf) : undefined;
    const loaded = await loadRecipient(ledger, stream, asOf);
    // Before its registration a recipient has an empty history; one that was never registered is not found.
    if (loaded.version === 0n && (!asOf || (await loadRecipient(ledger, stream)).version === 0n)) throw notFound();
    await recordAccess(ctx.pool, actorOf(req), [stream], 'GET /v1/recipients/{m}/{c}/history');
    return {
      events: loaded.events.map((e) => ({
        type: e.type,
        version: Number(e.version),
        position: Number(e.position),
        recordedAt: e.recordedAt.toISOString(),
        actor: e.metadata.actor ?? null,
        reason: typeof e.data.reason === 'string' ? e.data.reason : undefined,
        data: withoutMyNumber(e.data),
      })),
      state: loaded.state.kind === 'registered' ? statusView(loaded) : null,
      asOf: asOf?.toISOString() ?? null,
    };
  });
};
