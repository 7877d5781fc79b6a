import type { FastifyRequest } from 'fastify';
import { createHash } from 'node:crypto';
import { canonicalJson } from '../eventstore/hashChain.js';
import { commandContext, scopedCommandId, type LedgerResult } from '../ledger/index.js';
import { actorOf } from './guard.js';
import { ApiError } from './apiError.js';
import { CommandId } from './httpSchemas.js';

/** The command context of a request: its actor, and the idempotency key from the body or `Idempotency-Key`. */
export const commandOf = (req: FastifyRequest, bodyCommandId?: string) => {
  const header = req.headers['idempotency-key'];
  const fromHeader = Array.isArray(header) ? header[0] : header;
  if (fromHeader !== undefined && !CommandId.safeParse(fromHeader).success) {
    throw new ApiError(400, 'INVALID_REQUEST', 'Idempotency-Key: must be 1–100 printable ASCII characters');
  }
  const { role, sub, municipality, site } = actorOf(req);
  const key = bodyCommandId ?? fromHeader;
  const commandId = key === undefined ? undefined : scopedCommandId(sub, key);
  return commandContext({ role, sub, municipality, site }, commandId, req.id, new Date(), commandId ? fingerprintOf(req) : undefined);
};

/** What a retry must repeat: the route, its parameters and the body (without the key itself). */
const fingerprintOf = (req: FastifyRequest) => {
  const { commandId: _key, ...body } = (req.body ?? {}) as Record<string, unknown>;
  return createHash('sha256')
    .update(canonicalJson({ route: req.routeOptions.url, params: req.params ?? {}, body }))
    .digest('hex')
    .slice(0, 32);
};

export const writeResponse = (r: LedgerResult) => ({
  stream: r.stream,
  version: Number(r.version),
  position: r.positions.length > 0 ? Number(r.positions[r.positions.length - 1]) : null,
});
