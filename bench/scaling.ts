/**
 * Issue 10: how the cost per event grows with the table. The events table is grown to each size with 100-event
 * appendMany calls (10 streams x 10 events); at each size the last window of that growth is timed, then single-event
 * appends (1 writer, new streams) are probed, then every measure registered in lib/scalingMeasures.ts (rebuild).
 */
import { createDatabase } from './lib/database.js';
import { vaccinationBatch, vaccinationEvent } from './lib/events.js';
import { openOurStore } from './lib/ourStore.js';
import { scalingMeasures } from './lib/scalingMeasures.js';
import { withServer } from './lib/server.js';
import { runIfMain } from './lib/standalone.js';
import { runWriters } from './lib/writers.js';
import type { BenchOptions, BenchResult, BenchRow } from './lib/types.js';

const PER_CALL = 100;
const STREAMS_PER_CALL = 10;

const label = (n: number) => `10^${Math.round(Math.log10(n))}`;
const micros = (seconds: number, events: number) => (seconds * 1e6) / events;

export const run = async ({ quick, databaseUrl }: BenchOptions): Promise<BenchResult> =>
  withServer(databaseUrl, async (server) => {
    const sizes = quick ? [1_000, 10_000] : [10_000, 100_000, 1_000_000];
    const window = quick ? 1_000 : 10_000;
    const probe = quick ? 100 : 1_000;
    const url = await createDatabase(server, 'bench_scaling');
    const ours = await openOurStore(url, 20);
    const rows: BenchRow[] = [];
    const notes: string[] = [];
    let written = 0;
    let calls = 0;
    const batched = (events: number) =>
      runWriters(events / PER_CALL, 1, () => {
        const from = calls++ * PER_CALL;
        const events = vaccinationBatch(from, PER_CALL);
        const per = PER_CALL / STREAMS_PER_CALL;
        return ours.store.appendMany(
          Array.from({ length: STREAMS_PER_CALL }, (_, j) => ({
            stream: `recipient-${from + j * per}`,
            events: events.slice(j * per, (j + 1) * per),
            expected: 'no_stream' as const,
          })),
        );
      });
    try {
      let first: { batched: number; single: number } | null = null;
      for (const size of sizes) {
        const grow = size - written - window;
        if (grow > 0) await batched(grow);
        const batchedCost = micros(await batched(window), window);
        written = size;
        const single = micros(await runWriters(probe, 1, (i) => ours.store.append(`probe-${size}-${i}`, [vaccinationEvent(i)], { expected: 'no_stream' })), probe);
        written += probe;
        first ??= { batched: batchedCost, single };
        rows.push({ name: `appendMany 100 events/call at ${label(size)}`, figure: batchedCost, unit: 'µs/event', baseline: first.batched, baselineName: `at ${label(sizes[0])}`, ratio: batchedCost / first.batched });
        rows.push({ name: `single append at ${label(size)}`, figure: single, unit: 'µs/event', baseline: first.single, baselineName: `at ${label(sizes[0])}`, ratio: single / first.single });
        for (const m of scalingMeasures) {
          const figure = await m.measure({ url, store: ours.store, events: written, quick });
          rows.push({ name: `${m.name} at ${label(size)}`, figure, unit: m.unit });
        }
        console.log(`  ${size} events: appendMany ${batchedCost.toFixed(1)} µs/event, single ${single.toFixed(1)} µs/event`);
      }
      const { rows: size } = await ours.pool.query<{ s: string }>(`SELECT pg_size_pretty(pg_total_relation_size('events')) AS s`);
      notes.push(`events table with indexes at the end: ${size[0].s}; ratios are cost at this size / cost at the smallest size (1.00x = flat)`);
      if (scalingMeasures.length === 0) notes.push('rebuild column: not measured yet (TODO: register it in bench/lib/scalingMeasures.ts)');
    } finally {
      await ours.close();
    }
    return { rows, notes };
  });

runIfMain(import.meta.url, run);
