import type { Config } from '../runtime/config.js';
import { buildApp } from '../api/app.js';
import { openRuntime } from '../runtime/openRuntime.js';
import { applySyncStandby } from '../recovery/syncStandbySetting.js';
import { allRoutes } from '../api/routes/index.js';
import { startKeyRotation } from '../personal/keyRotationService.js';
import { startWorkers } from './workers.js';
import { stopOnSignals } from './stopOnSignals.js';
import type { FastifyInstance } from 'fastify';

/** `vrs serve`: the API on the configured or embedded database, stopped cleanly on SIGINT/SIGTERM. */
export const serve = async (config: Config) => {
  const lines: string[] = [];
  let sink: (l: string) => void = (l) => lines.push(l);
  const runtime = await openRuntime(config, (l) => sink(l));
  const app = await buildApp(runtime, allRoutes(runtime));
  // The supervisor's and the pools' own lines (PostgreSQL left running and stopped, died, restarted, a connection
  // dropped) are warnings; PostgreSQL's server log stays at debug.
  sink = (l) => {
    if (/^(embedded PostgreSQL|database pool|event notifications|DATABASE_URL)/.test(l)) app.log.warn(l);
    else app.log.debug(l);
  };
  for (const l of lines) sink(l);

  if (runtime.embedded) app.log.info({ dataDir: config.VRS_DATA_DIR }, 'embedded PostgreSQL started');
  // Projection workers: on by default; API-only nodes of a larger deployment run with VRS_PROJECTIONS=off beside
  // a projector (`vrs project`).
  if (config.VRS_PROJECTIONS === 'on') await startWorkers(runtime, app.log);
  // Erasure is final within VRS_ERASURE_FINAL_HOURS: the key epoch rotates by itself after one.
  const rotation = startKeyRotation(
    {
      // Rotation re-wraps keys and records epochs as the owner: the server's role may not UPDATE a key.
      pool: runtime.schema.owner,
      keysDir: runtime.keys.dir,
      ring: runtime.kekRing,
      finalHours: config.VRS_ERASURE_FINAL_HOURS,
      masterFromEnv: runtime.keys.masterFromEnv !== undefined,
    },
    app.log,
  );
  runtime.services.onStop(rotation.stop, { first: true });
  stopOnSignals(app as unknown as FastifyInstance, runtime);
  // Only the server sets it (other commands on the cluster must not undo it), once every table is made: a first
  // start without a standby yet must not wait on its own schema.
  if (runtime.embedded) await applySyncStandby(runtime.owner.pool, config.VRS_SYNC_STANDBY);
  await app.listen({ port: config.PORT, host: config.HOST });
  return app;
};
