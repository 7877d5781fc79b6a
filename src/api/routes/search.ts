import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { CalendarDateSchema } from '../../domain/index.js';
import { blindIndexKey } from '../../personal/blindIndex.js';
import { projectionsService } from '../../projections/projectionsService.js';
import { createCursorCodec } from '../../projections/recipientStatus/searchCursor.js';
import { searchKana } from '../../projections/recipientStatus/searchKana.js';
import { searchRecipients } from '../../projections/recipientStatus/searchRecipients.js';
import type { StatusRow } from '../../projections/recipientStatus/statusRow.js';
import { recordAccess } from '../../personal/accessLog.js';
import { ApiError } from '../apiError.js';
import type { AppContext } from '../../runtime/appContext.js';
import { actorOf, allow, ownMunicipality } from '../guard.js';
import { MunicipalityParam } from '../httpSchemas.js';

const SearchQuery = z
  .object({
    municipality: MunicipalityParam.optional(),
    nameKana: z.string().max(100).optional(),
    birthDate: CalendarDateSchema.optional(),
    status: z.enum(['active', 'transferred-out', 'erased']).optional(),
    cursor: z.string().max(512).optional(),
    limit: z.coerce.number().int().min(1).max(200).default(50),
  })
  .strict();

const Dose = z.object({
  doseNumber: z.number(),
  date: z.string(),
  vaccine: z.object({ maker: z.string(), lot: z.string() }),
  siteCode: z.string(),
  source: z.string(),
  corrected: z.boolean(),
});
const SearchPage = z.object({
  items: z.array(
    z.object({
      municipality: z.string(),
      coupon: z.string(),
      addressNumber: z.string().nullable(),
      status: z.enum(['active', 'transferred-out', 'erased']),
      person: z.object({ name: z.string(), nameKana: z.string(), birthDate: z.string(), sex: z.string().nullable() }).nullable(),
      doses: z.array(Dose.passthrough()),
      nextEligibleDate: z.string().nullable(),
      version: z.number(),
    }),
  ),
  nextCursor: z.string().nullable(),
  asOfPosition: z.number(),
});

/** 接種状況 as DESIGN fixes it (plus the address number, null once erased), from the read model. */
export const searchItem = (r: StatusRow) => ({
  municipality: r.municipality,
  coupon: r.coupon,
  addressNumber: r.addressNumber,
  status: r.status,
  person: r.name !== null && r.nameKana !== null && r.birthDate !== null ? { name: r.name, nameKana: r.nameKana, birthDate: r.birthDate, sex: r.sex } : null,
  doses: r.doses,
  nextEligibleDate: r.nextEligibleDate,
  version: Number(r.version),
});

/**
 * `GET /v1/recipients`: a municipality searches its own people in the recipient_status read model: kana prefix
 * (normalised), birth date, status, keyset pages in coupon order (names are sealed in the table). `asOfPosition` is the log position the answer reflects.
 */
export const searchRoutes = async (fastify: FastifyInstance, ctx: AppContext) => {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const cursors = createCursorCodec(ctx.keys.hmac);
  const bixKey = blindIndexKey(ctx.keys.hmac);
  await projectionsService(ctx).ready();

  const search = async (req: FastifyRequest, q: z.infer<typeof SearchQuery>, endpoint: string) => {
    const actor = actorOf(req);
    const municipality = q.municipality ?? actor.municipality;
    if (!municipality) throw new ApiError(403, 'FORBIDDEN', 'the token names no municipality');
    ownMunicipality(req, municipality);
    const after = q.cursor ? cursors.decode(municipality, q.cursor) : undefined;
    const page = await searchRecipients(ctx.pool, {
      municipality,
      kanaPrefix: q.nameKana ? searchKana(q.nameKana) : undefined,
      birthDate: q.birthDate,
      status: q.status,
      after,
      limit: q.limit,
    }, ctx.dataKeys.getMany, bixKey);
    await recordAccess(ctx.pool, actor, page.rows.map((r) => r.stream), endpoint);
    return {
      items: page.rows.map(searchItem),
      nextCursor: page.next ? cursors.encode(municipality, page.next) : null,
      asOfPosition: Number(page.asOfPosition),
    };
  };
  const municipalityOnly = allow(ctx.keys.jwtSecret, ['municipality']);

  app.get('/v1/recipients', { preHandler: municipalityOnly, schema: { tags: ['recipients'], querystring: SearchQuery } }, async (req) =>
    search(req, req.query, 'GET /v1/recipients'),
  );

  // The same search with the criteria in the body: a name or birth date never travels in a URL (the console uses this).
  app.post('/v1/recipients/search', { preHandler: municipalityOnly, schema: { tags: ['recipients'], body: SearchQuery, response: { 200: SearchPage } } }, async (req) =>
    search(req, req.body, 'POST /v1/recipients/search'),
  );
};
