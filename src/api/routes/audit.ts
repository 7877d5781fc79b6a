import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../runtime/appContext.js';
import { allow } from '../guard.js';
import { readSignIns } from '../../accounts/index.js';

const AccessQuery = z.object({
  record: z.string().max(200).optional(),
  actor: z.string().max(200).optional(),
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
  limit: z.coerce.number().int().min(1).max(10_000).default(1000),
});

const SignInQuery = z.object({
  username: z.string().max(64).optional(),
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
  limit: z.coerce.number().int().min(1).max(10_000).default(500),
});

/** Auditors read who read which person's data, and when. */
export const auditRoutes = async (fastify: FastifyInstance, ctx: AppContext) => {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  app.get('/v1/audit/access', { preHandler: allow(ctx.keys.jwtSecret, ['auditor']), schema: { tags: ['audit'], querystring: AccessQuery } }, async (req) => {
    const q = req.query;
    const { rows } = await ctx.pool.query<{ at: Date; actor: unknown; record: string; endpoint: string }>(
      `SELECT at, actor, record, endpoint FROM access_log
       WHERE ($1::text IS NULL OR record = $1) AND ($2::text IS NULL OR actor_sub = $2)
         AND ($3::timestamptz IS NULL OR at >= $3) AND ($4::timestamptz IS NULL OR at <= $4)
       ORDER BY id LIMIT $5`,
      [q.record ?? null, q.actor ?? null, q.from ?? null, q.to ?? null, q.limit],
    );
    return { entries: rows.map((r) => ({ ...r, at: r.at.toISOString() })) };
  });

  // Console sign-ins, failures, lockouts and sign-outs, newest first.
  app.get('/v1/audit/sign-ins', { preHandler: allow(ctx.keys.jwtSecret, ['auditor']), schema: { tags: ['audit'], querystring: SignInQuery } }, async (req) => ({
    entries: await readSignIns(ctx.pool, req.query),
  }));
};
