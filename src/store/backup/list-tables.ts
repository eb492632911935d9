/**
 * What a backup covers: every base table of the `public` schema (the application's tables; pg-boss
 * keeps its queue in its own schema and drizzle its migration log in `drizzle`), ordered so that a
 * table comes after the tables its foreign keys point to. Read from the catalog, not from a list in
 * code, so a table added by a later migration is backed up, restored and purged without anyone
 * remembering to add it here.
 */
import type { SqlSession } from '../store.ts';

export type TableInfo = {
  name: string;
  columns: string[];
  /** Columns filled from a sequence (bigserial ids), whose sequence a restore moves past the data. */
  serialColumns: string[];
  hasTenantId: boolean;
};

export type SchemaVersion = { migrations: number; lastMigrationAt: number | null };

export async function listTables(session: SqlSession): Promise<TableInfo[]> {
  const columns = await session.query<{
    table_name: string;
    column_name: string;
    column_default: string | null;
  }>(
    `SELECT c.table_name, c.column_name, c.column_default
       FROM information_schema.columns c
       JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
      WHERE c.table_schema = 'public' AND t.table_type = 'BASE TABLE'
      ORDER BY c.table_name, c.ordinal_position`,
  );
  const byName = new Map<string, TableInfo>();
  for (const row of columns) {
    let table = byName.get(row.table_name);
    if (!table) {
      table = { name: row.table_name, columns: [], serialColumns: [], hasTenantId: false };
      byName.set(row.table_name, table);
    }
    table.columns.push(row.column_name);
    if (row.column_default?.startsWith('nextval(')) table.serialColumns.push(row.column_name);
    if (row.column_name === 'tenant_id') table.hasTenantId = true;
  }
  const references = await session.query<{ child: string; parent: string }>(
    `SELECT DISTINCT child.relname AS child, parent.relname AS parent
       FROM pg_constraint k
       JOIN pg_class child ON child.oid = k.conrelid
       JOIN pg_class parent ON parent.oid = k.confrelid
       JOIN pg_namespace n ON n.oid = child.relnamespace
      WHERE k.contype = 'f' AND n.nspname = 'public' AND child.relname <> parent.relname`,
  );
  const parents = new Map<string, Set<string>>();
  for (const { child, parent } of references) {
    if (!parents.has(child)) parents.set(child, new Set());
    parents.get(child)!.add(parent);
  }
  // Depth-first topological order, alphabetical among equals so the order is stable.
  const ordered: TableInfo[] = [];
  const done = new Set<string>();
  const visit = (name: string, path: Set<string>) => {
    if (done.has(name) || path.has(name)) return;
    path.add(name);
    for (const parent of [...(parents.get(name) ?? [])].sort()) visit(parent, path);
    path.delete(name);
    done.add(name);
    const table = byName.get(name);
    if (table) ordered.push(table);
  };
  for (const name of [...byName.keys()].sort()) visit(name, new Set());
  return ordered;
}

/** The migrations applied to a store: a backup restores only into a store at the same version. */
export async function readSchemaVersion(session: SqlSession): Promise<SchemaVersion> {
  const [row] = await session.query<{ migrations: number; last: string | number | null }>(
    'SELECT count(*)::int AS migrations, max(created_at)::text AS last FROM drizzle.__drizzle_migrations',
  );
  return {
    migrations: row?.migrations ?? 0,
    lastMigrationAt: row?.last === null || row?.last === undefined ? null : Number(row.last),
  };
}
