import type { FastifyServerOptions } from 'fastify';
import { safePath } from './safePath.js';

/**
 * pino options for the API. Request lines carry the path without its query string (search queries hold
 * names and birth dates) and with client-typed segments masked (a My Number pasted into a URL), and known personal fields are redacted wherever they appear in a logged object.
 */
export const loggerOptions = (level: string, stream?: NodeJS.WritableStream): FastifyServerOptions['logger'] => ({
  level,
  ...(stream ? { stream } : {}),
  redact: {
    paths: [
      'req.headers.authorization',
      'req.headers.cookie',
      '*.myNumber', '*.name', '*.nameKana', '*.birthDate', '*.address', '*.personal',
      '*.*.myNumber', '*.*.name', '*.*.nameKana', '*.*.birthDate', '*.*.address', '*.*.personal',
    ],
    censor: '[redacted]',
  },
  serializers: {
    req: (req: { method: string; url: string; id: string }) => ({ id: req.id, method: req.method, path: safePath(req.url) }),
  },
});
