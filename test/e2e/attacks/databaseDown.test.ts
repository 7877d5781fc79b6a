import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { once } from 'node:events';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { loadConfig } from '../../../src/runtime/config.js';
import { openRuntime, type Runtime } from '../../../src/runtime/openRuntime.js';
import { buildApp } from '../../../src/api/app.js';
import { allRoutes } from '../../../src/api/routes/index.js';
import { signToken } from '../../../src/api/auth.js';
import { runCli, startListening } from '../../support/cli.js';
import { throwawayKeys } from '../../support/throwawayKeys.js';
import { CHIYODA, person } from '../../support/people.js';

const postmasterPid = async (dataDir: string) => Number((await readFile(join(dataDir, 'pg', 'postmaster.pid'), 'utf8')).split('\n')[0]);
const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
};
/** Polls until `check` holds; fails after `ms` (a bound on a hang, not a timing assertion). */
const until = async (what: string, check: () => Promise<boolean> | boolean, ms = 60_000) => {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
};

/**
 * PostgreSQL going away: requests are told to come back (503 DATABASE_UNAVAILABLE with Retry-After), not given
 * a 500, and the embedded PostgreSQL is started again; one left running by a killed server is not left forever.
 */
describe('attack: the embedded PostgreSQL dies or is orphaned', () => {
  describe('killed under a running server', () => {
    let dataDir: string;
    let runtime: Runtime;
    let app: FastifyInstance;
    let clerk: Record<string, string>;
    beforeAll(async () => {
      dataDir = await mkdtemp(join(tmpdir(), 'vrs-down-'));
      runtime = await openRuntime(loadConfig({ VRS_DATA_DIR: dataDir, ...throwawayKeys(), LOG_LEVEL: 'silent' }));
      app = await buildApp(runtime, allRoutes(runtime));
      await app.ready();
      clerk = { authorization: `Bearer ${await signToken(runtime.keys.jwtSecret, { role: 'municipality', municipality: CHIYODA, sub: 'clerk' })}` };
    });
    afterAll(async () => {
      await app?.close();
      await runtime?.close();
      await rm(dataDir, { recursive: true, force: true });
    });
    const register = (n: number) => app.inject({ method: 'POST', url: '/v1/recipients', headers: clerk, payload: person(n) });

    it('answers 503 DATABASE_UNAVAILABLE with Retry-After and is not ready, then PostgreSQL is restarted and writes succeed', async () => {
      expect((await register(1)).statusCode).toBe(201);
      const pid = await postmasterPid(dataDir);
      process.kill(pid, 'SIGKILL');
      await until('the postmaster to die', () => !alive(pid));

      // A backend of the killed postmaster may answer a last request before it notices: the next person then.
      let n = 2;
      let answer = await register(n);
      while (answer.statusCode === 201 && n < 5) answer = await register(++n);
      expect(answer.statusCode).toBe(503);
      expect(answer.headers['retry-after']).toMatch(/^\d+$/);
      expect(answer.json()).toEqual({ error: { code: 'DATABASE_UNAVAILABLE', message: expect.any(String) } });
      expect((await app.inject({ method: 'GET', url: '/readyz' })).statusCode).toBe(503);

      await until('the write to succeed after the restart', async () => (await register(n)).statusCode === 201);
      expect(await postmasterPid(dataDir)).not.toBe(pid);
      expect((await app.inject({ method: 'GET', url: '/readyz' })).statusCode).toBe(200);
      expect((await app.inject({ method: 'GET', url: `/v1/recipients/${CHIYODA}/${person(1).coupon}`, headers: clerk })).statusCode).toBe(200);
    });
  });

  it('a PostgreSQL left running by a server killed with SIGKILL is stopped cleanly by the next start', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'vrs-orphan-'));
    const keys = throwawayKeys();
    const { child: server, url: listening } = startListening(['serve'], { VRS_DATA_DIR: dataDir, PORT: '0', LOG_LEVEL: 'info', VRS_PROJECTIONS: 'off', ...keys });
    let runtime: Runtime | null = null;
    try {
      await listening;
      const orphan = await postmasterPid(dataDir);
      // While the server lives, a command shares its PostgreSQL (reading the superuser password from the keys folder).
      const shared = await runCli(['verify'], { VRS_DATA_DIR: dataDir, ...keys });
      expect(shared.stdout).toMatch(/^OK/);
      expect(shared.code).toBe(0);
      expect(await postmasterPid(dataDir)).toBe(orphan);
      server.kill('SIGKILL');
      await once(server, 'exit');
      expect(alive(orphan)).toBe(true); // the killed server's PostgreSQL runs on, unsupervised

      runtime = await openRuntime(loadConfig({ VRS_DATA_DIR: dataDir, ...keys, LOG_LEVEL: 'silent' }));
      expect(alive(orphan)).toBe(false);
      const now = await postmasterPid(dataDir);
      expect(now).not.toBe(orphan);
      expect((await runtime.pool.query('SELECT count(*)::int AS n FROM events')).rows[0].n).toBe(0);
    } finally {
      if (server.exitCode === null && server.signalCode === null) server.kill('SIGKILL');
      await runtime?.close();
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
