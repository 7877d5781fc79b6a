import { jwtVerify, SignJWT } from 'jose';
import { z } from 'zod';
import type { FastifyRequest } from 'fastify';
import { ApiError } from './apiError.js';
import type { Actor } from '../eventstore/contract.js';

export const Role = z.enum(['municipality', 'site', 'ministry', 'auditor', 'admin']);
export type Role = z.infer<typeof Role>;

const claims = z.object({
  role: Role,
  sub: z.string().min(1).default('anonymous'),
  municipality: z.string().regex(/^\d{6}$/).optional(),
  site: z.string().min(1).max(64).optional(),
});

export const signToken = async (
  secret: Uint8Array,
  c: { role: Role; municipality?: string; site?: string; sub?: string },
  ttl = '12h',
) =>
  new SignJWT({ role: c.role, municipality: c.municipality, site: c.site })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(c.sub ?? `${c.role}:${c.municipality ?? c.site ?? 'cli'}`)
    .setIssuedAt()
    .setExpirationTime(ttl)
    .sign(secret);

/** The caller, from `Authorization: Bearer <JWT>`; 401 when missing or invalid. */
export const authenticate = async (secret: Uint8Array, req: FastifyRequest): Promise<Actor & { role: Role }> => {
  const header = req.headers.authorization;
  const token = /^Bearer (\S+)$/i.exec(header ?? '')?.[1];
  if (!token) throw new ApiError(401, 'UNAUTHENTICATED', 'Authorization: Bearer <token> is required');
  try {
    const { payload } = await jwtVerify(token, secret, { algorithms: ['HS256'] });
    const parsed = claims.safeParse(payload);
    if (!parsed.success) throw new Error('claims');
    const c = parsed.data;
    if (c.role === 'municipality' && !c.municipality) throw new Error('municipality claim missing');
    if (c.role === 'site' && !c.site) throw new Error('site claim missing');
    return c;
  } catch {
    throw new ApiError(401, 'UNAUTHENTICATED', 'the token is invalid or expired');
  }
};
