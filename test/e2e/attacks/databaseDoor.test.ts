import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtemp, rm, stat, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '../../../src/eventstore/embedded.js';
import { runCli } from '../../support/cli.js';
import { throwawayKeys } from '../../support/throwawayKeys.js';
import { CHIYODA, person } from '../../support/people.js';
import { createTestApp, type TestApp } from '../../support/testApp.js';

/** A connection as the given user, or the error PostgreSQL answered with. */
const tryConnect = async (url: string) => {
  const c = new pg.Client({ connectionString: url });
  try {
    await c.connect();
    await c.end();
    return null;
  } catch (e) {
    return e as { code?: string };
  }
};

/**
 * The red team's findings against the database: the embedded superuser's password was `postgres`, and the
 * server connected as that superuser, so anyone holding its connection ran shell commands, emptied the access
 * log and destroyed a person's data key with nothing in the ledger to show it.
 */
describe('attack: the database is an open door', () => {
  describe('the embedded superuser', () => {
    let dataDir: string;
    let pgServer: EmbeddedPostgres | null = null;
    beforeAll(async () => {
      dataDir = await mkdtemp(join(tmpdir(), 'vrs-door-'));
      pgServer = await startEmbeddedPostgres({ dataDir, settings: { fsync: 'off' } });
    });
    afterAll(async () => {
      await pgServer?.stop();
      await rm(dataDir, { recursive: true, force: true });
    });

    it('refuses postgres/postgres on a fresh cluster; the generated password is in keys/postgres.password (0600)', async () => {
      const attempt = await tryConnect(`postgres://postgres:postgres@127.0.0.1:${pgServer!.port}/postgres`);
      expect(attempt?.code).toBe('28P01');
      const file = join(dataDir, 'keys', 'postgres.password');
      expect((await stat(file)).mode & 0o777).toBe(0o600);
      const password = (await readFile(file, 'utf8')).trim();
      expect(password).toMatch(/^[0-9a-f]{64}$/);
      expect(await tryConnect(`postgres://postgres:${password}@127.0.0.1:${pgServer!.port}/postgres`)).toBeNull();
    });

    it('a cluster initialised with postgres/postgres gets the generated password on its next start', async () => {
      // The cluster as an earlier release left it: initdb's password, no password file.
      const c = new pg.Client({ connectionString: pgServer!.url });
      await c.connect();
      await c.query(`ALTER ROLE postgres PASSWORD 'postgres'`);
      await c.end();
      await pgServer!.stop();
      pgServer = null;
      await rm(join(dataDir, 'keys', 'postgres.password'));
      pgServer = await startEmbeddedPostgres({ dataDir, settings: { fsync: 'off' } });
      expect((await tryConnect(`postgres://postgres:postgres@127.0.0.1:${pgServer.port}/postgres`))?.code).toBe('28P01');
      expect(await tryConnect(pgServer.url)).toBeNull();
    });
  });

  describe("the server's role", () => {
    let t: TestApp;
    let app: pg.Pool;
    let owner: pg.Pool;
    let stream: string;
    beforeAll(async () => {
      t = await createTestApp();
      app = t.runtime.pool;
      owner = t.runtime.schema.owner;
      const clerk = await t.auth('municipality', { municipality: CHIYODA, sub: 'clerk' });
      const r = await t.app.inject({ method: 'POST', url: '/v1/recipients', headers: clerk, payload: person(1) });
      expect(r.statusCode).toBe(201);
      stream = `recipient-${CHIYODA}-${person(1).coupon}`;
      const read = await t.app.inject({ method: 'GET', url: `/v1/recipients/${CHIYODA}/${person(1).coupon}`, headers: clerk });
      expect(read.statusCode).toBe(200);
    });
    afterAll(async () => t.close());

    const refused = async (sql: string, params: unknown[] = []) => {
      await expect(app.query(sql, params)).rejects.toMatchObject({ code: '42501' }); // insufficient_privilege
    };

    it('is not a superuser and owns nothing', async () => {
      const { rows } = await app.query<{ superuser: boolean; owned: number }>(
        `SELECT rolsuper AS superuser,
           (SELECT count(*)::int FROM pg_class c WHERE c.relowner = r.oid) AS owned
         FROM pg_roles r WHERE rolname = current_user`,
      );
      expect(rows[0]).toEqual({ superuser: false, owned: 0 });
    });

    it('cannot run a shell command', () => refused(`COPY (SELECT 1) TO PROGRAM 'true'`));
    it('cannot read a server file', () => refused(`SELECT pg_read_file('postgresql.conf')`));
    it('cannot empty or edit the access log', async () => {
      expect((await app.query('SELECT count(*)::int AS n FROM access_log')).rows[0].n).toBeGreaterThan(0);
      await refused('TRUNCATE access_log');
      await refused('DELETE FROM access_log');
      await refused(`UPDATE access_log SET endpoint = 'nothing'`);
    });
    it('cannot change or remove events', async () => {
      await refused(`UPDATE events SET data = '{}'`);
      await refused('DELETE FROM events');
      await refused('TRUNCATE events');
    });
    it('cannot delete a data key, directly or through the erasure function without an erasure event', async () => {
      await refused('DELETE FROM recipient_keys WHERE stream = $1', [stream]);
      await refused(`UPDATE recipient_keys SET wrapped_key = 'x' WHERE stream = $1`, [stream]);
      await expect(app.query('SELECT vrs_erase_data_key($1)', [stream])).rejects.toMatchObject({ code: 'VRS13' });
      expect((await owner.query('SELECT count(*)::int AS n FROM recipient_keys WHERE stream = $1', [stream])).rows[0].n).toBe(1);
    });
    it('cannot create, alter or drop tables, nor make roles', async () => {
      await refused('CREATE TABLE loot (x text)');
      await refused('ALTER TABLE access_log DISABLE TRIGGER access_log_append_only');
      await refused('DROP TABLE access_log');
      await refused('CREATE ROLE intruder LOGIN SUPERUSER');
    });
  });

  it('even the owner cannot TRUNCATE the access log', async () => {
    const t = await createTestApp();
    try {
      await expect(t.runtime.schema.owner.query('TRUNCATE access_log')).rejects.toMatchObject({ code: 'VRS11' });
    } finally {
      await t.close();
    }
  });

  it('vrs verify names a stream whose data key was deleted without an erasure event, and not an erased one', async () => {
    const t = await createTestApp();
    try {
      const clerk = await t.auth('municipality', { municipality: CHIYODA, sub: 'clerk' });
      const admin = await t.auth('admin', { sub: 'admin' });
      for (const n of [1, 2, 3]) expect((await t.app.inject({ method: 'POST', url: '/v1/recipients', headers: clerk, payload: person(n) })).statusCode).toBe(201);
      const erased = await t.app.inject({ method: 'DELETE', url: `/v1/recipients/${CHIYODA}/${person(2).coupon}/personal-data`, headers: admin, payload: { reason: 'retention period over' } });
      expect(erased.statusCode).toBeLessThan(300);
      const env = { DATABASE_URL: t.dbUrl, VRS_DATA_DIR: t.dataDir, ...throwawayKeys() };

      const clean = await runCli(['verify'], env);
      expect(clean.code).toBe(0);

      // The attacker, holding the owner's connection, destroys person 3's key: no event says so.
      const victim = `recipient-${CHIYODA}-${person(3).coupon}`;
      await t.runtime.schema.owner.query('DELETE FROM recipient_keys WHERE stream = $1', [victim]);
      const found = await runCli(['verify'], env);
      expect(found.code).toBe(1);
      expect(found.stdout).toContain(victim);
      expect(found.stdout).not.toContain(`recipient-${CHIYODA}-${person(2).coupon}`);
      expect(found.stdout).not.toContain(`recipient-${CHIYODA}-${person(1).coupon}`);
    } finally {
      await t.close();
    }
  });
});
