import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { chmod, mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { appOn } from '../../support/appOn.js';
import { runCli, stackLine } from '../../support/cli.js';
import { CHIYODA, person } from '../../support/people.js';
import { throwawayKeys } from '../../support/throwawayKeys.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
type App = Awaited<ReturnType<typeof appOn>>;

/** Every (stream, version, hash) of a store. */
const eventsOf = async (a: App) => {
  const out: string[] = [];
  await a.runtime.store.settled();
  for await (const e of a.runtime.store.readAll({ batch: 1000 })) out.push(`${e.stream}@${e.version} ${e.type} ${e.hash}`);
  return out;
};

describe('vrs restore --until: point-in-time recovery from a base backup and archived WAL', () => {
  const keys = throwawayKeys();
  let work: string;
  let archive: string;
  let backupDir: string;
  let until: string;
  let before: string[]; // every event committed before `until`
  let after: string[]; // every event committed after it

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'vrs-pitr-'));
    await chmod(work, 0o711); // the PostgreSQL OS user reaches the archive and clusters through it
    archive = join(work, 'archive');
    backupDir = join(work, 'backup');
    const env = { VRS_DATA_DIR: join(work, 'original'), VRS_WAL_ARCHIVE: archive, ...keys };
    const a = await appOn(env);
    try {
      const chiyoda = await a.auth('municipality', { municipality: CHIYODA, sub: 'clerk' });
      const site = await a.auth('site', { site: 'S001', sub: 'nurse' });
      const dose = async (i: number, n: number) => {
        const p = person(i);
        const date = ['2026-01-05', '2026-02-05', '2026-06-05'][n - 1];
        const r = await a.app.inject({ method: 'POST', url: '/v1/vaccinations', headers: site, payload: { municipality: CHIYODA, coupon: p.coupon, doseNumber: n, date, vaccine: { maker: 'pfizer', lot: 'FA1234' }, siteCode: 'S001' } });
        if (r.statusCode !== 201) throw new Error(`${r.statusCode} ${r.body}`);
      };
      for (let i = 1; i <= 10; i++) {
        const r = await a.app.inject({ method: 'POST', url: '/v1/recipients', headers: chiyoda, payload: person(i) });
        if (r.statusCode !== 201) throw new Error(r.body);
      }
      for (let i = 1; i <= 5; i++) await dose(i, 1);
      const b = await runCli(['backup', backupDir], env, 120_000);
      if (b.code !== 0) throw new Error(`backup: ${b.stderr}`);
      expect(b.stdout).toMatch(/a base backup for point-in-time restore/);
      // After the base backup: doses before the target time, then doses after it.
      await Promise.all([6, 7, 8, 9, 10].map((i) => dose(i, 1)));
      await Promise.all([1, 2, 3].map((i) => dose(i, 2)));
      await sleep(20);
      const { rows } = await a.runtime.owner.pool.query<{ t: string }>(
        `SELECT to_char(clock_timestamp() AT TIME ZONE 'Asia/Tokyo', 'YYYY-MM-DD"T"HH24:MI:SS.US') || '+09:00' AS t`,
      );
      until = rows[0].t;
      before = await eventsOf(a);
      await sleep(20);
      await Promise.all([4, 5, 6, 7].map((i) => dose(i, 2)));
      await Promise.all([1, 2].map((i) => dose(i, 3)));
      after = (await eventsOf(a)).filter((e) => !before.includes(e));
      // The segment holding the later commits is archived when it is switched (archive_timeout would do it later).
      const { rows: sw } = await a.runtime.owner.pool.query<{ f: string }>('SELECT pg_walfile_name(pg_switch_wal()) AS f');
      for (let i = 0; ; i++) {
        const { rows: st } = await a.runtime.owner.pool.query<{ w: string | null }>('SELECT last_archived_wal AS w FROM pg_stat_archiver');
        if (st[0].w && st[0].w >= sw[0].f) break;
        if (i > 600) throw new Error('WAL was not archived');
        await sleep(100);
      }
    } finally {
      await a.close();
    }
  }, 120_000);
  afterAll(async () => {
    if (work && !process.env.KEEP) await rm(work, { recursive: true, force: true });
  });

  it('lands exactly at the time: every event committed before it is there, none committed after it', async () => {
    expect(after).toHaveLength(6); // the six doses recorded after the time
    const env = { VRS_DATA_DIR: join(work, 'restored'), VRS_WAL_ARCHIVE: archive, ...keys };
    const r = await runCli(['restore', backupDir, '--until', until], env, 120_000);
    expect(r.stderr).not.toMatch(stackLine);
    expect({ code: r.code, stderr: r.code === 0 ? '' : r.stderr }).toEqual({ code: 0, stderr: '' });
    expect(r.stdout).toMatch(/^restored to .*: \d+ events in \d+ streams .*every hash chain intact/m);
    const restored = await appOn(env);
    try {
      expect(await eventsOf(restored)).toEqual(before);
      // The restored cluster's superuser has the restoring folder's own generated password, kept 0600; the
      // source's (copied in the base backup as a hash) no longer opens it, and neither does initdb's old default.
      const file = join(work, 'restored', 'keys', 'postgres.password');
      expect((await stat(file)).mode & 0o777).toBe(0o600);
      const mine = (await readFile(file, 'utf8')).trim();
      const source = (await readFile(join(work, 'original', 'keys', 'postgres.password'), 'utf8')).trim();
      expect(mine).toMatch(/^[0-9a-f]{64}$/);
      expect(mine).not.toBe(source);
      const port = Number(new URL(restored.runtime.owner.url).port);
      for (const password of [source, 'postgres']) {
        const c = new pg.Client({ host: '127.0.0.1', port, user: 'postgres', password, database: 'postgres' });
        await expect(c.connect()).rejects.toMatchObject({ code: '28P01' });
        await c.end().catch(() => {});
      }
    } finally {
      await restored.close();
    }
  }, 150_000);

  it('refuses a time without its offset, and --until without a WAL archive, as usage errors', async () => {
    const env = { VRS_DATA_DIR: join(work, 'unused'), ...keys };
    const noOffset = await runCli(['restore', backupDir, '--until', '2026-12-01T10:00:00'], { ...env, VRS_WAL_ARCHIVE: archive });
    expect(noOffset.code).toBe(2);
    expect(noOffset.stderr).toMatch(/--until: must be an ISO 8601 time with its offset/);
    const noArchive = await runCli(['restore', backupDir, '--until', until], env);
    expect(noArchive.code).toBe(2);
    expect(noArchive.stderr).toMatch(/--until: needs VRS_WAL_ARCHIVE/);
  }, 60_000);
});
