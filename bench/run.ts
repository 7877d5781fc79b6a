/**
 * `npm run bench [-- --quick] [names...] [--write | --no-write]`: runs every bench/*.ts that exports `run`, in
 * sequence, each against its own fresh embedded PostgreSQL (fsync on), prints one summary table and rewrites the
 * generated summary in bench/RESULTS.md (full runs by default; quick runs only with --write).
 */
import { readdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { startBenchServer } from './lib/server.js';
import { serverVersion } from './lib/database.js';
import { describeMachine, machineLine, type Machine } from './lib/machine.js';
import { textTable } from './lib/format.js';
import { writeSummary, type RunRecord } from './lib/results.js';
import type { Bench, BenchRow } from './lib/types.js';

const here = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const quick = args.includes('--quick');
const write = args.includes('--write') || (!quick && !args.includes('--no-write'));
const wanted = args.filter((a) => !a.startsWith('--')).map((a) => a.replace(/\.ts$/, ''));

const discover = async () => {
  const names = (await readdir(here)).filter((f) => f.endsWith('.ts') && f !== 'run.ts' && !f.endsWith('.d.ts'));
  const all = names.map((f) => f.replace(/\.ts$/, '')).sort();
  const unknown = wanted.filter((w) => !all.includes(w));
  if (unknown.length) throw new Error(`no bench named ${unknown.join(', ')} (have: ${all.join(', ')})`);
  return wanted.length ? all.filter((n) => wanted.includes(n)) : all;
};

const runOne = async (name: string, onVersion: (v: string) => void): Promise<RunRecord | null> => {
  const mod = (await import(pathToFileURL(join(here, `${name}.ts`)).href)) as { run?: Bench };
  if (typeof mod.run !== 'function') return null;
  console.log(`\n== ${name}${quick ? ' (quick)' : ''}`);
  const started = process.hrtime.bigint();
  const seconds = () => Number(process.hrtime.bigint() - started) / 1e9;
  const server = await startBenchServer();
  try {
    onVersion(await serverVersion(server.url));
    const result = await mod.run({ quick, databaseUrl: server.url });
    console.log(`${textTable(result.rows)}\n(${seconds().toFixed(1)} s)`);
    return { name, result, seconds: seconds() };
  } catch (e) {
    console.error(`bench ${name} failed:`, e);
    process.exitCode = 1;
    return { name, error: e instanceof Error ? e.message : String(e), seconds: seconds() };
  } finally {
    await server.stop();
  }
};

const main = async () => {
  const names = await discover();
  let postgres = 'unknown';
  const runs: RunRecord[] = [];
  const started = Date.now();
  for (const name of names) {
    const r = await runOne(name, (v) => (postgres = v));
    if (r) runs.push(r);
  }
  const machine: Machine = describeMachine(postgres);
  const rows: BenchRow[] = runs.flatMap((r) =>
    r.result ? r.result.rows.map((row) => ({ ...row, name: `${r.name}: ${row.name}` })) : [{ name: `${r.name}: FAILED (${r.error ?? 'unknown error'})`, figure: NaN, unit: '' }],
  );
  console.log(`\n== Summary (${quick ? 'quick' : 'full'}, ${((Date.now() - started) / 1000).toFixed(0)} s) on ${machineLine(machine)}\n`);
  console.log(textTable(rows));
  for (const r of runs) for (const n of r.result?.notes ?? []) console.log(`- ${r.name}: ${n}`);
  const total = (Date.now() - started) / 1000;
  if (quick && total > 120) {
    const slowest = [...runs].sort((a, b) => b.seconds - a.seconds).map((r) => `${r.name} ${Math.round(r.seconds)} s`);
    console.log(`\nWARNING: the quick run took ${Math.round(total)} s (budget 120 s); slowest: ${slowest.join(', ')}`);
  }
  if (write) {
    await writeSummary(join(here, 'RESULTS.md'), runs, { machine, quick, note: process.env.BENCH_NOTE });
    console.log('\nbench/RESULTS.md summary rewritten.');
  } else console.log('\n(quick run: bench/RESULTS.md left as it is; pass --write to record it)');
};

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
