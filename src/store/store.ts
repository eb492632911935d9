/**
 * The store: one PostgreSQL schema behind two engines. PGlite (embedded, one process, the default)
 * or PostgreSQL through `DATABASE_URL` (many processes, the system of record at scale). Callers see
 * the same `Store`: drizzle for typed queries, raw SQL for set-based work, and `copyCsv` for bulk
 * loading (COPY on both engines).
 */
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import type * as schema from './schema.ts';

export type Database = PgDatabase<PgQueryResultHKT, typeof schema>;

export type SqlSession = {
  query<Row = Record<string, unknown>>(text: string, params?: unknown[]): Promise<Row[]>;
  /** Runs a statement and returns the number of rows it affected. */
  execute(text: string, params?: unknown[]): Promise<number>;
  /** Bulk-loads CSV text (RFC 4180, no header) into the given columns of a table. */
  copyCsv(table: string, columns: readonly string[], csv: string): Promise<void>;
};

export type Store = SqlSession & {
  kind: 'pglite' | 'postgres';
  /** Where the data lives, for messages (a directory, `memory`, or the URL without password). */
  location: string;
  db: Database;
  transaction<T>(work: (tx: SqlSession) => Promise<T>): Promise<T>;
  close(): Promise<void>;
};

export const MIGRATIONS_FOLDER = new URL('../../drizzle', import.meta.url).pathname;

export function quoteIdent(name: string): string {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new RangeError(`unsafe identifier ${name}`);
  return `"${name}"`;
}

export function copyStatement(table: string, columns: readonly string[], source: string): string {
  return `COPY ${quoteIdent(table)} (${columns.map(quoteIdent).join(', ')}) FROM ${source} WITH (FORMAT csv)`;
}
