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
import { cpuDuring, postmasterPid } from './lib/cpuTime.js';
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
      // CPU from /proc per phase: a cost that other work on the machine does not distort as it does rates.
      const postgres = await postmasterPid(rawPool);
      // Untimed warm-up of both paths (JIT, named statements, pool connections), so the first shape measured
      // is not the one that pays for it.
      const warm = quick ? 50 : 500;
      await runWriters(warm, 10, (i) => raw.insert(`warm-${i}`, 1, vaccinationEvent(i), fakeHash(i)));
      await runWriters(warm, 10, (i) => ours.store.append(`warm-${i}`, [vaccinationEvent(i)], { expected: 'no_stream' }));
      let run = 0;
      for (const shape of SHAPES) {
        run++;
        // A hot stream at 10 writers runs at ~100 ev/s (retries): it keeps the small count.
        const count = (quick ? 100 : 1500) * (shape.writers > 1 && !shape.hot ? 4 : 1);
        const stream = (i: number) => (shape.hot ? `hot-${run}` : `recipient-${run}-${i}`);
        // Baseline and ours alternate in rounds so that both see the same (shared, noisy) machine load.
        const rounds = quick ? 1 : 3;
        const chunk = Math.ceil(count / rounds);
        let rawSeconds = 0;
        let oursSeconds = 0;
        const cpu = { raw: 0, ours: 0, rawPg: 0, oursPg: 0 };
        const cpuOf = async (work: () => Promise<number>) => {
          const { value, ms } = await cpuDuring({ pg: postgres }, work);
          return { seconds: value, node: ms['load generator'], pg: ms.pg };
        };
        let gaveUp = 0;
        counter.reset();
        for (let r = 0; r < rounds; r++) {
          const at = (i: number) => r * chunk + i;
          const r1 = await cpuOf(() => runWriters(chunk, shape.writers, (i) =>
            raw.insert(stream(at(i)), shape.hot ? at(i) + 1 : 1, vaccinationEvent(at(i)), fakeHash(at(i))),
          ));
          rawSeconds += r1.seconds;
          cpu.raw += r1.node;
          cpu.rawPg += r1.pg;
          const r2 = await cpuOf(() => runWriters(chunk, shape.writers, (i) =>
            ours.store
              .append(stream(at(i)), [vaccinationEvent(at(i))], { expected: shape.hot ? 'any' : 'no_stream' })
              .catch((e: { code?: string }) => {
                if (e?.code !== 'STREAM_VERSION_CONFLICT') throw e;
                gaveUp++; // the store gave up after its retry limit
              }),
          ));
          oursSeconds += r2.seconds;
          cpu.ours += r2.node;
          cpu.oursPg += r2.pg;
        }
        const total = chunk * rounds;
        const written = total - gaveUp;
        const oursRate = perSecond(written, oursSeconds);
        const rawRate = perSecond(total, rawSeconds);
        const target = !shape.hot && shape.writers === 10 ? '>= 0.8x raw' : undefined;
        rows.push({ name: `append, ${label(shape)}`, figure: oursRate, unit: 'ev/s', baseline: rawRate, baselineName: 'raw INSERT', ratio: oursRate / rawRate, target });
        const c = counter.counts;
        const us = (ms: number) => Math.round((ms * 1000) / total);
        notes.push(
          `${label(shape)}: ${total} appends, ${(c.statements / total).toFixed(2)} statements per append; ` +
            `CPU per event: ours ${us(cpu.ours)} µs Node + ${us(cpu.oursPg)} µs PostgreSQL, raw ${us(cpu.raw)} + ${us(cpu.rawPg)} µs` +
            (shape.hot
              ? `, ${c.conflicts} head-moved conflicts retried (${(c.conflicts / total).toFixed(2)} per append), ${c.checkouts} appends took the locked path, ${gaveUp} gave up`
              : ''),
        );
        console.log(`  ${label(shape)}: ours ${oursRate} ev/s, raw ${rawRate} ev/s`);
      }
      // Diagnostic: the same 10-writer run without a commandId, to show what idempotency costs.
      const count = quick ? 400 : 6000;
      const rawSeconds = await runWriters(count, 10, (i) => raw.insert(`plain-${i}`, 1, vaccinationEvent(i, false), fakeHash(i)));
      const seconds = await runWriters(count, 10, (i) =>
        ours.store.append(`plain-${i}`, [vaccinationEvent(i, false)], { expected: 'no_stream' }),
      );
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
