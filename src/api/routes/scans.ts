import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import multipart from '@fastify/multipart';
import { z } from 'zod';
import { CalendarDateSchema, Maker, recipientStream } from '../../domain/index.js';
import { ingestScan, isScanId, listReview, loadScan, resolveScan, readOf, scanResult, scanServices, ScanError, ReviewReason, type ScanUpload } from '../../scans/index.js';
import type { AppContext } from '../../runtime/appContext.js';
import { allow, actorOf } from '../guard.js';
import { ApiError } from '../apiError.js';
import { ledgerOf } from '../ledgerOf.js';
import { recordAccess } from '../../personal/accessLog.js';
import type { Actor } from '../../eventstore/contract.js';

const ScanFields = z
  .object({ date: CalendarDateSchema, maker: Maker, lot: z.string().min(1).max(40).optional(), siteCode: z.string().min(1).max(32) })
  .strict();
const ScanRead = z.object({
  method: z.enum(['qr', 'ocr', 'none', 'typed']),
  line: z.string().nullable(),
  municipality: z.string().nullable(),
  coupon: z.string().nullable(),
  dose: z.number().nullable(),
});
const ScanResultSchema = z.object({
  scanId: z.string(),
  status: z.enum(['recorded', 'needs-review']),
  read: ScanRead,
  reasons: z.array(ReviewReason).optional(),
  ruleCode: z.string().optional(),
  recorded: z.object({ recipientStream: z.string(), doseNumber: z.number() }).optional(),
  duplicate: z.boolean().optional(),
});
const ScanParams = z.object({ id: z.string().max(64) });
const ResolveBody = z
  .object({
    line: z.string().max(64).refine((s) => /^\d{18}$/.test(s.normalize('NFKC').replace(/[\s\-‐－]+/g, '')), 'must be the 18 digits of the coupon line'),
    lot: z.string().min(1).max(40).optional(),
  })
  .strict();
const ReviewQuery = z.object({ limit: z.coerce.number().int().min(1).max(500).default(100), cursor: z.string().regex(/^\d{1,18}$/).optional() });
const ReviewPage = z.object({
  items: z.array(
    z.object({
      scanId: z.string(),
      scannedAt: z.string(),
      read: ScanRead.extend({ method: z.string() }),
      reasons: z.array(z.string()),
      ruleCode: z.string().nullable(),
      date: z.string(),
      maker: z.string(),
      lot: z.string().nullable(),
      imageSha256: z.string(),
    }),
  ),
  nextCursor: z.string().nullable(),
});

const siteOf = (req: FastifyRequest) => {
  const actor = actorOf(req);
  return { ...actor, site: actor.site! }; // the guard admits role site only with a site claim
};

/** Reads the multipart upload: the coupon photo, an optional lot-sticker photo, and the dose facts. */
const readUpload = async (req: FastifyRequest, maxBytes: number): Promise<ScanUpload> => {
  if (!req.isMultipart()) throw new ApiError(415, 'UNSUPPORTED_MEDIA_TYPE', 'send multipart/form-data with a `coupon` image');
  const fields: Record<string, string> = {};
  const files: Record<string, Buffer> = {};
  try {
    for await (const part of req.parts({ limits: { fileSize: maxBytes, files: 2, fields: 8, fieldSize: 1024 } })) {
      if (part.type === 'file') {
        const name = part.fieldname === 'lotImage' ? 'lot' : part.fieldname;
        if (name !== 'coupon' && name !== 'lot') throw new ApiError(400, 'INVALID_REQUEST', `${part.fieldname}: unknown file field (send coupon and optionally lot)`);
        files[name] = await part.toBuffer();
      } else if (String(part.value) !== '') fields[part.fieldname] = String(part.value); // an empty form field is an absent one
    }
  } catch (e) {
    const f = e as { code?: string; statusCode?: number };
    if (f.code === 'FST_REQ_FILE_TOO_LARGE')
      throw new ApiError(413, 'IMAGE_TOO_LARGE', `image is over the ${maxBytes}-byte limit`, { limitBytes: maxBytes });
    if (e instanceof ApiError || typeof f.statusCode === 'number') throw e;
    throw new ApiError(400, 'INVALID_REQUEST', 'the multipart body is malformed'); // e.g. cut off before its last boundary
  }
  const facts = ScanFields.parse(fields);
  if (!files.coupon) throw new ApiError(400, 'INVALID_REQUEST', 'coupon: the coupon image is required');
  return { ...facts, coupon: files.coupon, ...(files.lot ? { lotImage: files.lot } : {}) };
};

