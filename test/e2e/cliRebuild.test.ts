import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { createTestDatabase } from '../support/database.js';
import { throwawayKeys } from '../support/throwawayKeys.js';
import { runCli, stackLine, startCli } from '../support/cli.js';
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

  it('while it waits for a write transaction left open (here by the owner in another session), names that session', async () => {
    const open = new pg.Client({ connectionString: db.url, application_name: 'left-open' });
    await open.connect();
    await open.query('BEGIN');
    // pg_current_xact_id() takes a transaction id, as any write does.
    const { rows: [{ pid }] } = await open.query<{ pid: number }>('SELECT pg_backend_pid() AS pid, pg_current_xact_id()');
    const child = startCli(['rebuild', 'statistics'], env);
    let stderr = '';
    let stdout = '';
    child.stderr!.on('data', (b: Buffer) => (stderr += b.toString('utf8')));
    child.stdout!.on('data', (b: Buffer) => (stdout += b.toString('utf8')));
    const closed = new Promise<number | null>((resolve) => child.on('close', resolve));
    try {
      const deadline = Date.now() + 30_000;
      while (!stderr.includes(`pid ${pid} `) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      const line = stderr.split('\n').find((l) => l.includes(`pid ${pid} `));
      expect(line).toMatch(new RegExp(`^statistics: 開いたままの書き込みトランザクションの終了を待っています: .*pid ${pid} \\([^,]+, left-open,`));
      expect(stdout).toBe(''); // still waiting: not rebuilt while the transaction is open
    } finally {
      await open.query('COMMIT');
      await open.end();
    }
    expect(await closed).toBe(0);
    expect(stdout).toMatch(/^statistics: rebuilt from \d+ events/m);
  }, 60_000);

  it('refuses an unknown projection by name, listing the known ones, without a stack trace', async () => {
    const r = await runCli(['rebuild', 'no_such_model'], env);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('no_such_model');
    expect(r.stderr).toContain('recipient_status');
    expect(r.stderr).not.toMatch(stackLine);
  });
});
