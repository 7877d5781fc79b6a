import pg from 'pg';
import { startBenchServer } from './lib/server.js';
import { createPostgresEventStore } from '../src/eventstore/postgres/store.js';
import { migrate } from '../src/eventstore/postgres/migrate.js';
import { eventStoreMigrations } from '../src/eventstore/postgres/migrations/index.js';
const server = await startBenchServer();
const store = createPostgresEventStore({ connectionString: server.url });
await migrate(store.pool, 'eventstore', eventStoreMigrations);
for (let b = 0; b < 100; b++) {
  await store.appendMany(Array.from({ length: 1000 }, (_, i) => ({ stream: `recipient-131016-${String(b * 1000 + i).padStart(10, '0')}`, expected: 'no_stream' as const, events: [{ type: 'X', data: { a: 1, b: 'hello' }, metadata: { commandId: `c-${b}-${i}` } }] })));
}
await store.pool.query('ANALYZE events');
const streams = Array.from({ length: 2000 }, (_, i) => `recipient-999999-${i}`);
const q = `EXPLAIN (ANALYZE, BUFFERS) SELECT s.stream, h.version, h.hash FROM unnest($1::text[]) AS s(stream)
      CROSS JOIN LATERAL (SELECT e.version, e.hash FROM events e WHERE e.stream = s.stream ORDER BY e.version DESC LIMIT 1) h`;
console.log((await store.pool.query(q, [streams])).rows.map((r) => r['QUERY PLAN']).join('\n'));
const t0 = performance.now();
await store.appendMany(streams.map((s, i) => ({ stream: s, expected: 'no_stream' as const, events: [{ type: 'X', data: { a: 1, b: 'hello' }, metadata: { commandId: `n-${i}` } }] })));
console.log('append 2000 streams ms', performance.now() - t0);
await store.close(); await server.stop();
