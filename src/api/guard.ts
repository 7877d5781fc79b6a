import type { FastifyReply, FastifyRequest, onRequestHookHandler, preHandlerHookHandler, RouteOptions } from 'fastify';
import { ApiError } from './apiError.js';
import { authenticate, type Role } from './auth.js';
import type { Actor } from '../eventstore/contract.js';
import { normalizeDigits } from '../domain/index.js';

declare module 'fastify' {
  interface FastifyRequest {
    actor?: Actor & { role: Role };
  }
  interface FastifyInstance {
    /** VRS_TOKEN_MAX_TTL, decorated by buildApp (app.ts). */
    tokenMaxTtl?: number;
    /** VRS_CACHE_TOKENS_BYTES, decorated by buildApp (app.ts). */
    tokenCacheBytes?: number;
  }
}

const GUARD = Symbol('vrs.guard');
const isGuard = (h: unknown) => typeof h === 'function' && (h as { [GUARD]?: boolean })[GUARD] === true;
const asList = <T>(h: T | T[] | undefined): T[] => (h === undefined ? [] : Array.isArray(h) ? h : [h]);

/**
 * The one access guard: who may call a route (DESIGN's role table). Municipality-scoped routes then call
 * `ownMunicipality` with the municipality the request touches.
 */
export const allow = (secret: Uint8Array, roles: Role[]): preHandlerHookHandler => {
  const hook = async (req: FastifyRequest, _reply: FastifyReply) => {
    const actor = await authenticate(secret, req, req.server.tokenMaxTtl, req.server.tokenCacheBytes);
    if (!roles.includes(actor.role)) throw new ApiError(403, 'FORBIDDEN', `role ${actor.role} may not call this endpoint`);
    req.actor = actor;
  };
  return Object.assign(hook, { [GUARD]: true });
};

/**
 * onRoute hook (app.ts): routes declare `preHandler: allow(...)`, but fastify validates the body before
 * preHandler. The guard is moved to onRequest so a caller without a token or the role gets 401/403 before
 * anything looks at (or answers about) the request body, params or query.
 */
export const guardFirst = (route: RouteOptions) => {
  const pre = asList(route.preHandler);
  const guards = pre.filter(isGuard);
  if (guards.length === 0) return;
  route.preHandler = pre.filter((h) => !isGuard(h));
  route.onRequest = [...asList(route.onRequest), ...(guards as unknown as onRequestHookHandler[])];
};

export const actorOf = (req: FastifyRequest) => {
  if (!req.actor) throw new ApiError(401, 'UNAUTHENTICATED', 'authentication required');
  return req.actor;
};

/** Compared in canonical form: a code typed in full-width digits is still the caller's own. */
export const isOwnMunicipality = (actor: Actor, municipality: string) => actor.municipality === normalizeDigits(municipality);

/** A municipality may touch only its own recipients; other roles pass through (their route decides). */
export const ownMunicipality = (req: FastifyRequest, municipality: string) => {
  const actor = actorOf(req);
  if (actor.role === 'municipality' && !isOwnMunicipality(actor, municipality)) {
    throw new ApiError(403, 'FORBIDDEN', 'a municipality may only access its own recipients');
  }
};
