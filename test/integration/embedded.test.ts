import { describe, it, expect } from '@jest/globals';
import pg from 'pg';
import { createTestDatabase } from '../support/database.js';

describe('test database', () => {
  it('is a real PostgreSQL that answers queries', async () => {
    const db = await createTestDatabase();
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    const { rows } = await client.query<{ v: string }>('SELECT current_setting($1) AS v', ['server_version_num']);
    await client.end();
    await db.drop();
    expect(Number(rows[0].v)).toBeGreaterThanOrEqual(150000);
  });
});
