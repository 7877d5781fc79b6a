import { jwtVerify, SignJWT } from 'jose';
import { timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import type { FastifyRequest } from 'fastify';
import { ApiError } from './apiError.js';
import type { Actor } from '../eventstore/contract.js';
import { durationSeconds } from '../runtime/config.js';
import { MAP_ENTRY_BYTES, stringBytes, twoGenerationCache, type TwoGenerationCache } from '../cache/twoGenerationCache.js';
import type { Session } from '../accounts/index.js';
import { sessionTokenOf } from './sessionCookie.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** Console sessions (buildApp): the live session behind a cookie token. */
    consoleSessions?: { find: (token: string) => Promise<Session | undefined> };
  }
}

export const Role = z.enum(['municipality', 'site', 'ministry', 'auditor', 'admin']);
export type Role = z.infer<typeof Role>;

const claims = z.object({
  role: Role,
  sub: z.string().min(1).max(200),
  iat: z.number(),
  exp: z.number(),
  municipality: z.string().regex(/^\d{6}$/).optional(),
  site: z.string().min(1).max(64).optional(),
});

/**
 * A token for `c`, living `ttl` (seconds, or a duration such as `12h`). `iat` and `exp` come from one reading of
 * the clock: read twice, a second boundary between the readings made `exp − iat` one second over the lifetime.
 */
export const signToken = async (
  secret: Uint8Array,
  c: { role: Role; municipality?: string; site?: string; sub?: string },
  ttl: number | string = '12h',
) => {
  const now = Math.floor(Date.now() / 1000);
  const seconds = typeof ttl === 'number' ? ttl : durationSeconds.parse(ttl);
  return new SignJWT({ role: c.role, municipality: c.municipality, site: c.site })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(c.sub ?? `${c.role}:${c.municipality ?? c.site ?? 'cli'}`)
    .setIssuedAt(now)
    .setExpirationTime(now + seconds)
    .sign(secret);
};

type Caller = Actor & { role: Role };

/** The longest token lifetime when the configuration gives none (VRS_TOKEN_MAX_TTL). */
export const DEFAULT_TOKEN_MAX_TTL = 12 * 3600;
/**
 * Clocks of the issuer and this server may differ a little: an `iat` further ahead is not believed, and a lifetime
 * is over the cap only when it exceeds it by more (another issuer may round `iat` and `exp` apart by a second).
 */
const CLOCK_SKEW_SECONDS = 60;

/**
 * Verified tokens, per secret, lifetime cap and cache bound, until their expiry: a site sends the same token on every request,
 * and jose's HMAC verify (WebCrypto key import + sign) cost ~350 µs of CPU per request. Bounded; a hit re-checks
 * `exp` (exp − now only shrinks, so a token under the cap when verified stays under it).
 */
type Verified = { caller: Caller; exp: number };
const verified = new WeakMap<Uint8Array, Map<string, TwoGenerationCache<string, Verified>>>();
/** The default bound (VRS_CACHE_TOKENS_BYTES): about 8,000 tokens of ~300 characters. */
export const DEFAULT_TOKEN_CACHE_BYTES = 4 * 1024 * 1024;
/** A verified entry past its strings: the entry object (40), the caller object (56), the number exp (16). */
const VERIFIED_BYTES = 112;
const tokenBytes = (token: string, v: Verified) =>
  MAP_ENTRY_BYTES + stringBytes(token) + VERIFIED_BYTES + stringBytes(v.caller.sub) + (v.caller.municipality ? 24 : 0) + (v.caller.site ? stringBytes(v.caller.site) : 0);

const cacheFor = (secret: Uint8Array, maxTtl: number, maxBytes: number) => {
  let bySecret = verified.get(secret);
  if (!bySecret) verified.set(secret, (bySecret = new Map()));
  const bounds = `${maxTtl}/${maxBytes}`;
  let cache = bySecret.get(bounds);
  if (!cache) bySecret.set(bounds, (cache = twoGenerationCache<string, Verified>({ maxBytes, bytesOf: tokenBytes })));
  return cache;
};

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

const sameSecret = (a: string, b: string) => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

