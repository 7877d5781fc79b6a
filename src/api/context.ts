import type pg from 'pg';
import type { Registry } from 'prom-client';
import type { Config } from '../config/config.js';
import type { EventStore } from '../eventstore/contract.js';
import type { Keys } from '../personal/keys.js';
import type { DataKeys } from '../personal/dataKeys.js';
import type { KekRing } from '../personal/kekRing.js';

export type ReadinessCheck = () => Promise<{ name: string; ok: boolean; detail?: unknown }>;

/** Everything a route needs, built once at start (src/cli/serve.ts) or by a test. */
export type AppContext = {
  config: Config;
  store: EventStore;
  /** PostgreSQL for read models, keys and the access log (also when events live in KurrentDB). */
  pool: pg.Pool;
  keys: Keys;
  /** The key-encryption keys of the data keys, by epoch. */
  kekRing: KekRing;
  dataKeys: DataKeys;
  metrics: Registry;
  readiness: ReadinessCheck[];
  /** Extra shared services registered by capabilities (projections, OCR...). */
  services: Record<string, unknown>;
};
