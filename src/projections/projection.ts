import type pg from 'pg';
import type { BulkEvent, BulkTextEvent } from '../eventstore/contract.js';
import type { Privilege } from '../eventstore/postgres/grants.js';

/** A table a projection owns. DDL takes the physical name so rebuild can build a shadow copy and swap it in. */
export type ProjectionTable = {
  name: string;
  create: (table: string) => string;
  /**
   * What the server's role may do with the table (granted after the table is made, and again on the table a
   * rebuild swaps in). Default: SELECT, INSERT, UPDATE, DELETE, since the runner rewrites a read model's rows.
   */
  privileges?: Privilege[];
  /** Indexes, built after a bulk rebuild has filled the shadow table. */
  indexes?: (table: string) => string[];
};

/**
 * A rebuild's bulk load: events in order, in batches; `finish` writes whatever is still held in memory. `close`
 * releases what the loader started (e.g. worker threads) when the load ends early; called after finish too.
 * `addText`, when given, takes events with their data as JSON text (read so when the store can: see
 * readAllBulkText), for a loader that parses it in another thread.
 */
export type BulkLoader = {
  add: (events: BulkEvent[]) => Promise<void>;
  addText?: (events: BulkTextEvent[]) => Promise<void>;
  finish: () => Promise<void>;
  close?: () => Promise<void>;
};

/** How a rebuild's bulk load may work: at most about `limit` entities in memory, `workers` threads beside its own. */
export type BulkOptions = { limit: number; workers: number };

/**
 * A read model: its tables, and how a batch of events changes them. The runner calls `applyBatch` inside the
 * transaction that also moves the checkpoint, so a batch is applied exactly once. `table(name)` gives the
 * physical table to write (the live one, or the shadow during a rebuild).
 */
export type ProjectionDefinition = {
  name: string;
  tables: ProjectionTable[];
  /** Only these event types reach applyBatch (the checkpoint still moves past the others). */
  eventTypes?: string[];
  /**
   * `full`: applyBatch gets whole RecordedEvents (with metadata and hash), read through `tailAll`; the default
   * reads the cheaper bulk tail without them.
   */
  reads?: 'bulk' | 'full';
  applyBatch: (tx: pg.PoolClient, events: BulkEvent[], table: (name: string) => string) => Promise<void>;
  /**
   * Optional faster path for a rebuild's load into the fresh shadow tables: may hold state in memory across
   * batches (at most about `limit` entities) and write each row once, over any of the sessions `dbs` (the first
   * is the rebuild's own), with up to `workers` worker threads for its CPU work. Without it, a rebuild uses applyBatch.
   */
  bulk?: (dbs: pg.PoolClient[], table: (name: string) => string, o: BulkOptions) => BulkLoader;
};

const READ_MODEL_PRIVILEGES: Privilege[] = ['SELECT', 'INSERT', 'UPDATE', 'DELETE'];

/** The grants of a projection's live tables. */
export const tableGrants = (tables: ProjectionTable[]) => tables.map((t) => ({ table: t.name, privileges: t.privileges ?? READ_MODEL_PRIVILEGES }));