/**
 * A console user, from the session cookie: role, municipality and site from the user record, `sub` the username.
 * A write must echo the session's CSRF token in `X-CSRF-Token` (a cross-site page cannot read it).
 */
const sessionCaller = async (req: FastifyRequest, token: string): Promise<Caller> => {
  const session = await req.server.consoleSessions?.find(token);
  if (!session) throw new ApiError(401, 'UNAUTHENTICATED', 'the session has ended (signed out, expired or the user disabled): sign in again');
  if (!SAFE_METHODS.has(req.method)) {
    const sent = req.headers['x-csrf-token'];
    if (typeof sent !== 'string' || !sameSecret(sent, session.csrfToken)) {
      throw new ApiError(403, 'CSRF_TOKEN_INVALID', "X-CSRF-Token: a write from the console must carry the session's CSRF token");
    }
  }
  return {
    role: session.role,
    sub: session.username,
    ...(session.municipality ? { municipality: session.municipality } : {}),
    ...(session.site ? { site: session.site } : {}),
  };
};

/**
 * The caller, from `Authorization: Bearer <JWT>`; 401 when missing or invalid. A validly signed token must name
 * its subject (`sub`, who every event and access-log line is attributed to) and carry `iat` and `exp` no further
 * apart, nor `exp` further ahead, than `maxTtl` seconds: a token with no end, or a very long one, is a key that
 * cannot be taken back.
 */
export const authenticate = async (secret: Uint8Array, req: FastifyRequest, maxTtl = DEFAULT_TOKEN_MAX_TTL, cacheBytes = DEFAULT_TOKEN_CACHE_BYTES): Promise<Caller> => {
  const header = req.headers.authorization;
  // No Authorization header: the web console's session cookie, if any (role, municipality, site from the user record).
  if (header === undefined) {
    const sessionToken = sessionTokenOf(req);
    if (sessionToken) return sessionCaller(req, sessionToken);
  }
  const token = /^Bearer (\S+)$/i.exec(header ?? '')?.[1];
  if (!token) throw new ApiError(401, 'UNAUTHENTICATED', 'Authorization: Bearer <token> is required');
  const cache = cacheFor(secret, maxTtl, cacheBytes);
  const hit = cache.get(token);
  if (hit && hit.exp > Date.now() / 1000) return hit.caller;
  if (hit) cache.delete(token);
  const caller = await verify(secret, token, maxTtl);
  cache.set(token, { caller: caller.c, exp: caller.exp });
  return caller.c;
};

const invalid = () => new ApiError(401, 'UNAUTHENTICATED', 'the token is invalid or expired');

const verify = async (secret: Uint8Array, token: string, maxTtl: number): Promise<{ c: Caller; exp: number }> => {
  let payload: Record<string, unknown>;
  try {
    ({ payload } = await jwtVerify(token, secret, { algorithms: ['HS256'] }));
  } catch {
    throw invalid();
  }
  // Past the signature check: the holder of a validly signed token may learn what is wrong with it.
  const missing = (['sub', 'iat', 'exp'] as const).filter((k) => payload[k] === undefined || payload[k] === '');
  if (missing.length > 0) {
    throw new ApiError(401, 'TOKEN_CLAIMS_MISSING', `the token has no ${missing.join(', ')} claim: tokens must name their subject and carry iat and exp`);
  }
  const parsed = claims.safeParse(payload);
  if (!parsed.success) throw invalid();
  const c = parsed.data;
  if (c.role === 'municipality' && !c.municipality) throw invalid();
  if (c.role === 'site' && !c.site) throw invalid();
  const now = Date.now() / 1000;
  if (c.iat > now + CLOCK_SKEW_SECONDS) throw invalid();
  if (c.exp - c.iat > maxTtl + CLOCK_SKEW_SECONDS || c.exp - now > maxTtl + CLOCK_SKEW_SECONDS) {
    throw new ApiError(401, 'TOKEN_LIFETIME_TOO_LONG', `the token lives longer than the ${maxTtl} seconds allowed (VRS_TOKEN_MAX_TTL): ask for a shorter one`);
  }
  const { iat: _iat, exp, ...caller } = c;
  return { c: caller, exp };
};
