import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { textTable } from './format.js';
import type { Bench } from './types.js';

/** `node --import tsx bench/x.ts [--quick]`: runs the bench on its own fresh server and prints its table. */
export const runIfMain = (moduleUrl: string, run: Bench) => {
  const entry = process.argv[1] ? realpathSync(process.argv[1]) : '';
  if (entry !== realpathSync(fileURLToPath(moduleUrl))) return;
  const quick = process.argv.includes('--quick');
  run({ quick })
    .then(({ rows, notes }) => {
      console.log(`\n${textTable(rows)}`);
      for (const n of notes ?? []) console.log(`- ${n}`);
    })
    .catch((e) => {
      console.error(e);
      process.exitCode = 1;
    });
};
