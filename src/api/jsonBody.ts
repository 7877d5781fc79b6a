import { isUtf8 } from 'node:buffer';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { firstInvalidUtf8 } from '../domain/index.js';
import { ApiError } from './apiError.js';

const UTF8 = /^"?utf-?8"?$/i;

/** The `charset` parameter of a Content-Type, if any. */
export const charsetOf = (contentType: string | undefined): string | undefined => /;\s*charset\s*=\s*("[^"]*"|[^;\s]*)/i.exec(contentType ?? '')?.[1];

/**
 * JSON bodies are UTF-8 (RFC 8259): another declared charset is a 415, and bytes that are not UTF-8 a 400 naming
 * their offset. Node would otherwise turn them into U+FFFD without a word, and that replacement character would
 * be stored as if the client had sent it. Then fastify's own parser (prototype-poisoning checks, empty body).
 */
export const strictJsonParser = (app: FastifyInstance) => {
  const parse = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (req: FastifyRequest, body: string | Buffer, done) => {
    const charset = charsetOf(req.headers['content-type']);
    if (charset !== undefined && !UTF8.test(charset)) {
      return done(new ApiError(415, 'UNSUPPORTED_CHARSET', 'Content-Type: JSON bodies must be UTF-8 (charset=utf-8 or no charset)'), undefined);
    }
    const bytes = typeof body === 'string' ? Buffer.from(body) : body;
    // Native check first (the usual, valid body costs next to nothing); the offset only when it fails.
    const bad = isUtf8(bytes) ? -1 : firstInvalidUtf8(bytes);
    if (bad >= 0) {
      return done(new ApiError(400, 'INVALID_ENCODING', `the body is not valid UTF-8: an invalid byte sequence starts at byte ${bad}`, { offset: bad }), undefined);
    }
    parse(req, bytes.toString('utf8'), done);
  });
};
