import rateLimit from '@fastify/rate-limit';
import Fastify, { LogController, type FastifyInstance, type FastifyReply } from 'fastify';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppContext } from '../runtime/appContext.js';
import { loggerOptions, requestLineLogger } from './logger.js';
import { toFrameworkError, toHttpError } from './errorMapping.js';
import { healthRoutes } from './routes/health.js';
import { guardFirst } from './guard.js';
import { refuseUnstorableText } from './textGuard.js';
import { safePath } from './safePath.js';
import { clientErrorHandler } from './clientErrors.js';
import { strictJsonParser } from './jsonBody.js';
import { findSession } from '../accounts/index.js';

export type RoutePlugin = (app: FastifyInstance, ctx: AppContext) => Promise<void> | void;

/** The HTTP API: validation from zod schemas, one error mapping, OpenAPI at /docs. */
export const buildApp = async (
  ctx: AppContext,
  routes: RoutePlugin[],
  options: { logStream?: NodeJS.WritableStream; bodyLimit?: number } = {},
) => {
  const app = Fastify({
    logger: loggerOptions(ctx.config.LOG_LEVEL, options.logStream),
    bodyLimit: options.bodyLimit ?? 1024 * 1024,
    return503OnClosing: true,
    // One line per request, written when it completes (below), instead of fastify's two: half the logging work.
    logController: new LogController({ disableRequestLogging: true }),
    clientErrorHandler,
    frameworkErrors: (error, _req, reply) => {
      const { status, body, headers } = toFrameworkError(error);
      if (headers) void (reply as unknown as FastifyReply).headers(headers);
      void (reply as unknown as FastifyReply).status(status).send(body);
    },
  }).withTypeProvider<ZodTypeProvider>();
  app.decorate('tokenMaxTtl', ctx.config.VRS_TOKEN_MAX_TTL);
  app.decorate('tokenCacheBytes', ctx.config.VRS_CACHE_TOKENS_BYTES);
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.setErrorHandler((error, req, reply) => {
    const { status, body, headers } = toHttpError(error);
    if (headers) void reply.headers(headers);
    if (status === 503) req.log.warn({ err: { type: (error as Error).name, code: (error as { code?: string }).code } }, 'database unavailable');
    else if (status >= 500) req.log.error({ err: { type: (error as Error).name, code: (error as { code?: string }).code, stack: (error as Error).stack } }, 'request failed');
    void reply.status(status).send(body);
  });
  const requestLine = requestLineLogger(app.log);
  app.addHook('onResponse', (req, reply, done) => {
    requestLine(req, reply);
    done();
  });
  app.addHook('onRoute', guardFirst);
  app.decorate('consoleSessions', { find: (token: string) => findSession(ctx.pool, token) });
  // JSON API: a text/plain body would reach the schemas as a string (a 400 about the body's type); it is a 415.
  app.removeContentTypeParser('text/plain');
  strictJsonParser(app as unknown as FastifyInstance);
  app.addHook('preValidation', refuseUnstorableText);
  app.setNotFoundHandler((req, reply) => {
    void reply.status(404).send({ error: { code: 'NOT_FOUND', message: `no route ${req.method} ${safePath(req.url)}` } });
  });
  await app.register(swagger, {
    openapi: {
      info: { title: 'VRS ledger', description: 'Vaccination record system: event-sourced ledger API', version: '1' },
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' },
          session: { type: 'apiKey', in: 'cookie', name: 'vrs_session', description: 'console session (POST /v1/session); writes also need X-CSRF-Token' },
        },
      },
      security: [{ bearer: [] }, { session: [] }],
    },
    transform: jsonSchemaTransform,
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });
  // Limits are per caller and named by the routes that need them (src/api/rateLimits.ts); none is global.
  await app.register(rateLimit, { global: false });
  for (const plugin of [healthRoutes, ...routes]) await plugin(app as unknown as FastifyInstance, ctx);
  return app;
};
