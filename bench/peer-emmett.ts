/**
 * Issue 10: the same workloads through Emmett 0.42 (`@event-driven-io/emmett-postgresql`) and through our store, on
 * one server, each store in its own database, in the same run. Ratios are ours / Emmett (higher is better for us).
 */
import { createDatabase } from './lib/database.js';
import { vaccinationBatch, vaccinationEvent } from './lib/events.js';
import { emmettSubject, ourSubject, type Subject } from './lib/subjects.js';
import { withServer } from './lib/server.js';
import { runIfMain } from './lib/standalone.js';
import { perSecond, runWriters, timed } from './lib/writers.js';
import type { BenchOptions, BenchResult, BenchRow } from './lib/types.js';

const sizes = (quick: boolean) =>
  quick
    ? { single1: 150, single10: 600, batches: 20, reads: 10, catchUp: 5_000, catchUpBudgetS: 20 }
    : { single1: 1_500, single10: 6_000, batches: 200, reads: 50, catchUp: 1_000_000, catchUpBudgetS: 240 };

const batchOf = vaccinationBatch;

/** A workload runs `ops` operations in round `round` (stream names stay unique) and returns its seconds. */
type Workload = { name: string; unit: string; ops: number; perOp: number; measure: (s: Subject, round: number, ops: number) => Promise<number> };

export const run = async ({ quick, databaseUrl }: BenchOptions): Promise<BenchResult> =>
  withServer(databaseUrl, async (server) => {
    const size = sizes(quick);
    const subjects = [await emmettSubject(await createDatabase(server, 'bench_emmett')), await ourSubject(await createDatabase(server, 'bench_ours'))];
    const notes: string[] = [];
    const workloads: Workload[] = [
      {
        name: 'append 1 event, 1 writer, distinct streams',
        unit: 'ev/s',
        ops: size.single1,
        perOp: 1,
        measure: (s, r, ops) => runWriters(ops, 1, (i) => s.appendNew(`one-${r}-${i}`, [vaccinationEvent(i)])),
      },
      {
        name: 'append 1 event, 10 writers, distinct streams',
        unit: 'ev/s',
        ops: size.single10,
        perOp: 1,
        measure: (s, r, ops) => runWriters(ops, 10, (i) => s.appendNew(`ten-${r}-${i}`, [vaccinationEvent(i)])),
      },
      {
        name: 'append 100 events, 1 writer',
        unit: 'ev/s',
        ops: size.batches,
        perOp: 100,
        measure: (s, r, ops) => runWriters(ops, 1, (i) => s.appendNew(`hundred-${r}-${i}`, batchOf(i * 100, 100))),
      },
      {
        name: 'read one stream of 1,000 events',
        unit: 'streams/s',
        ops: size.reads,
        perOp: 1,
        measure: async (s, r, ops) => {
          if (r === 0) for (let k = 0; k < 10; k++) await s.appendAny('long', batchOf(k * 100, 100));
          return (
            await timed(async () => {
              for (let i = 0; i < ops; i++) if ((await s.readStream('long')) !== 1000) throw new Error(`${s.name} read a short stream`);
            })
          ).seconds;
        },
      },
    ];
    const rows: BenchRow[] = [];
    // Emmett and ours alternate in rounds, so both see the same (shared, noisy) machine load.
    const rounds = quick ? 1 : 3;
    try {
      for (const w of workloads) {
        const chunk = Math.ceil(w.ops / rounds);
        const seconds = [0, 0];
        for (let r = 0; r < rounds; r++) for (const [k, s] of subjects.entries()) seconds[k] += await w.measure(s, r, chunk);
        const [peer, ours] = seconds.map((t) => (chunk * rounds * w.perOp) / t);
        console.log(`  ${w.name}: ours ${Math.round(ours)}, Emmett ${Math.round(peer)} ${w.unit}`);
        rows.push({ name: w.name, figure: ours, unit: w.unit, baseline: peer, baselineName: 'Emmett', ratio: ours / peer });
      }
      rows.push(...(await catchUpRows(subjects, size.catchUp, size.catchUpBudgetS, notes)));
    } finally {
      for (const s of subjects) await s.close();
    }
    return { rows, notes };
  });

/**
 * Seeds `total` events into each store (sequentially, 1,000 per call: one writer, so Emmett's consumer has no late
 * commits to skip), then catches up from the start. Emmett's batch query sorts the whole table each time, so its
 * run is cut at a time budget and its rate is taken over what it read.
 */
const catchUpRows = async (subjects: Subject[], total: number, budgetS: number, notes: string[]): Promise<BenchRow[]> => {
  const rates: number[] = [];
  for (const s of subjects) {
    const { seconds } = await timed(async () => {
      for (let k = 0; k < total; k += 1000) await s.seed(k, batchOf(k, 1000));
    });
    notes.push(`${s.name}: seeded ${total.toLocaleString('en-US')} events at ${perSecond(total, seconds).toLocaleString('en-US')} ev/s (1,000 per call)`);
  }
  for (const s of subjects) {
    const { seconds, value: read } = await timed(() => s.catchUp(total, Date.now() + budgetS * 1000));
    rates.push(read / seconds);
    const cut = read < total ? ` (stopped at the ${budgetS} s budget)` : '';
    notes.push(`${s.name}: caught up ${read.toLocaleString('en-US')} of ${total.toLocaleString('en-US')} events in ${seconds.toFixed(1)} s${cut}`);
    console.log(`  catch-up ${s.name}: ${read} events, ${Math.round(read / seconds)} ev/s`);
  }
  const [peer, ours] = rates;
  return [{ name: `catch up a subscription over ${total.toLocaleString('en-US')} events`, figure: ours, unit: 'ev/s', baseline: peer, baselineName: 'Emmett', ratio: ours / peer }];
};

runIfMain(import.meta.url, run);
