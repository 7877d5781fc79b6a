import cliProgress from 'cli-progress';

/** Bytes through a phase: a bar on a terminal; elsewhere a line every few seconds and at each phase change. */
export const byteProgress = (label: string) => {
  if (process.stderr.isTTY) {
    const bar = new cliProgress.SingleBar(
      { format: `${label} [{bar}] {percentage}% | {mb}/{totalMb} MB | {phase}`, stream: process.stderr },
      cliProgress.Presets.shades_classic,
    );
    let started = false;
    return {
      update: (p: { phase: string; bytes: number; totalBytes: number }) => {
        const fmt = { mb: (p.bytes / 1e6).toFixed(1), totalMb: (p.totalBytes / 1e6).toFixed(1), phase: p.phase };
        if (!started) bar.start(Math.max(p.totalBytes, 1), 0, fmt);
        started = true;
        bar.setTotal(Math.max(p.totalBytes, p.bytes, 1));
        bar.update(p.bytes, fmt);
      },
      done: () => started && bar.stop(),
    };
  }
  let last = 0;
  let lastPhase = '';
  return {
    update: (p: { phase: string; bytes: number; totalBytes: number }) => {
      if (Date.now() - last < 5000 && p.phase === lastPhase) return;
      last = Date.now();
      lastPhase = p.phase;
      process.stderr.write(`${label}: ${p.phase} ${(p.bytes / 1e6).toFixed(1)} MB\n`);
    },
    done: () => {},
  };
};
