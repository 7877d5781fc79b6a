import { openRuntime } from '../runtime/openRuntime.js';
import { verifyChains } from '../eventstore/verifyChains.js';
import type { EventStore } from '../eventstore/contract.js';
import { missingDataKeys } from '../personal/missingDataKeys.js';
import type { Command } from './commands.js';

export const verifyCommand: Command = {
  summary: "walk every stream's hash chain and check no data key was deleted without an erasure event; exit 1 on a finding",
  run: async ({ config }) => {
    const runtime = await openRuntime(config);
    try {
      // One pass over the log feeds both checks.
      const keys = missingDataKeys();
      const store: Pick<EventStore, 'readAll' | 'settled'> = {
        settled: (o) => runtime.store.settled(o),
        readAll: async function* (o) {
          for await (const e of runtime.store.readAll(o)) {
            keys.see(e);
            yield e;
          }
        },
      };
      const report = await verifyChains(store, (n) => process.stderr.write(`verified ${n} events\n`));
      const missing = await keys.missing(runtime.pool);
      for (const b of report.breaks) {
        console.log(`BROKEN ${b.stream} version ${b.version} (position ${b.position}): ${b.why}; expected ${b.expected}, found ${b.found}`);
      }
      for (const stream of missing) {
        console.log(`KEY MISSING ${stream}: its data key was deleted without a PersonalDataErased event`);
      }
      if (report.breaks.length === 0 && missing.length === 0) {
        console.log(`OK: ${report.events} events in ${report.streams} streams, every hash chain intact, every data key accounted for`);
        return 0;
      }
      if (report.breaks.length > 0) console.log(`${report.breaks.length} break(s) in ${report.events} events`);
      if (missing.length > 0) console.log(`${missing.length} data key(s) deleted without an erasure event`);
      return 1;
    } finally {
      await runtime.close();
    }
  },
};
