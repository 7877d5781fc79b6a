import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { Readable } from 'node:stream';
import { createTestApp, type TestApp } from '../../support/testApp.js';
import { chiyoda, encode, fakeRow, toCsv } from '../../fixtures/csv/makeCsv.js';
import { readRecipientCsv, type ImportLine } from '../../../src/import/readRecipientCsv.js';
import { appendBatches } from '../../../src/import/importRecipients.js';
import { countEvents, importBytes, importDepsOf, clerk } from './importDeps.js';

/** The batches of a file, stopping after `n`: what a process killed after its n-th commit had appended. */
async function* firstBatches(batches: AsyncIterable<ImportLine[]>, n: number): AsyncGenerator<ImportLine[]> {
  let seen = 0;
  for await (const b of batches) {
    if (seen++ >= n) return;
    yield b;
  }
}

describe('an import killed mid-file and run again', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => t.close());

  it('leaves every person registered exactly once, with the counts right', async () => {
    const rows = Array.from({ length: 25 }, (_, i) => fakeRow(i + 1));
    rows[20] = { ...rows[20], birthDate: 'not a date' };
    const bytes = encode(toCsv(rows), 'sjis');
    const deps = importDepsOf(t.runtime);
    const partial = await appendBatches(deps, firstBatches(readRecipientCsv(Readable.from([bytes]), { municipality: chiyoda, batchSize: 4 }), 3), {
      actor: clerk(chiyoda),
      municipality: chiyoda,
    });
    expect(partial).toEqual({ imported: 12, duplicates: 0, rejected: [] });

    const whole = await importBytes(t.runtime, bytes, chiyoda, { batchSize: 4 });
    expect(whole.imported).toBe(12);
    expect(whole.duplicates).toBe(12);
    expect(whole.rejected.map((r) => r.line)).toEqual([22]);

    const counts = await countEvents(t.runtime);
    expect(counts.RecipientRegistered).toEqual({ streams: 24, events: 24 });
    expect(counts.MyNumberClaimed).toEqual({ streams: 24, events: 24 });
    const { rows: perStream } = await t.runtime.pool.query<{ n: string }>(
      `SELECT count(*) AS n FROM events WHERE stream LIKE 'recipient-%' GROUP BY stream HAVING count(*) <> 1`,
    );
    expect(perStream).toEqual([]);
  });
});
