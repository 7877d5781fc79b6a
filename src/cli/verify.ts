import { openRuntime } from './runtime.js';
import { verifyChains } from '../eventstore/verifyChains.js';
import type { Command } from './commands.js';

export const verifyCommand: Command = {
  summary: "walk every stream's hash chain; print OK or each break; exit 1 on a break",
  run: async ({ config }) => {
    const runtime = await openRuntime(config);
    try {
      const report = await verifyChains(runtime.store, (n) => process.stderr.write(`verified ${n} events\n`));
      if (report.breaks.length === 0) {
        console.log(`OK: ${report.events} events in ${report.streams} streams, every hash chain intact`);
        return 0;
      }
      for (const b of report.breaks) {
        console.log(`BROKEN ${b.stream} version ${b.version} (position ${b.position}): ${b.why}; expected ${b.expected}, found ${b.found}`);
      }
      console.log(`${report.breaks.length} break(s) in ${report.events} events`);
      return 1;
    } finally {
      await runtime.close();
    }
  },
};
