/**
 * Issue 3: single-event appends through our store against raw INSERTs of the same rows into an identical plain
 * table, 1 and 10 writers, distinct streams and one hot stream. Target: >= 0.8x raw at 10 writers, distinct streams.
 */
import pg from 'pg';
import { createDatabase } from './lib/database.js';
import { eventBytes, fakeHash, vaccinationEvent } from './lib/events.js';
import { countStatements } from './lib/countingPool.js';
import { openOurStore } from './lib/ourStore.js';
import { createRawTable } from './lib/rawTable.js';
import { withServer } from './lib/server.js';
import { runIfMain } from './lib/standalone.js';
import { perSecond, runWriters } from './lib/writers.js';
import type { BenchOptions, BenchResult, BenchRow } from './lib/types.js';

type Shape = { writers: number; hot: boolean };

const SHAPES: Shape[] = [
  { writers: 1, hot: false },
  { writers: 10, hot: false },
  { writers: 1, hot: true },
  { writers: 10, hot: true },
];

const label = ({ writers, hot }: Shape) => `${writers} writer${writers > 1 ? 's' : ''}, ${hot ? 'one hot stream' : 'distinct streams'}`;

export const run = async ({ quick, databaseUrl }: BenchOptions): Promise<BenchResult> =>
  withServer(databaseUrl, async (server) => {
    const url = await createDatabase(server, 'bench_append');
    const ours = await openOurStore(url, 20);
    const rawPool = new pg.Pool({ connectionString: url, max: 20 });
    rawPool.on('error', () => {});
    const counter = countStatements(ours.pool);
    const rows: BenchRow[] = [];
    const notes: string[] = [`event size ${eventBytes(vaccinationEvent(1))} bytes of JSON (data + metadata), each with a commandId`];
    try {
      const raw = await createRawTable(rawPool);
      let run = 0;
      for (const shape of SHAPES) {
        run++;
        const count = (quick ? 150 : 1500) * (shape.writers > 1 ? 4 : 1);
        const stream = (i: number) => (shape.hot ? `hot-${run}` : `recipient-${run}-${i}`);
        // Baseline first, then ours, back to back so both see the same machine load.
        const rawSeconds = await runWriters(count, shape.writers, (i) =>
          raw.insert(stream(i), shape.hot ? i + 1 : 1, vaccinationEvent(i), fakeHash(i)),
        );
        counter.reset();
        let gaveUp = 0;
        const oursSeconds = await runWriters(count, shape.writers, (i) =>
          ours.store
            .append(stream(i), [vaccinationEvent(i)], { expected: shape.hot ? 'any' : 'no_stream' })
            .catch((e: { code?: string }) => {
              if (e?.code !== 'VRS01') throw e;
              gaveUp++; // the store gave up after its retry limit
            }),
        );
        const written = count - gaveUp;
        const oursRate = perSecond(written, oursSeconds);
        const rawRate = perSecond(count, rawSeconds);
        const target = !shape.hot && shape.writers === 10 ? '>= 0.8x raw' : undefined;
        rows.push({ name: `append, ${label(shape)}`, figure: oursRate, unit: 'ev/s', baseline: rawRate, baselineName: 'raw INSERT', ratio: oursRate / rawRate, target });
        const c = counter.counts;
        notes.push(
          `${label(shape)}: ${count} appends, ${(c.statements / count).toFixed(2)} statements per append` +
            (shape.hot ? `, ${c.conflicts} head-moved conflicts retried (${(c.conflicts / count).toFixed(2)} per append), ${gaveUp} gave up` : ''),
        );
        console.log(`  ${label(shape)}: ours ${oursRate} ev/s, raw ${rawRate} ev/s`);
      }
      // Diagnostic: the same 10-writer run without a commandId, to show what idempotency costs.
      const count = quick ? 600 : 6000;
      const seconds = await runWriters(count, 10, (i) =>
        ours.store.append(`plain-${i}`, [vaccinationEvent(i, false)], { expected: 'no_stream' }),
      );
      const rawSeconds = await runWriters(count, 10, (i) => raw.insert(`plain-${i}`, 1, vaccinationEvent(i, false), fakeHash(i)));
      const rate = perSecond(count, seconds);
      const rawRate = perSecond(count, rawSeconds);
      rows.push({ name: 'append, 10 writers, distinct streams, no commandId', figure: rate, unit: 'ev/s', baseline: rawRate, baselineName: 'raw INSERT', ratio: rate / rawRate });
    } finally {
      await ours.close();
      await rawPool.end();
    }
    return { rows, notes };
  });

runIfMain(import.meta.url, run);
