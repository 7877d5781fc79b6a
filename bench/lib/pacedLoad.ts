import { performance } from 'node:perf_hooks';
import { Pool } from 'undici';

export type PacedRequest = { method: 'GET' | 'POST'; path: string; headers: Record<string, string>; body?: string };

export type PacedLoad = {
  url: string;
  /** Requests per second, sent evenly spaced (open loop). */
  rate: number;
  count: number;
  connections: number;
  request: (i: number) => PacedRequest;
};

export type PacedResult = { rps: number; p50: number; p99: number; max: number; ok: number; failed: number };

const percentile = (sorted: Float64Array, p: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? 0;
const tenth = (ms: number) => Math.round(ms * 10) / 10;

/**
 * An open-loop load at a fixed rate: request i is due at start + i/rate, whatever happened to the earlier ones,
 * and its latency is measured from when it was due (so time spent waiting for a free connection counts: no
 * coordinated omission). autocannon's `overallRate` is not this: each connection sends its per-second quota
 * back to back at the top of every second, so a "fixed rate" run is a saturation burst followed by silence.
 */
export const pacedLoad = async ({ url, rate, count, connections, request }: PacedLoad): Promise<PacedResult> => {
  const pool = new Pool(url, { connections, pipelining: 1 });
  const latencies = new Float64Array(count);
  let ok = 0;
  let failed = 0;
  const pending: Promise<void>[] = [];
  const start = performance.now();
  const send = async (i: number, due: number) => {
    const { method, path, headers, body } = request(i);
    try {
      const res = await pool.request({ method, path, headers, body });
      await res.body.dump();
      if (res.statusCode < 300) ok++;
      else failed++;
    } catch {
      failed++;
    }
    latencies[i] = performance.now() - due;
  };
  let next = 0;
  while (next < count) {
    const now = performance.now();
    // Everything due by now goes out; the timer's lateness counts against us, not for us.
    while (next < count && start + (next * 1000) / rate <= now) {
      pending.push(send(next, start + (next * 1000) / rate));
      next++;
    }
    await new Promise((r) => setTimeout(r, 1));
  }
  await Promise.all(pending);
  const seconds = (performance.now() - start) / 1000;
  await pool.close();
  latencies.sort();
  return { rps: Math.round(ok / seconds), p50: tenth(percentile(latencies, 0.5)), p99: tenth(percentile(latencies, 0.99)), max: tenth(latencies[count - 1] ?? 0), ok, failed };
};
