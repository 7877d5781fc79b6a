import { loadConfig } from '../../src/runtime/config.js';
import { openRuntime } from '../../src/runtime/openRuntime.js';
import { buildApp } from '../../src/api/app.js';
import { allRoutes } from '../../src/api/routes/index.js';
import { signToken, type Role } from '../../src/api/auth.js';
import { Writable } from 'node:stream';

/** The real API over a database that already exists (e.g. one a `vrs restore` filled). */
export const appOn = async (env: Record<string, string>) => {
  const runtime = await openRuntime(loadConfig({ LOG_LEVEL: 'warn', ...env }));
  const app = await buildApp(runtime, allRoutes(runtime), { logStream: new Writable({ write: (_c, _e, done) => done() }) });
  await app.ready();
  const auth = async (role: Role, claims: { municipality?: string; site?: string; sub?: string } = {}) => ({
    authorization: `Bearer ${await signToken(runtime.keys.jwtSecret, { role, ...claims })}`,
  });
  return {
    app,
    runtime,
    auth,
    close: async () => {
      await app.close();
      await runtime.close(); // stops the shared services first
    },
  };
};
