import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { createTestDatabase } from '../support/database.js';
import { throwawayKeys } from '../support/throwawayKeys.js';
import { runCli, stackLine } from '../support/cli.js';
import { settleWatch } from '../../src/cli/rebuild.js';
import { createPostgresEventStore } from '../../src/eventstore/postgres/store.js';
import { waitFor } from '../integration/projections/support/projectionDb.js';
import { chiyoda, encode, fakeRow, toCsv } from '../fixtures/csv/makeCsv.js';

/** `vrs rebuild` as an operator runs it from a shell script (no terminal): progress lines, then the result. */
describe('vrs rebuild', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let dir: string;
  let env: Record<string, string>;

  beforeAll(async () => {
    db = await createTestDatabase();
    dir = await mkdtemp(join(tmpdir(), 'vrs-cli-rebuild-'));
    env = { DATABASE_URL: db.url, VRS_DATA_DIR: join(dir, 'data'), ...throwawayKeys() };
    const file = join(dir, 'people.csv');
    await writeFile(file, encode(toCsv(Array.from({ length: 12 }, (_, i) => fakeRow(i + 1))), 'utf8'));
    expect((await runCli(['import', file, '--municipality', chiyoda], env)).code).toBe(0);
  }, 60_000);
  afterAll(async () => {
    await db?.drop();
    await rm(dir, { recursive: true, force: true });
  });

  it('rebuilds recipient_status from every event, with a progress line per phase on a non-terminal, and swaps it in', async () => {
    const r = await runCli(['rebuild', 'recipient_status'], env);
    expect(r.code).toBe(0);
    const phases = r.stderr.split('\n').filter((l) => l.startsWith('recipient_status: ')).map((l) => /^recipient_status: (\w+) /.exec(l)?.[1]);
    expect(phases).toEqual(expect.arrayContaining(['load', 'swap']));
    expect(r.stdout).toMatch(/^recipient_status: rebuilt from 24 events in [\d.]+ s \(\d+ events\/s\), at position \d+$/m);
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    try {
      const { rows } = await client.query<{ n: number }>(`SELECT count(*)::int AS n FROM recipient_status WHERE municipality = $1`, [chiyoda]);
      expect(rows[0].n).toBe(12);
    } finally {
      await client.end();
    }
  });

  it('while it waits in settle for a write transaction left open (here by the owner in psql), names that session', async () => {
    // The watch `vrs rebuild` runs, on a short interval: an open write holds back every reader in the cluster
    // (other test files' too), so this keeps it open for a moment only, not for a whole CLI start.
    const store = createPostgresEventStore({ connectionString: db.url });
    const open = new pg.Client({ connectionString: db.url, application_name: 'left-open' });
    await open.connect();
    const lines: string[] = [];
    const watch = settleWatch('statistics', () => store.openWrites!(), { everyMs: 50, write: (l) => lines.push(l) });
    try {
      await open.query('BEGIN');
      // pg_current_xact_id() takes a transaction id, as any write does.
      const { rows: [{ pid }] } = await open.query<{ pid: number }>('SELECT pg_backend_pid() AS pid, pg_current_xact_id()');
      // A later transaction commits: the open one now holds it back from every reader, so a rebuild must wait.
      await store.pool.query('SELECT pg_current_xact_id()');
      let settled = false;
      const waiting = store.settled().then(() => (settled = true));
      watch.update({ phase: 'settle' });
      await waitFor('the watch to name the open session', () => lines.some((l) => l.includes(`pid ${pid} `)), 10_000);
      expect(lines.find((l) => l.includes(`pid ${pid} `))).toMatch(new RegExp(`^statistics: 開いたままの書き込みトランザクションの終了を待っています: .*pid ${pid} \\([^,]+, left-open, idle in transaction, \\d+ s\\)`));
      expect(settled).toBe(false); // the rebuild would still be waiting
      await open.query('COMMIT');
      await waiting;
      watch.update({ phase: 'load' }); // past settle: no more lines
      const told = lines.length;
      await new Promise((r) => setTimeout(r, 200));
      expect(lines.length).toBe(told);
    } finally {
      watch.stop();
      await open.query('ROLLBACK').catch(() => {});
      await open.end();
      await store.close();
    }
  });

  it('refuses an unknown projection by name, listing the known ones, without a stack trace', async () => {
    const r = await runCli(['rebuild', 'no_such_model'], env);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('no_such_model');
    expect(r.stderr).toContain('recipient_status');
    expect(r.stderr).not.toMatch(stackLine);
  });
});
