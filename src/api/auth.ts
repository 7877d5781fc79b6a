import { jwtVerify, SignJWT } from 'jose';
import { z } from 'zod';
import type { FastifyRequest } from 'fastify';
import { ApiError } from './apiError.js';
import type { Actor } from '../eventstore/contract.js';
import { twoGenerationCache, type TwoGenerationCache } from '../cache/twoGenerationCache.js';

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

type Caller = Actor & { role: Role };

/**
 * Verified tokens, per secret, until their expiry: a site sends the same token on every request, and jose's
 * HMAC verify (WebCrypto key import + sign) cost ~350 µs of CPU per request. Bounded; a hit re-checks `exp`.
 */
const verified = new WeakMap<Uint8Array, TwoGenerationCache<string, { caller: Caller; exp: number }>>();
const CACHE_MAX = 10_000;

/** The caller, from `Authorization: Bearer <JWT>`; 401 when missing or invalid. */
export const authenticate = async (secret: Uint8Array, req: FastifyRequest): Promise<Caller> => {
  const header = req.headers.authorization;
  const token = /^Bearer (\S+)$/i.exec(header ?? '')?.[1];
  if (!token) throw new ApiError(401, 'UNAUTHENTICATED', 'Authorization: Bearer <token> is required');
  let cache = verified.get(secret);
  if (!cache) verified.set(secret, (cache = twoGenerationCache(CACHE_MAX)));
  const hit = cache.get(token);
  if (hit && hit.exp > Date.now() / 1000) return hit.caller;
  if (hit) cache.delete(token);
  const caller = await verify(secret, token);
  if (typeof caller.exp === 'number') {
    cache.set(token, { caller: caller.c, exp: caller.exp });
  }
  return caller.c;
};

const verify = async (secret: Uint8Array, token: string): Promise<{ c: Caller; exp?: number }> => {
  try {
    const { payload } = await jwtVerify(token, secret, { algorithms: ['HS256'] });
    const parsed = claims.safeParse(payload);
    if (!parsed.success) throw new Error('claims');
    const c = parsed.data;
    if (c.role === 'municipality' && !c.municipality) throw new Error('municipality claim missing');
    if (c.role === 'site' && !c.site) throw new Error('site claim missing');
    return { c, exp: payload.exp };
  } catch {
    throw new ApiError(401, 'UNAUTHENTICATED', 'the token is invalid or expired');
  }
};
