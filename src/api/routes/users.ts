import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AccountRole, addUser, disableUser, generatePassword, refineUserScope, unlockUser, listUsers, Password, SiteCode, Username } from '../../accounts/index.js';
import { parseMunicipalityCode } from '../../domain/index.js';
import type { AppContext } from '../../runtime/appContext.js';
import { actorOf, allow } from '../guard.js';

const UserView = z.object({
  username: z.string(),
  role: AccountRole,
  municipality: z.string().nullable(),
  site: z.string().nullable(),
  createdAt: z.string(),
  createdBy: z.string(),
  disabledAt: z.string().nullable(),
});

const Municipality = z.string().transform((s, c) => {
  const r = parseMunicipalityCode(s, 'municipality');
  if (r.ok) return r.value;
  c.addIssue({ code: 'custom', message: r.error.message });
  return z.NEVER;
});

/** A new user: a municipality user names its municipality, a site user its site, others neither. */
export const NewUserBody = z
  .object({ username: Username, role: AccountRole, municipality: Municipality.optional(), site: SiteCode.optional(), password: Password.optional() })
  .strict()
  .superRefine(refineUserScope);

/** Admins manage console users; a generated password is in the answer once and stored only as its hash. */
export const userRoutes = async (fastify: FastifyInstance, ctx: AppContext) => {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const admin = allow(ctx.keys.jwtSecret, ['admin']);

  app.get('/v1/users', { preHandler: admin, schema: { tags: ['users'], response: { 200: z.object({ users: z.array(UserView) }) } } }, async () => ({ users: await listUsers(ctx.pool) }));

  app.post(
    '/v1/users',
    { preHandler: admin, schema: { tags: ['users'], body: NewUserBody, response: { 201: z.object({ user: UserView, generatedPassword: z.string().optional() }) } } },
    async (req, reply) => {
      const { password, ...u } = req.body;
      const generated = password === undefined ? generatePassword() : undefined;
      const user = await addUser(ctx.pool, { ...u, password: password ?? generated! }, actorOf(req).sub);
      void reply.header('cache-control', 'no-store');
      return reply.status(201).send({ user, ...(generated ? { generatedPassword: generated } : {}) });
    },
  );

  app.post(
    '/v1/users/:username/disable',
    { preHandler: admin, schema: { tags: ['users'], params: z.object({ username: Username }), response: { 200: z.object({ user: UserView }) } } },
    async (req) => ({ user: await disableUser(ctx.pool, req.params.username, actorOf(req).sub) }),
  );

  app.post(
    '/v1/users/:username/unlock',
    { preHandler: admin, schema: { tags: ['users'], params: z.object({ username: Username }), response: { 200: z.object({ user: UserView }) } } },
    async (req) => ({ user: await unlockUser(ctx.pool, req.params.username, actorOf(req).sub) }),
  );
};
