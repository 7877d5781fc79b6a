export { createKurrentDbEventStore, type KurrentDbEventStoreOptions } from './store.js';
export { isKurrentDbUrl, normalizeConnectionString } from './connectionString.js';
