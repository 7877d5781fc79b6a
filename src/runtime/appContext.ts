import type pg from 'pg';
import type { Registry } from 'prom-client';
import type { Config } from './config.js';
import type { EventStore } from '../eventstore/contract.js';
import type { Keys } from '../personal/keys.js';
import type { DataKeys } from '../personal/dataKeys.js';
import type { KekRing } from '../personal/kekRing.js';
import type { Schema } from '../eventstore/postgres/schema.js';
import type { Services } from './services.js';

export type ReadinessCheck = () => Promise<{ name: string; ok: boolean; detail?: unknown }>;

/** The process: everything a command, a route or a service needs, built once by openRuntime (or a test). */
export type AppContext = {
  config: Config;
  store: EventStore;
  /**
   * PostgreSQL for read models, keys and the access log (also when events live in KurrentDB), as the server's
   * least-privileged role.
   */
  pool: pg.Pool;
  /** The owner's pool, migrations with their grants, and grants after DDL (projection rebuilds). */
  schema: Schema;
  keys: Keys;
  /** The key-encryption keys of the data keys, by epoch. */
  kekRing: KekRing;
  dataKeys: DataKeys;
  metrics: Registry;
  readiness: ReadinessCheck[];
  /** Shared services made by capabilities (projections, live statistics, scans), with their stop. */
  services: Services;
};
