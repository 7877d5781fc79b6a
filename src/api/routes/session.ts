import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AccountError, deleteSession, findSession, recordSignIn, SESSION_MAX_SECONDS, signIn, Username } from '../../accounts/index.js';
import { ApiError } from '../apiError.js';
import type { AppContext } from '../../runtime/appContext.js';
import { actorOf, allow } from '../guard.js';
import { clearSessionCookie, sessionTokenOf, setSessionCookie } from '../sessionCookie.js';

// The password is checked against its hash only; any length is a wrong password, not a shape error naming it.
const SignInBody = z.object({ username: Username, password: z.string().min(1).max(1024) }).strict();

const SessionView = z.object({
  username: z.string(),
  role: z.enum(['municipality', 'site', 'ministry', 'auditor', 'admin']),
  municipality: z.string().nullable(),
  site: z.string().nullable(),
  csrfToken: z.string(),
  expiresAt: z.string(),
  idleExpiresAt: z.string(),
});

/** Console sign-in and sign-out (`POST`/`DELETE /v1/session`) and the current session (`GET`). */
export const sessionRoutes = async (fastify: FastifyInstance, ctx: AppContext) => {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const anyone = allow(ctx.keys.jwtSecret, ['municipality', 'site', 'ministry', 'auditor', 'admin']);

  app.post('/v1/session', { schema: { tags: ['session'], security: [], body: SignInBody, response: { 201: SessionView } } }, async (req, reply) => {
    const s = await signIn(ctx.pool, req.body.username, req.body.password, req.ip).catch((e: unknown) => {
      const wait = e instanceof AccountError ? e.details?.retryAfterSeconds : undefined;
      if (typeof wait === 'number') void reply.header('retry-after', String(wait));
      throw e;
    });
    setSessionCookie(req, reply, s.token, SESSION_MAX_SECONDS);
    void reply.header('cache-control', 'no-store');
    return reply.status(201).send({
      username: s.user.username,
      role: s.user.role,
      municipality: s.user.municipality,
      site: s.user.site,
      csrfToken: s.csrfToken,
      expiresAt: s.expiresAt.toISOString(),
      idleExpiresAt: s.idleExpiresAt.toISOString(),
    });
  });

  app.get('/v1/session', { schema: { tags: ['session'], security: [{ session: [] }], response: { 200: SessionView } } }, async (req, reply) => {
    const token = sessionTokenOf(req);
    const session = token ? await findSession(ctx.pool, token) : undefined;
    if (!session) throw new ApiError(401, 'UNAUTHENTICATED', 'not signed in');
    void reply.header('cache-control', 'no-store');
    return session;
  });

  app.delete('/v1/session', { preHandler: anyone, schema: { tags: ['session'], security: [{ session: [] }] } }, async (req, reply) => {
    actorOf(req);
    const token = sessionTokenOf(req);
    const username = token ? await deleteSession(ctx.pool, token) : undefined;
    if (username) await recordSignIn(ctx.pool, username, 'signed-out', req.ip);
    clearSessionCookie(req, reply);
    return reply.status(204).send();
  });
};
