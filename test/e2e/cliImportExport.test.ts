import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import { parse } from 'csv-parse/sync';
import { createTestDatabase } from '../support/database.js';
import { throwawayKeys } from '../support/throwawayKeys.js';
import { runCli, stackLine } from '../support/cli.js';
import { breakCheckDigit, chiyoda, encode, fakeRow, toCsv } from '../fixtures/csv/makeCsv.js';

/** `vrs import` and `vrs export` run as child processes against one database: exit status, stdout, files. */
describe('vrs import FILE and vrs export --out FILE', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let dir: string;
  let env: Record<string, string>;

  beforeAll(async () => {
    db = await createTestDatabase();
    dir = await mkdtemp(join(tmpdir(), 'vrs-cli-import-'));
    env = { DATABASE_URL: db.url, VRS_DATA_DIR: join(dir, 'data'), ...throwawayKeys() };
  });
  afterAll(async () => {
    await db?.drop();
    await rm(dir, { recursive: true, force: true });
  });

  it('imports a clean Shift_JIS file: the answer as JSON on stdout, exit 0', async () => {
    const file = join(dir, 'clean.csv');
    await writeFile(file, encode(toCsv([fakeRow(1), fakeRow(2), fakeRow(3)]), 'sjis'));
    const r = await runCli(['import', file, '--municipality', chiyoda], env);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ imported: 3, duplicates: 0, rejected: [] });
    expect(r.stderr).not.toMatch(stackLine);
  });

  it('exits 1 when a line is rejected, still importing the others and counting re-imported lines as duplicates', async () => {
    const file = join(dir, 'one-bad.csv');
    await writeFile(file, encode(toCsv([fakeRow(3), fakeRow(4), fakeRow(5, { municipality: breakCheckDigit(chiyoda) })]), 'utf8'));
    const r = await runCli(['import', file, '--municipality', chiyoda, '--batch', '2'], env);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout)).toEqual({
      imported: 1,
      duplicates: 1,
      rejected: [{ line: 4, errors: [expect.objectContaining({ field: 'municipality', code: 'INVALID_MUNICIPALITY_CODE' })] }],
    });
    expect(r.stdout).not.toContain(fakeRow(5).name); // the answer never repeats a value from the file
  });

  it('refuses a usage error with exit 2, a message and no stack trace, before reading anything', async () => {
    const r = await runCli(['import', join(dir, 'no-such.csv'), '--municipality', chiyoda], env);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('cannot read');
    expect(r.stderr).toContain('usage: vrs import FILE --municipality CODE');
    expect(r.stderr).not.toMatch(stackLine);
    expect(r.stdout).toBe('');
  });

  it('exports the ledger as CP932 to --out: header 個別宛名番号, one line per recipient in coupon order', async () => {
    const out = join(dir, 'ledger.csv');
    const r = await runCli(['export', '--municipality', chiyoda, '--encoding', 'shift_jis', '--out', out], env);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    const raw = await readFile(out);
    const head = iconv.encode('個別宛名番号', 'cp932');
    expect(raw.subarray(0, head.length).equals(head)).toBe(true); // Shift_JIS bytes, no BOM
    const rows: string[][] = parse(iconv.decode(raw, 'cp932'), { relax_column_count: false });
    expect(rows[0][0]).toBe('個別宛名番号');
    expect(rows[0].slice(1, 3)).toEqual(['1回目接種履歴登録日時', '1回目接種日']);
    expect(rows[0]).toHaveLength(1 + 7 * 8);
    expect(rows.slice(1).map((row) => row[0])).toEqual([1, 2, 3, 4].map((i) => fakeRow(i).addressNumber));
  });
});
