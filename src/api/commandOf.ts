import type { FastifyRequest } from 'fastify';
import { commandContext, type LedgerResult } from '../ledger/index.js';
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
  return commandContext({ role, sub, municipality, site }, bodyCommandId ?? fromHeader, req.id);
};

export const writeResponse = (r: LedgerResult) => ({
  stream: r.stream,
  version: Number(r.version),
  position: r.positions.length > 0 ? Number(r.positions[r.positions.length - 1]) : null,
});
