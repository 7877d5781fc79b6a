import type { FastifyInstance, FastifyReply } from 'fastify';
import fastifyStatic from '@fastify/static';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AppContext } from '../../runtime/appContext.js';

const DIST = fileURLToPath(new URL('../../../web/dist/', import.meta.url));

/** No inline script or style element anywhere; the console talks only to this origin. */
export const CONSOLE_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' blob: data:",
  "connect-src 'self'",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
  "form-action 'self'",
].join('; ');

const securityHeaders = (reply: FastifyReply) =>
  reply
    .header('content-security-policy', CONSOLE_CSP)
    .header('x-content-type-options', 'nosniff')
    .header('referrer-policy', 'no-referrer')
    .header('x-frame-options', 'DENY');

/**
 * The web console (web/, built into web/dist): `/` is index.html, never cached without revalidation; `/assets/*`
 * are content-hashed, so cached for a year as immutable. Not built → `/` says how to build it.
 */
export const consoleRoutes = async (fastify: FastifyInstance, _ctx: AppContext, dist = DIST) => {
  const indexFile = join(dist, 'index.html');
  if (existsSync(join(dist, 'assets'))) {
    await fastify.register(fastifyStatic, {
      root: join(dist, 'assets'),
      prefix: '/assets/',
      decorateReply: false,
      index: false,
      wildcard: true,
      cacheControl: false,
      setHeaders: (res) => {
        void res.header('cache-control', 'public, max-age=31536000, immutable');
        void res.header('x-content-type-options', 'nosniff');
      },
    });
  }
  fastify.get('/', { schema: { hide: true } }, async (_req, reply) => {
    securityHeaders(reply).header('cache-control', 'no-cache');
    if (!existsSync(indexFile)) {
      return reply.status(503).type('text/plain; charset=utf-8').send('The web console is not built: run `npm run build:web` (npm ci and npm start build it when needed).\n');
    }
    // Read per request (it is small): a rebuild while the server runs is served at once.
    return reply.type('text/html; charset=utf-8').send(readFileSync(indexFile));
  });
};
