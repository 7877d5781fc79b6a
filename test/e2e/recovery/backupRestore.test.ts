import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { appendFile, cp, mkdtemp, readdir, readFile, rm, truncate, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { projectionsService } from '../../../src/projections/projectionsService.js';
import { verifyChains } from '../../../src/eventstore/verifyChains.js';
import { appOn } from '../../support/appOn.js';
import { runCli, stackLine } from '../../support/cli.js';
import { createTestDatabase } from '../../support/database.js';
import { CHIYODA, YOKOHAMA, person } from '../../support/people.js';
import { createTestApp, type TestApp } from '../../support/testApp.js';
import { throwawayKeys } from '../../support/throwawayKeys.js';

type App = Pick<TestApp, 'app' | 'runtime' | 'auth'>;
const quiet = { info: () => {}, warn: () => {}, error: () => {} };
const PEOPLE = 40;

const ok = async (p: Promise<{ statusCode: number; body: string }>) => {
  const r = await p;
  if (r.statusCode >= 300) throw new Error(`${r.statusCode} ${r.body}`);
  return r;
};

/** What an outside client sees: every read the issue names, for every person. */
const answers = async (t: App) => {
  const chiyoda = await t.auth('municipality', { municipality: CHIYODA, sub: 'clerk' });
  const yokohama = await t.auth('municipality', { municipality: YOKOHAMA, sub: 'clerk-y' });
  const ministry = await t.auth('ministry', { sub: 'mhlw' });
  const get = async (url: string, headers: Record<string, string>) => {
    const r = await t.app.inject({ method: 'GET', url, headers });
    return { status: r.statusCode, body: r.headers['content-type']?.toString().includes('json') ? r.json() : r.body };
  };
  const out: Record<string, unknown> = {};
  for (let i = 1; i <= PEOPLE; i++) {
    const p = person(i, i % 4 === 0 ? YOKOHAMA : CHIYODA);
    const h = p.municipality === CHIYODA ? chiyoda : yokohama;
    out[`status ${i}`] = await get(`/v1/recipients/${p.municipality}/${p.coupon}`, h);
    out[`history ${i}`] = await get(`/v1/recipients/${p.municipality}/${p.coupon}/history`, h);
  }
  out.search = await get(`/v1/recipients?municipality=${CHIYODA}&nameKana=${encodeURIComponent('セッシュ')}&limit=100`, chiyoda);
  out.statistics = await get('/v1/statistics/daily?from=2026-01-01&to=2026-12-31', ministry);
  out.exportChiyoda = await get(`/v1/recipients/export?municipality=${CHIYODA}&encoding=shift_jis`, chiyoda);
  out.exportYokohama = await get(`/v1/recipients/export?municipality=${YOKOHAMA}`, yokohama);
  return out;
};

const caughtUp = async (t: App) => {
  const head = (await t.runtime.store.head())?.position ?? 0n;
  const h = await t.auth('municipality', { municipality: CHIYODA, sub: 'clerk' });
  for (let i = 0; i < 400; i++) {
    const r = await t.app.inject({ method: 'GET', url: `/v1/recipients?municipality=${CHIYODA}&limit=1`, headers: h });
    if (BigInt(r.json().asOfPosition) >= head) return;
    await new Promise((res) => setTimeout(res, 50));
  }
  throw new Error('projection did not catch up');
};

describe('vrs backup and vrs restore', () => {
  const keys = throwawayKeys();
  let t: TestApp;
  let work: string;
  let during: string; // a backup taken while writers record doses
  let quietBackup: string; // a backup taken after they stop
  let site: Record<string, string>;
  const acknowledged: { stream: string; version: number }[] = [];
  const cliEnv = (dataDir: string, url: string) => ({ DATABASE_URL: url, VRS_DATA_DIR: dataDir, ...keys });

  beforeAll(async () => {
    t = await createTestApp({ env: keys });
    await projectionsService(t.runtime).start({ log: quiet, lockRetryMs: 100 });
    work = await mkdtemp(join(tmpdir(), 'vrs-backup-'));
    const chiyoda = await t.auth('municipality', { municipality: CHIYODA, sub: 'clerk' });
    const yokohama = await t.auth('municipality', { municipality: YOKOHAMA, sub: 'clerk-y' });
    site = await t.auth('site', { site: 'S001', sub: 'nurse' });
    for (let i = 1; i <= PEOPLE; i++) {
      const p = person(i, i % 4 === 0 ? YOKOHAMA : CHIYODA);
      await ok(t.app.inject({ method: 'POST', url: '/v1/recipients', headers: p.municipality === CHIYODA ? chiyoda : yokohama, payload: p }));
    }
    // Some history beyond registrations: a corrected dose, a voided one.
    const p1 = person(1);
    await ok(t.app.inject({ method: 'POST', url: '/v1/vaccinations', headers: site, payload: { municipality: CHIYODA, coupon: p1.coupon, doseNumber: 1, date: '2026-03-01', vaccine: { maker: 'pfizer', lot: 'FA1234' }, siteCode: 'S001' } }));
    await ok(t.app.inject({ method: 'POST', url: `/v1/recipients/${CHIYODA}/${p1.coupon}/vaccinations/1/corrections`, headers: chiyoda, payload: { changes: { vaccine: { lot: 'FA9999' } }, reason: 'lot typed wrong' } }));
    const p2 = person(2);
    await ok(t.app.inject({ method: 'POST', url: '/v1/vaccinations', headers: site, payload: { municipality: CHIYODA, coupon: p2.coupon, doseNumber: 1, date: '2026-03-02', vaccine: { maker: 'moderna', lot: '3001234' }, siteCode: 'S001' } }));
    await ok(t.app.inject({ method: 'POST', url: `/v1/recipients/${CHIYODA}/${p2.coupon}/vaccinations/1/void`, headers: chiyoda, payload: { reason: 'recorded on the wrong person' } }));

    // Writers record doses for people 3..PEOPLE while the backup runs.
    during = join(work, 'during');
    const backupRun = runCli(['backup', during], cliEnv(t.dataDir, t.dbUrl));
    let backupDone = false;
    void backupRun.then(() => (backupDone = true));
    const writer = async (w: number) => {
      for (let dose = 1; dose <= 3; dose++) {
        for (let i = 3 + w; i <= PEOPLE; i += 4) {
          const p = person(i, i % 4 === 0 ? YOKOHAMA : CHIYODA);
          const r = await t.app.inject({
            method: 'POST',
            url: '/v1/vaccinations',
            headers: site,
            payload: { municipality: p.municipality, coupon: p.coupon, doseNumber: dose, date: ['2026-01-05', '2026-02-05', '2026-06-05'][dose - 1], vaccine: { maker: 'pfizer', lot: 'FA1234' }, siteCode: 'S001' },
          });
          if (r.statusCode !== 201) throw new Error(`${r.statusCode} ${r.body}`);
          acknowledged.push(r.json());
        }
        if (backupDone && dose >= 2) break;
      }
    };
    await Promise.all([0, 1, 2, 3].map(writer));
    const b = await backupRun;
    if (b.code !== 0) throw new Error(`backup failed: ${b.stderr}`);
    await caughtUp(t);
    quietBackup = join(work, 'quiet');
    const q = await runCli(['backup', quietBackup], cliEnv(t.dataDir, t.dbUrl));
    if (q.code !== 0) throw new Error(`backup failed: ${q.stderr}`);
    expect(q.stdout).toMatch(/^backup: \d+ events in \d+ streams/m);
  }, 120_000);
  afterAll(async () => {
    await t?.close();
    if (work) await rm(work, { recursive: true, force: true });
  });

  const restoreInto = async (dir: string) => {
    const db = await createTestDatabase();
    const dataDir = await mkdtemp(join(tmpdir(), 'vrs-restored-'));
    const r = await runCli(['restore', dir], cliEnv(dataDir, db.url));
    return { r, db, dataDir, env: cliEnv(dataDir, db.url) };
  };

  it('restores a quiet backup on a fresh database: every status, history, search, statistics and export answer is the same', async () => {
    const { r, db, dataDir, env } = await restoreInto(quietBackup);
    expect(r.stderr).not.toMatch(stackLine);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^restored: \d+ events/m);
    const restored = await appOn(env);
    try {
      await caughtUp(restored);
      const [a, b] = [await answers(t), await answers(restored)];
      expect(Object.keys(b)).toHaveLength(PEOPLE * 2 + 4);
      expect(b).toEqual(a);
      // New writes after the restore carry on the positions and chains.
      const report = await verifyChains(restored.runtime.store);
      expect(report.breaks).toEqual([]);
    } finally {
      await restored.close();
      await db.drop();
      await rm(dataDir, { recursive: true, force: true });
    }
  }, 90_000);

  it('a backup taken while writers record doses is one consistent snapshot: whole streams, chains intact, a prefix of the original', async () => {
    const { r, db, dataDir, env } = await restoreInto(during);
    expect(r.code).toBe(0);
    const restored = await appOn(env);
    try {
      expect((await verifyChains(restored.runtime.store)).breaks).toEqual([]);
      const original = new Map<string, string[]>();
      await t.runtime.store.settled();
      for await (const e of t.runtime.store.readAll({ batch: 1000 })) original.set(`${e.position}`, [e.stream, `${e.version}`, e.hash]);
      let n = 0;
      for await (const e of restored.runtime.store.readAll({ batch: 1000 })) {
        expect(original.get(`${e.position}`)).toEqual([e.stream, `${e.version}`, e.hash]);
        n++;
      }
      expect(n).toBeGreaterThanOrEqual(PEOPLE + 4);
      // The restored store accepts the next dose of a written person (positions and heads carried on).
      const p = person(5);
      const status = await restored.app.inject({ method: 'GET', url: `/v1/recipients/${CHIYODA}/${p.coupon}`, headers: await restored.auth('municipality', { municipality: CHIYODA, sub: 'c' }) });
      expect(status.statusCode).toBe(200);
    } finally {
      await restored.close();
      await db.drop();
      await rm(dataDir, { recursive: true, force: true });
    }
  }, 90_000);

  const tampered = async (change: (dir: string) => Promise<void>) => {
    const dir = join(work, `tampered-${Math.random().toString(16).slice(2)}`);
    await cp(quietBackup, dir, { recursive: true });
    await change(dir);
    const { r, db, dataDir } = await restoreInto(dir);
    const c = new pg.Client({ connectionString: db.url });
    await c.connect();
    const { rows } = await c.query<{ n: number }>(`SELECT count(*)::int AS n FROM pg_tables WHERE tablename IN ('events', 'recipient_keys', 'access_log')`);
    await c.end();
    await db.drop();
    await rm(dataDir, { recursive: true, force: true });
    return { ...r, tablesCreated: rows[0].n };
  };

  it('refuses a backup with one byte of the events changed, naming the file, before writing anything', async () => {
    const r = await tampered(async (dir) => {
      const f = join(dir, 'events.copy');
      const b = await readFile(f);
      const at = b.indexOf('FA9999');
      b[at + 2] = '8'.charCodeAt(0);
      await writeFile(f, b);
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/backup refused: events\.copy: SHA-256 differs/);
    expect(r.stderr).not.toMatch(stackLine);
    expect(r.tablesCreated).toBe(0);
  }, 60_000);

  it('refuses a byte changed with the manifest digest recomputed to match: the hash chain catches it', async () => {
    const r = await tampered(async (dir) => {
      const f = join(dir, 'events.copy');
      const b = await readFile(f);
      b[b.indexOf('FA9999') + 2] = '8'.charCodeAt(0);
      await writeFile(f, b);
      const m = JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8'));
      const { createHash } = await import('node:crypto');
      m.files.find((x: { path: string }) => x.path === 'events.copy').sha256 = createHash('sha256').update(b).digest('hex');
      await writeFile(join(dir, 'manifest.json'), JSON.stringify(m));
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/backup refused: events\.copy: event line \d+: stream recipient-131016-0000000001 version \d+ breaks its hash chain/);
    expect(r.tablesCreated).toBe(0);
  }, 60_000);

  it('refuses a backup with a file missing, or cut short, or without its manifest', async () => {
    const missing = await tampered((dir) => unlink(join(dir, 'recipient_keys.copy')));
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/backup refused: recipient_keys\.copy: missing/);
    const cut = await tampered(async (dir) => truncate(join(dir, 'access_log.copy'), 10));
    expect(cut.code).toBe(1);
    expect(cut.stderr).toMatch(/backup refused: access_log\.copy: 10 bytes where the manifest says \d+: truncated/);
    const noManifest = await tampered((dir) => unlink(join(dir, 'manifest.json')));
    expect(noManifest.code).toBe(1);
    expect(noManifest.stderr).toMatch(/backup refused: manifest\.json: missing/);
    const grown = await tampered((dir) => appendFile(join(dir, 'chains.copy'), 'x\n'));
    expect(grown.code).toBe(1);
    expect(grown.stderr).toMatch(/chains\.copy/);
    for (const r of [missing, cut, noManifest, grown]) expect(r.tablesCreated).toBe(0);
  }, 90_000);

  it('refuses to restore with other keys, and into a database that already holds records', async () => {
    const db = await createTestDatabase();
    const dataDir = await mkdtemp(join(tmpdir(), 'vrs-restored-'));
    try {
      const other = await runCli(['restore', quietBackup], { ...cliEnv(dataDir, db.url), ...throwawayKeys() });
      expect(other.code).toBe(1);
      expect(other.stderr).toMatch(/not the ones this backup was made with/);
      const first = await runCli(['restore', quietBackup], cliEnv(dataDir, db.url));
      expect(first.code).toBe(0);
      const again = await runCli(['restore', quietBackup], cliEnv(dataDir, db.url));
      expect(again.code).toBe(1);
      expect(again.stderr).toMatch(/restore refused: table events is not empty/);
    } finally {
      await db.drop();
      await rm(dataDir, { recursive: true, force: true });
    }
  }, 90_000);

  it('never writes a key into the backup', async () => {
    const names = await readdir(quietBackup, { recursive: true });
    expect(names).toEqual(expect.arrayContaining(['manifest.json', 'events.copy', 'recipient_keys.copy']));
    for (const n of names) {
      const b = await readFile(join(quietBackup, n)).catch(() => Buffer.alloc(0));
      for (const k of [keys.VRS_MASTER_KEY, keys.VRS_HMAC_KEY, keys.VRS_JWT_SECRET]) expect(b.includes(k)).toBe(false);
    }
    expect(acknowledged.length).toBeGreaterThan(0);
  });
});
