import type { Grant } from '../grants.js';
import { sql as events } from './001_events.js';
import { sql as eventsOnly } from './002_events_only.js';

/** Versioned, append-only: never edit a released migration, add the next one. */
export const eventStoreMigrations = [
  { id: 1, name: 'events', sql: events },
  { id: 2, name: 'events only', sql: eventsOnly },
];

/**
 * The server's role on this scope's tables: events are appended and read, never changed (the triggers refuse it
 * even to the owner). `schema_migrations` (made by `migrate`) is read by /readyz.
 */
export const eventStoreGrants: Grant[] = [
  { table: 'events', privileges: ['SELECT', 'INSERT'] },
  { table: 'schema_migrations', privileges: ['SELECT'] },
];
