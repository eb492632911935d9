/**
 * Refreshes a table's planner statistics after a bulk change, as autovacuum would (its default
 * threshold: 50 rows + 10% of the table) — but at once, inside the writing transaction. Without it a
 * freshly loaded tenant is planned from stale or no statistics until autovacuum comes by (PostgreSQL)
 * or forever (PGlite runs no autovacuum), and the API's list queries pick whole-table sorts.
 */
import type { SqlSession } from '../store/store.ts';
import { quoteIdent } from '../store/store.ts';

export async function analyzeIfChanged(
  session: SqlSession,
  table: string,
  changedRows: number,
): Promise<boolean> {
  if (changedRows <= 0) return false;
  const [stats] = await session.query<{ tuples: number }>(
    'SELECT reltuples::float8 AS tuples FROM pg_class WHERE oid = $1::regclass',
    [table],
  );
  const tuples = Math.max(0, stats?.tuples ?? 0);
  if (changedRows < 50 + 0.1 * tuples) return false;
  await session.execute(`ANALYZE ${quoteIdent(table)}`);
  return true;
}
