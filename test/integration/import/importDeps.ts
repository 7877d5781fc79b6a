import { Readable } from 'node:stream';
import type { ImportDeps } from '../../../src/import/appendImport.js';
import { importRecipients, type ImportOptions } from '../../../src/import/importRecipients.js';
import type { Runtime } from '../../../src/runtime/openRuntime.js';

export const importDepsOf = (rt: Runtime): ImportDeps => ({ store: rt.store, dataKeys: rt.dataKeys, hmacKey: rt.keys.hmac });

export const clerk = (municipality: string) => ({ role: 'municipality', sub: `clerk-${municipality}`, municipality });

/** Imports `bytes` as the given municipality's clerk. */
export const importBytes = (rt: Runtime, bytes: Buffer, municipality: string, options: Partial<ImportOptions> = {}) =>
  importRecipients(importDepsOf(rt), Readable.from([bytes]), { actor: clerk(municipality), municipality, ...options });

/** Rows per event type and stream prefix: how many registrations and claims really are in the store. */
export const countEvents = async (rt: Runtime) => {
  const { rows } = await rt.pool.query<{ type: string; streams: string; events: string }>(
    `SELECT type, count(DISTINCT stream) AS streams, count(*) AS events FROM events GROUP BY type`,
  );
  return Object.fromEntries(rows.map((r) => [r.type, { streams: Number(r.streams), events: Number(r.events) }]));
};
