import pg from 'pg';
import { randomBytes } from 'node:crypto';

/** A fresh, empty database on the test server for one test file. */
export const createTestDatabase = async (): Promise<{ url: string; drop: () => Promise<void> }> => {
  const serverUrl = process.env.VRS_TEST_DATABASE_URL;
  if (!serverUrl) throw new Error('VRS_TEST_DATABASE_URL is not set: tests run through jest global setup');
  const name = `vrs_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`); // name is generated above, never from input
  await admin.end();
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const c = new pg.Client({ connectionString: serverUrl });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      // The runtime's role for this database (roles are cluster-wide; its privileges went with the database).
      await c.query(`DROP ROLE IF EXISTS vrs_app_${name}`);
      await c.end();
    },
  };
};
