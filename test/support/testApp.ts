import { mkdtemp, rm } from 'node:fs/promises';
import { throwawayKeys } from './throwawayKeys.js';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { loadConfig } from '../../src/runtime/config.js';
import { openRuntime, type Runtime } from '../../src/runtime/openRuntime.js';
import { buildApp, type RoutePlugin } from '../../src/api/app.js';
import { allRoutes } from '../../src/api/routes/index.js';
import { signToken, type Role } from '../../src/api/auth.js';
import { createTestDatabase } from './database.js';

export type TestApp = Awaited<ReturnType<typeof createTestApp>>;

/**
 * The real API on a fresh database, with every log line captured (tests look for leaked personal data there).
 * `routes` defaults to the production list.
 */
export const createTestApp = async (options: { routes?: (rt: Runtime) => RoutePlugin[]; env?: Record<string, string> } = {}) => {
  const db = await createTestDatabase();
  const dataDir = await mkdtemp(join(tmpdir(), 'vrs-app-'));
  const config = loadConfig({
    DATABASE_URL: db.url,
    VRS_DATA_DIR: dataDir,
    ...throwawayKeys(),
    LOG_LEVEL: 'info',
    ...options.env,
  });
  const runtime = await openRuntime(config);
  const logs: string[] = [];
  const logStream = new Writable({
    write(chunk, _enc, done) {
      logs.push(String(chunk));
      done();
    },
  });
  const app = await buildApp(runtime, (options.routes ?? allRoutes)(runtime), { logStream });
  await app.ready();
  const token = (role: Role, claims: { municipality?: string; site?: string; sub?: string } = {}) =>
    signToken(runtime.keys.jwtSecret, { role, ...claims });
  const auth = async (role: Role, claims: { municipality?: string; site?: string; sub?: string } = {}) => ({
    authorization: `Bearer ${await token(role, claims)}`,
  });
  return {
    app,
    runtime,
    logs,
    token,
    auth,
    dbUrl: db.url,
    dataDir,
    close: async () => {
      await app.close();
      await runtime.close();
      await db.drop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
};
