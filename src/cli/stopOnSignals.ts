import type { FastifyInstance } from 'fastify';
import type { Runtime } from '../runtime/openRuntime.js';

/** SIGINT/SIGTERM: stop listening, stop every service (projections, signers, pools, embedded PostgreSQL), exit 0. */
export const stopOnSignals = (app: FastifyInstance, runtime: Runtime) => {
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    app.log.info({ signal }, 'shutting down');
    await app.close();
    await runtime.close((e) => app.log.error({ err: e.message }, 'stopping a service failed'));
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
};
