import type pg from 'pg';

export type Privilege = 'SELECT' | 'INSERT' | 'UPDATE' | 'DELETE';

/**
 * What the server's role may do with one object a migration scope created. Each scope keeps its list beside its
 * migrations; `migrate` applies it after migrating, so the role has exactly the listed privileges on the listed
 * objects and nothing on anything else (it owns nothing, and may not TRUNCATE, create or alter).
 * - `table`: the privileges on that table (an identity column needs no sequence grant);
 * - `function`: EXECUTE on it, by signature (e.g. `vrs_erase_data_key(text)`), for a SECURITY DEFINER function
 *   that does one checked thing the role may not do itself.
 */
export type Grant = { table: string; privileges: Privilege[] } | { function: string };

/** Identifiers come from code (scope lists, projection definitions), never from input; quoted all the same. */
export const ident = (s: string) => `"${s.replace(/"/g, '""')}"`;

/**
 * Set-up commits do not wait for a synchronous standby (VRS_SYNC_STANDBY=on): a primary restarted or promoted
 * while its standby is away must still come up and say on /readyz that writes wait. Nothing is lost by it: a
 * migration and its schema_migrations row commit together, and the grants (with the read-model tables made
 * beside them) are made again at every start, so one that missed the standby is made again there. applyGrants
 * sets it for the transaction it runs in.
 */
export const NO_SYNC_WAIT = 'SET LOCAL synchronous_commit = local';

const FUNCTION_SIGNATURE = /^[a-z_][a-z0-9_]*\((?:[a-z ]+(?:\[\])?(?:,\s*[a-z ]+(?:\[\])?)*)?\)$/;

/** Grants the listed privileges to `role`, revoking whatever else it had on those objects first (idempotent). */
export const applyGrants = async (db: pg.ClientBase | pg.Pool, role: string, grants: Grant[]) => {
  if (!('totalCount' in db)) await db.query(NO_SYNC_WAIT);
  for (const g of grants) {
    if ('table' in g) {
      await db.query(`REVOKE ALL ON TABLE ${ident(g.table)} FROM ${ident(role)}`);
      if (g.privileges.length > 0) await db.query(`GRANT ${[...new Set(g.privileges)].join(', ')} ON TABLE ${ident(g.table)} TO ${ident(role)}`);
    } else {
      if (!FUNCTION_SIGNATURE.test(g.function)) throw new Error(`not a function signature: ${g.function}`);
      // A new function is executable by PUBLIC: only the listed role may call it.
      await db.query(`REVOKE ALL ON FUNCTION ${g.function} FROM PUBLIC`);
      await db.query(`GRANT EXECUTE ON FUNCTION ${g.function} TO ${ident(role)}`);
    }
  }
};