/** A dose refused on the person's data (DOSE_REFUSED, see personDependentCodes) read them: the access log says so. */
const logRefusal = async (ctx: AppContext, actor: Actor, endpoint: string, r: { ruleCode?: string; read: { municipality: string | null; coupon: string | null } }) => {
  if (r.ruleCode === 'DOSE_REFUSED' && r.read.municipality && r.read.coupon) await recordAccess(ctx.pool, actor, [recipientStream(r.read.municipality, r.read.coupon)], endpoint);
};

/** Coupon scans: upload, the site's review queue, resolve by a person. A site sees only its own scans. */
export const scanRoutes = async (fastify: FastifyInstance, ctx: AppContext) => {
  const deps = await scanServices({ ledger: ledgerOf(ctx), db: ctx.pool, schema: ctx.schema, config: ctx.config, services: ctx.services }, (msg, detail) =>
    fastify.log.info(detail ?? {}, msg),
  );
  const siteOnly = allow(ctx.keys.jwtSecret, ['site']);
  // In its own context: the multipart parser applies to these routes only.
  await fastify.register(async (child) => {
    await child.register(multipart, { throwFileSizeLimit: true });
    const app = child.withTypeProvider<ZodTypeProvider>();

    app.post('/v1/scans', { preHandler: siteOnly, schema: { tags: ['scans'], consumes: ['multipart/form-data'], response: { 200: ScanResultSchema, 201: ScanResultSchema } } }, async (req, reply) => {
      const actor = siteOf(req);
      const upload = await readUpload(req, deps.maxBytes);
      if (upload.siteCode !== actor.site) throw new ApiError(403, 'FORBIDDEN', 'siteCode: a site uploads only scans made at its own site');
      const { created, ...result } = await ingestScan(deps, upload, actor);
      await logRefusal(ctx, actor, 'POST /v1/scans', result);
      return reply.status(created ? 201 : 200).send(result);
    });

    app.get('/v1/scans/review', { preHandler: siteOnly, schema: { tags: ['scans'], querystring: ReviewQuery, response: { 200: ReviewPage } } }, async (req) =>
      listReview(deps.db, siteOf(req).site, req.query.limit, req.query.cursor ? Number(req.query.cursor) : 0),
    );

    const ownScan = async (req: FastifyRequest, id: string) => {
      const loaded = isScanId(id) ? await loadScan(deps.ledger.store, id) : null;
      if (!loaded || loaded.state.kind !== 'scanned' || loaded.state.scanned.site !== siteOf(req).site) throw new ScanError('SCAN_NOT_FOUND', 'no such scan at this site');
      return loaded.state;
    };

    app.get('/v1/scans/:id', { preHandler: siteOnly, schema: { tags: ['scans'], params: ScanParams, response: { 200: ScanResultSchema } } }, async (req) =>
      scanResult(req.params.id, await ownScan(req, req.params.id)),
    );

    app.get('/v1/scans/:id/image', { preHandler: siteOnly, schema: { tags: ['scans'], params: ScanParams } }, async (req, reply) => {
      const s = await ownScan(req, req.params.id);
      const image = await deps.images.get(s.scanned.imageSha256);
      if (!image) throw new ApiError(410, 'IMAGE_EXPIRED', 'the photo is past its retention period');
      // A coupon photo shows a person's coupon (and often name and address): its reads go in the access log like
      // any other read of a person, under the scan and the recipient it was recorded on (else the one its line names).
      const read = readOf(s);
      const recipient = s.accepted?.recipientStream ?? (read.municipality && read.coupon ? recipientStream(read.municipality, read.coupon) : undefined);
      await recordAccess(ctx.pool, actorOf(req), [`scan-${req.params.id}`, ...(recipient ? [recipient] : [])], 'GET /v1/scans/{id}/image');
      return reply.header('content-type', 'application/octet-stream').header('cache-control', 'private, no-store').send(image);
    });

    app.post('/v1/scans/:id/resolve', { preHandler: siteOnly, schema: { tags: ['scans'], params: ScanParams, body: ResolveBody, response: { 200: ScanResultSchema } } }, async (req) => {
      if (!isScanId(req.params.id)) throw new ScanError('SCAN_NOT_FOUND', 'no such scan at this site');
      const result = await resolveScan(deps, req.params.id, req.body, siteOf(req));
      await logRefusal(ctx, siteOf(req), 'POST /v1/scans/{id}/resolve', result);
      return result;
    });
  });
};
