import type pg from 'pg';
import { createKek, readKek } from './kekFiles.js';

/**
 * The key-encryption keys (KEKs) by epoch. Data keys are wrapped under the current epoch's KEK; `vrs keys rotate`
 * re-wraps them all under a new epoch and destroys the old KEKs (src/personal/rotateKeys.ts). A running process
 * finds a new epoch when the database refuses a key wrapped under an old one (`refresh`), and reads a KEK file
 * the first time it needs it.
 */
export type KekRing = {
  current: () => Promise<{ epoch: number; key: Buffer }>;
  /** The KEK of an epoch; undefined once destroyed. */
  key: (epoch: number) => Promise<Buffer | undefined>;
  refresh: () => void;
};

/** One key as epoch 0 (tests, benchmarks, and a database that was never rotated). */
export const fixedKekRing = (master: Buffer): KekRing => ({
  current: async () => ({ epoch: 0, key: master }),
  key: async (epoch) => (epoch === 0 ? master : undefined),
  refresh: () => {},
});

/**
 * KEKs from files in `keysDir` (epoch 0: `master.key`, or VRS_MASTER_KEY when set, as before epochs existed).
 * The epoch-0 file is made on first start, as the master key always was; later epochs only by a rotation.
 */
export const openKekRing = async (pool: pg.Pool, keysDir: string, masterFromEnv?: Buffer): Promise<KekRing> => {
  const epochs = await pool.query<{ epoch: number }>('SELECT max(epoch) AS epoch FROM key_epochs WHERE destroyed_at IS NULL');
  if ((epochs.rows[0]?.epoch ?? 0) === 0 && !masterFromEnv && !(await readKek(keysDir, 0))) {
    await createKek(keysDir, 0).catch((e: NodeJS.ErrnoException) => {
      if (e.code !== 'EEXIST') throw e; // another process made it first
    });
  }
  const keys = new Map<number, Buffer>();
  const key = async (epoch: number): Promise<Buffer | undefined> => {
    const hit = keys.get(epoch);
    if (hit) return hit;
    const found = epoch === 0 && masterFromEnv ? masterFromEnv : await readKek(keysDir, epoch);
    if (found) keys.set(epoch, found);
    return found;
  };
  let current: Promise<{ epoch: number; key: Buffer }> | null = null;
  const load = async () => {
    const { rows } = await pool.query<{ epoch: number }>('SELECT coalesce(max(epoch), 0) AS epoch FROM key_epochs');
    const epoch = rows[0].epoch;
    const k = await key(epoch);
    if (!k) throw new Error(`the key file of the current key epoch ${epoch} is missing from the keys directory`);
    return { epoch, key: k };
  };
  return {
    current: () => {
      current ??= load().catch((e) => {
        current = null;
        throw e;
      });
      return current;
    },
    key,
    refresh: () => {
      current = null;
    },
  };
};
