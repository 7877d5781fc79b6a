import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ApiError } from './apiError.js';
import { actorOf } from './guard.js';

/** What one limit counts: per verified actor `sub` (never per IP: one clerk behind a proxy, many clerks behind one NAT). */
export type CallerLimit = { name: string; max: number; windowSeconds: number; /** default: the actor's sub */ keyOf?: (req: FastifyRequest) => string };

const tooMany = (reply: FastifyReply, name: string, retryAfter: number) => {
  void reply.header('retry-after', String(retryAfter));
  return new ApiError(
    429,
    'RATE_LIMITED',
    `リクエストが多すぎます。${retryAfter} 秒後に再試行してください。Too many ${name} from this caller: retry after ${retryAfter} s.`,
    { limit: name, retryAfterSeconds: retryAfter },
  );
};

const limiterOf = (app: FastifyInstance, limit: CallerLimit) =>
  app.createRateLimit({
    max: limit.max,
    timeWindow: limit.windowSeconds * 1000,
    // Runs after the guard (preHandler), so the actor is the token's, verified.
    keyGenerator: (req: FastifyRequest) => `${limit.name}\u0000${limit.keyOf ? limit.keyOf(req) : actorOf(req).sub}`,
  });

/** preHandler: every call counts; past `max` in the window the caller gets 429 with Retry-After. */
export const perCaller = (app: FastifyInstance, limit: CallerLimit) => {
  const check = limiterOf(app, limit);
  return async (req: FastifyRequest, reply: FastifyReply) => {
    const r = await check(req);
    if (!r.isAllowed && r.isExceeded) throw tooMany(reply, limit.name, r.ttlInSeconds);
  };
};

/**
 * Only refusals count (a site refused too often is probing); successful calls do not. `before` refuses a caller
 * already past the limit without counting; `refused` counts one, and answers 429 instead of the refusal once past it.
 */
export const perCallerRefusals = (app: FastifyInstance, limit: CallerLimit) => {
  const check = limiterOf(app, limit);
  return {
    before: async (req: FastifyRequest, reply: FastifyReply) => {
      const r = await check(req, { increment: false });
      if (!r.isAllowed && r.isExceeded) throw tooMany(reply, limit.name, r.ttlInSeconds);
    },
    refused: async (req: FastifyRequest, reply: FastifyReply): Promise<ApiError | null> => {
      const r = await check(req);
      return !r.isAllowed && r.isExceeded ? tooMany(reply, limit.name, r.ttlInSeconds) : null;
    },
  };
};
