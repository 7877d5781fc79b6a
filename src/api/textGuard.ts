import type { FastifyRequest } from 'fastify';
import { ApiError } from './apiError.js';
import { isStorableText, UNSTORABLE_MESSAGE } from '../domain/index.js';

/** Parsed JSON, or a parsed query string (whose prototype is itself prototype-less); never a Buffer or stream. */
const isPlain = (v: unknown): v is Record<string, unknown> => {
  if (typeof v !== 'object' || v === null) return false;
  const proto = Object.getPrototypeOf(v) as object | null;
  return proto === null || proto === Object.prototype || Object.getPrototypeOf(proto) === null;
};

/** The path of the first unstorable string in a parsed body or query (iterative: bodies may nest deeply). */
export const unstorableField = (root: unknown): string | null => {
  const stack: [unknown, string][] = [[root, '']];
  while (stack.length > 0) {
    const [v, path] = stack.pop()!;
    if (typeof v === 'string') {
      if (!isStorableText(v)) return path || '(value)';
    } else if (Array.isArray(v)) {
      v.forEach((x, i) => stack.push([x, path ? `${path}.${i}` : String(i)]));
    } else if (isPlain(v)) {
      for (const [k, x] of Object.entries(v)) {
        if (!isStorableText(k)) return path || '(key)';
        stack.push([x, path ? `${path}.${k}` : k]);
      }
    }
  }
  return null;
};

/**
 * preValidation hook (app.ts): refuses such text with a 400 naming the field (never the value), before any
 * route reaches the store with it — otherwise it surfaced as a database error (500) or an unnamed 400.
 */
export const refuseUnstorableText = async (req: FastifyRequest) => {
  for (const [where, value] of [['body', req.body], ['query', req.query]] as const) {
    const field = unstorableField(value);
    if (field) {
      throw new ApiError(400, 'INVALID_REQUEST', `${where}: ${field}: ${UNSTORABLE_MESSAGE}`, { issues: [{ field, message: UNSTORABLE_MESSAGE }] });
    }
  }
};
