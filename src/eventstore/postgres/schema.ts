import type pg from 'pg';
import type { Grant } from './grants.js';
import { applyGrants } from './grants.js';
import { migrate, type Migration } from './migrate.js';

/**
 * The owner's side of the database, for the few things the server's role may not do: migrating a scope and
 * granting the role that scope's list (`migrate`), and DDL such as a projection rebuild's shadow tables and swap
 * (`owner`, then `grant` on the new tables inside the swapping transaction).
 */
export type Schema = {
  owner: pg.Pool;
  appRole: string | null;
  migrate: (scope: string, migrations: Migration[], grants: Grant[]) => Promise<number[]>;
  grant: (db: pg.ClientBase, grants: Grant[]) => Promise<void>;
};

export const createSchema = (owner: pg.Pool, appRole: string | null): Schema => ({
  owner,
  appRole,
  migrate: (scope, migrations, grants) => migrate(owner, scope, migrations, { role: appRole, grants }),
  grant: async (db, grants) => {
    if (appRole) await applyGrants(db, appRole, grants);
  },
});
