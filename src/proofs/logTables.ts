import type { ProjectionTable } from '../projections/projection.js';

/**
 * The tables of one Merkle log, named by its prefix: every complete subtree's hash by (level, index) (level 0:
 * the leaves), which leaf holds which source position, and the head (size and root) in one row. Built by a
 * projection (ledger) or a follower (access log); rebuildable into shadow copies.
 */
export type LogTables = { nodes: string; leaves: string; head: string };

export const logTableNames = (prefix: string): LogTables => ({ nodes: `${prefix}_nodes`, leaves: `${prefix}_leaves`, head: `${prefix}_head` });

export const logTables = (prefix: string): ProjectionTable[] => {
  const t = logTableNames(prefix);
  return [
    {
      name: t.nodes,
      // Append-only for the server's role: a complete subtree never changes.
      privileges: ['SELECT', 'INSERT'],
      create: (name) => `CREATE TABLE IF NOT EXISTS ${name} (level smallint NOT NULL, idx bigint NOT NULL, hash bytea NOT NULL, PRIMARY KEY (level, idx))`,
    },
    {
      name: t.leaves,
      privileges: ['SELECT', 'INSERT'],
      create: (name) => `CREATE TABLE IF NOT EXISTS ${name} (idx bigint PRIMARY KEY, position bigint NOT NULL)`,
      indexes: (name) => [`CREATE UNIQUE INDEX IF NOT EXISTS ${name}_position ON ${name} (position)`],
    },
    {
      name: t.head,
      privileges: ['SELECT', 'INSERT', 'UPDATE'],
      create: (name) => `CREATE TABLE IF NOT EXISTS ${name} (one boolean PRIMARY KEY DEFAULT true CHECK (one), size bigint NOT NULL, root bytea NOT NULL, updated_at timestamptz NOT NULL DEFAULT now())`,
    },
  ];
};
