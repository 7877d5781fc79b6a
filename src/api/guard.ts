import type { FastifyReply, FastifyRequest, preHandlerHookHandler } from 'fastify';
import { ApiError } from './apiError.js';
import { authenticate, type Role } from './auth.js';
import type { Actor } from '../eventstore/contract.js';

declare module 'fastify' {
  interface FastifyRequest {
    actor?: Actor & { role: Role };
  }
}

/**
 * The one access guard: who may call a route (DESIGN's role table). Municipality-scoped routes then call
 * `ownMunicipality` with the municipality the request touches.
 */
export const allow =
  (secret: Uint8Array, roles: Role[]): preHandlerHookHandler =>
  async (req: FastifyRequest, _reply: FastifyReply) => {
    const actor = await authenticate(secret, req);
    if (!roles.includes(actor.role)) throw new ApiError(403, 'FORBIDDEN', `role ${actor.role} may not call this endpoint`);
    req.actor = actor;
  };

export const actorOf = (req: FastifyRequest) => {
  if (!req.actor) throw new ApiError(401, 'UNAUTHENTICATED', 'authentication required');
  return req.actor;
};

/** A municipality may touch only its own recipients; other roles pass through (their route decides). */
export const ownMunicipality = (req: FastifyRequest, municipality: string) => {
  const actor = actorOf(req);
  if (actor.role === 'municipality' && actor.municipality !== municipality) {
    throw new ApiError(403, 'FORBIDDEN', 'a municipality may only access its own recipients');
  }
};
