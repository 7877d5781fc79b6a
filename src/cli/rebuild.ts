import cliProgress from 'cli-progress';
import { projectionsService } from '../projections/projectionsService.js';
import type { RebuildProgress } from '../projections/rebuild/rebuildProjection.js';
import type { Command } from './commands.js';
import type { OpenWrite } from '../eventstore/contract.js';
import { openRuntime } from '../runtime/openRuntime.js';

/** A bar on a terminal; elsewhere (CI, logs) a line every few seconds and at each phase change. */
const progressReporter = (name: string) => {
  if (process.stderr.isTTY) {
    const bar = new cliProgress.SingleBar(
      { format: `${name} [{bar}] {percentage}% | {value}/{total} positions | {events} events | {phase}`, stream: process.stderr },
      cliProgress.Presets.shades_classic,
    );
    let started = false;
    return {
      update: (p: RebuildProgress) => {
        const total = Math.max(Number(p.headPosition), Number(p.position), 1);
        if (!started) bar.start(total, 0, { events: 0, phase: p.phase });
        started = true;
        bar.setTotal(total);
        bar.update(Number(p.position), { events: p.events, phase: p.phase });
      },
      done: () => started && bar.stop(),
    };
  }
  let lastLine = 0;
  let lastPhase = '';
  const t0 = Date.now();
  return {
    update: (p: RebuildProgress) => {
      if (Date.now() - lastLine < 5000 && p.phase === lastPhase) return;
      lastLine = Date.now();
      lastPhase = p.phase;
      const pct = p.headPosition > 0n ? ((Number(p.position) / Number(p.headPosition)) * 100).toFixed(1) : '100.0';
      const rate = Math.round(p.events / Math.max(0.001, (Date.now() - t0) / 1000));
      process.stderr.write(`${name}: ${p.phase} ${pct}% position ${p.position}/${p.headPosition}, ${p.events} events, ${rate} events/s\n`);
    },
    done: () => {},
  };
};

/**
 * While a rebuild waits in `settle`, every few seconds names the open write transactions it waits for: the one
 * thing an operator can act on (end the session) when a transaction was left open.
 */
export const settleWatch = (
  name: string,
  openWrites: (() => Promise<OpenWrite[]>) | undefined,
  { everyMs = 3000, write = (line: string) => void process.stderr.write(line) }: { everyMs?: number; write?: (line: string) => void } = {},
) => {
  let timer: NodeJS.Timeout | null = null;
  const tell = async () => {
    const open = await openWrites!().catch(() => []);
    const list = open.map((w) => `pid ${w.pid} (${w.database ?? '?'}, ${w.application || '-'}, ${w.state ?? '?'}, ${w.seconds === null ? '?' : Math.round(w.seconds)} s)`);
    if (list.length > 0) write(`${name}: 開いたままの書き込みトランザクションの終了を待っています: ${list.join('; ')}\n`);
  };
  const stop = () => {
    if (timer) clearInterval(timer);
    timer = null;
  };
  return {
    update: (p: Pick<RebuildProgress, 'phase'>) => {
      if (p.phase === 'settle' && openWrites && !timer) timer = setInterval(() => void tell(), everyMs);
      if (p.phase !== 'settle') stop();
    },
    stop,
  };
};

export const rebuildCommand: Command = {
  summary: 'rebuild a projection (or all) from position 0 into a shadow table, then swap it in',
  run: async ({ config, positionals }) => {
    const runtime = await openRuntime(config);
    try {
      const service = projectionsService(runtime);
      const names = positionals.length > 0 ? positionals : service.projections.map((p) => p.name);
      for (const name of names) service.byName(name);
      for (const name of names) {
        const progress = progressReporter(name);
        const watch = settleWatch(name, runtime.store.openWrites?.bind(runtime.store));
        const update = (p: RebuildProgress) => {
          watch.update(p);
          progress.update(p);
        };
        const r = await service.rebuild(name, update).finally(() => {
          watch.stop();
          progress.done();
        });
        console.log(`${name}: rebuilt from ${r.events} events in ${r.seconds.toFixed(1)} s (${Math.round(r.events / Math.max(r.seconds, 0.001))} events/s), at position ${r.position}`);
      }
      return 0;
    } finally {
      await runtime.close();
    }
  },
};
