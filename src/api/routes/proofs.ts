import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { proofsService, LOG_NAMES } from '../../proofs/proofsService.js';
import { ProofError } from '../../proofs/proofErrors.js';
import type { AppContext } from '../../runtime/appContext.js';
import { actorOf, allow } from '../guard.js';
import { HistoryQuery, RecipientParams } from '../httpSchemas.js';
import { evidenceOf } from '../evidenceOf.js';

/** A tree size or position: a decimal count, at most 2^53 (what JSON numbers in the answers can carry). */
const Count = z
  .string()
  .regex(/^(0|[1-9][0-9]{0,15})$/, 'must be a whole number without leading zeros')
  .transform((s) => BigInt(s))
  .refine((n) => n <= BigInt(Number.MAX_SAFE_INTEGER), 'is too large');
const Log = z.enum(LOG_NAMES).default('events');

const CheckpointQuery = z.object({ log: Log, size: Count.optional() }).strict();
const KeyQuery = z.object({ log: Log }).strict();
const InclusionQuery = z.object({ log: Log, position: Count, treeSize: Count.optional() }).strict();
const ConsistencyQuery = z.object({ log: Log, from: Count, to: Count.optional() }).strict();

/**
 * The transparency logs (RFC 9162 over the ledger's events and over the access log), for auditors: signed
 * checkpoints (C2SP), the log's public key, inclusion and consistency proofs, and evidence bundles.
 */
export const proofRoutes = async (fastify: FastifyInstance, ctx: AppContext) => {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const auditor = allow(ctx.keys.jwtSecret, ['auditor']);
  const proofs = proofsService(ctx);

  /** The latest checkpoint's size when the caller names none: proofs are then against what it can verify. */
  const signedSize = async (log: (typeof LOG_NAMES)[number]) => {
    await proofs.ready();
    const latest = await proofs.latest(log);
    if (!latest) throw new ProofError('CHECKPOINT_NOT_FOUND', `the ${log} log has no signed checkpoint yet`);
    return latest.size;
  };

  app.get('/v1/ledger/checkpoint', { preHandler: auditor, schema: { tags: ['proofs'], querystring: CheckpointQuery } }, async (req, reply) => {
    await proofs.ready();
    const { log, size } = req.query;
    const c = size === undefined ? await proofs.latest(log) : await proofs.checkpointAt(log, size);
    if (!c) throw new ProofError('CHECKPOINT_NOT_FOUND', size === undefined ? `the ${log} log has no signed checkpoint yet` : `no checkpoint of the ${log} log was signed at size ${size}`);
    return reply.header('content-type', 'text/plain; charset=utf-8').header('cache-control', 'no-store').send(c.note);
  });

  app.get('/v1/ledger/key', { preHandler: auditor, schema: { tags: ['proofs'], querystring: KeyQuery } }, async (req, reply) => {
    return reply.header('content-type', 'text/plain; charset=utf-8').send(`${await proofs.verifierKey(req.query.log)}\n`);
  });

  app.get('/v1/ledger/proofs/inclusion', { preHandler: auditor, schema: { tags: ['proofs'], querystring: InclusionQuery } }, async (req) => {
    const { log, position } = req.query;
    const treeSize = req.query.treeSize ?? (await signedSize(log));
    await proofs.ready();
    return proofs.inclusion(log, position, treeSize);
  });

  app.get('/v1/ledger/proofs/consistency', { preHandler: auditor, schema: { tags: ['proofs'], querystring: ConsistencyQuery } }, async (req) => {
    const { log, from } = req.query;
    const to = req.query.to ?? (await signedSize(log));
    await proofs.ready();
    return proofs.consistency(log, from, to);
  });

  app.get('/v1/audit/evidence/:m/:c', { preHandler: auditor, schema: { tags: ['proofs'], params: RecipientParams, querystring: HistoryQuery } }, async (req, reply) => {
    const asOf = req.query.asOf ? new Date(req.query.asOf) : undefined;
    const bundle = await evidenceOf(ctx, req.params.m, req.params.c, asOf, actorOf(req), 'GET /v1/audit/evidence/{m}/{c}');
    return reply
      .header('content-disposition', `attachment; filename="evidence-${req.params.m}-${req.params.c}.json"`)
      .header('cache-control', 'private, no-store')
      .send(bundle);
  });
};
