import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { textTable } from './format.js';
import type { Bench, BenchResult } from './types.js';

/** Whether the module at `moduleUrl` is the script node was started with. */
export const isMain = (moduleUrl: string) => (process.argv[1] ? realpathSync(process.argv[1]) : '') === realpathSync(fileURLToPath(moduleUrl));

/** Prints a bench's table and notes when it ends; an error is printed and sets the exit code. */
export const printResult = (result: Promise<BenchResult>) =>
  result
    .then(({ rows, notes }) => {
      console.log(`\n${textTable(rows)}`);
      for (const n of notes ?? []) console.log(`- ${n}`);
    })
    .catch((e) => {
      console.error(e);
      process.exitCode = 1;
    });

/** `node --import tsx bench/x.ts [--quick]`: runs the bench on its own fresh server and prints its table. */
export const runIfMain = (moduleUrl: string, run: Bench) => {
  if (isMain(moduleUrl)) void printResult(run({ quick: process.argv.includes('--quick') }));
};
