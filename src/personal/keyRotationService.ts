import type pg from 'pg';
import type { KekRing } from './kekRing.js';
import { rotateKeys, rotationDue, type RotationResult } from './rotateKeys.js';

export type KeyRotationLog = { info: (o: object, msg: string) => void; error: (o: object, msg: string) => void };

/**
 * The server's own rotation: checks every quarter of the erasure window (at most every 5 minutes) whether an
 * erasure is waiting to be made final, or a rotation was left unfinished, and rotates then. Any number of servers
 * may run it: one rotation runs at a time (advisory lock), the others find nothing due afterwards.
 */
export const startKeyRotation = (
  deps: { pool: pg.Pool; keysDir: string; ring: KekRing; finalHours: number; masterFromEnv: boolean },
  log: KeyRotationLog,
) => {
  const everyMs = Math.max(250, Math.min((deps.finalHours * 3600 * 1000) / 4, 5 * 60 * 1000));
  let running: Promise<RotationResult | null> | null = null;
  let stopped = false;
  const check = async (): Promise<RotationResult | null> => {
    const due = await rotationDue(deps.pool, deps.finalHours);
    if (!due.due) return null;
    const result = await rotateKeys(deps.pool, deps.keysDir, deps.ring, {
      masterFromEnv: deps.masterFromEnv,
      progress: (line) => log.info({}, line),
    });
    if (!('busy' in result)) log.info({ epoch: result.epoch, rewrapped: result.rewrapped, destroyed: result.destroyed }, 'key epoch rotated: erasures so far are final');
    return result;
  };
  const tick = () => {
    if (stopped || running) return;
    running = check()
      .catch((e: Error) => {
        log.error({ err: e.message }, 'key rotation failed; retried at the next check');
        return null;
      })
      .finally(() => (running = null));
  };
  const timer = setInterval(tick, everyMs);
  timer.unref();
  tick();
  return {
    /** Runs a check now (tests, and an operator's signal); resolves when it is done. */
    checkNow: async () => {
      while (running) await running;
      tick();
      return running ?? null;
    },
    stop: async () => {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
};
