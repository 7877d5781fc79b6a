import type { FastifyInstance } from 'fastify';
import type { Command } from './commands.js';
import { buildApp } from '../api/app.js';
import { openRuntime } from '../runtime/openRuntime.js';
import { startWorkers } from './workers.js';
import { stopOnSignals } from './stopOnSignals.js';

/**
 * `vrs project`: the projector process. Applies every projection and signs the transparency logs' checkpoints,
 * as `vrs serve` does with VRS_PROJECTIONS=on, but serves no API route: only /healthz, /readyz (projection lag and
 * failures) and /metrics on HOST:PORT. API nodes beside it run `vrs serve` with VRS_PROJECTIONS=off and answer
 * searches and statistics from the tables it writes. Several projectors may run: one applies (the runner's
 * advisory lock), the others wait to take over.
 */
export const projectCommand: Command = {
  summary: 'run the projections and checkpoint signer without the API (beside API nodes with VRS_PROJECTIONS=off)',
  run: async ({ config }) => {
    const runtime = await openRuntime(config);
    const app = (await buildApp(runtime, [])) as unknown as FastifyInstance;
    stopOnSignals(app, runtime);
    await startWorkers(runtime, app.log);
    await app.listen({ port: config.PORT, host: config.HOST });
    app.log.info('projector running');
  },
};
