/** Socket-level failures: the server is not there (down, restarting) or the connection broke under a query. */
const SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'ENOTFOUND', 'EHOSTUNREACH', 'EAI_AGAIN']);
/** SQLSTATEs of a server that is shutting down, starting up or recovering (57P0x), or a broken connection (08xxx). */
const UNAVAILABLE_SQLSTATE = /^(57P0[1-4]|08[0-9A-Z]{3})$/;
/** node-postgres reports a dropped connection or a connect timeout by message only. */
const UNAVAILABLE_MESSAGE = /^(Connection terminated|timeout expired|Client has encountered a connection error|Connection is closed|terminating connection)/;

/**
 * True when an error says PostgreSQL cannot be reached right now (as opposed to a statement it refused): the
 * request may succeed if retried in a moment. Looks through `cause` and AggregateError (a refused connection to
 * "localhost" is one failure per address).
 */
export const isDatabaseUnavailable = (e: unknown, depth = 0): boolean => {
  if (!e || typeof e !== 'object' || depth > 5) return false;
  const err = e as { code?: unknown; message?: unknown; cause?: unknown; errors?: unknown };
  if (typeof err.code === 'string' && (SOCKET_CODES.has(err.code) || UNAVAILABLE_SQLSTATE.test(err.code))) return true;
  if (typeof err.message === 'string' && UNAVAILABLE_MESSAGE.test(err.message)) return true;
  if (Array.isArray(err.errors) && err.errors.some((x) => isDatabaseUnavailable(x, depth + 1))) return true;
  return isDatabaseUnavailable(err.cause, depth + 1);
};
