import { sql as events } from './001_events.js';
import { sql as eventsOnly } from './002_events_only.js';

/** Versioned, append-only: never edit a released migration, add the next one. */
export const eventStoreMigrations = [
  { id: 1, name: 'events', sql: events },
  { id: 2, name: 'events only', sql: eventsOnly },
];
