import { sql as events } from './001_events.js';

/** Versioned, append-only: never edit a released migration, add the next one. */
export const eventStoreMigrations = [{ id: 1, name: 'events', sql: events }];
