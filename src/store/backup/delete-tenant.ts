/**
 * `perennial tenant delete ID --yes`: removes every row of one tenant (workspace) from every table
 * that has a `tenant_id` column, and the tenant itself, in one transaction. The tables are read from
 * the catalog, so a table added later is covered without changing this file; children go before the
 * tables their foreign keys point to. Other tenants are not touched.
 *
 * Not covered (no tenant column): `login_failures` rows (a hashed email and an address, kept 15
 * minutes for lockout) — they expire on their own.
 */
import { quoteIdent, type Store } from '../store.ts';
import { BackupError } from './backup-error.ts';
import { listTables } from './list-tables.ts';

export type DeleteTenantSummary = { tenantId: string; tables: Record<string, number>; rows: number };

export async function deleteTenant({
  store,
  tenantId,
}: {
  store: Store;
  tenantId: string;
}): Promise<DeleteTenantSummary> {
  return store.transaction(async (tx) => {
    const tables = await listTables(tx);
    const scoped = tables.filter((table) => table.hasTenantId);
    const [known] = await tx.query<{ known: boolean }>(
      `SELECT EXISTS (SELECT 1 FROM tenants WHERE id = $1) OR ${
        scoped.length === 0
          ? 'false'
          : scoped
              .map((table) => `EXISTS (SELECT 1 FROM ${quoteIdent(table.name)} WHERE tenant_id = $1)`)
              .join(' OR ')
      } AS known`,
      [tenantId],
    );
    if (!known?.known)
      throw new BackupError('tenant_not_found', `no tenant ${tenantId} in ${store.location}`);
    const counts: Record<string, number> = {};
    for (const table of [...scoped].reverse()) {
      counts[table.name] = await tx.execute(`DELETE FROM ${quoteIdent(table.name)} WHERE tenant_id = $1`, [
        tenantId,
      ]);
    }
    if (tables.some((table) => table.name === 'tenants')) {
      counts.tenants = await tx.execute('DELETE FROM tenants WHERE id = $1', [tenantId]);
    }
    return { tenantId, tables: counts, rows: Object.values(counts).reduce((sum, n) => sum + n, 0) };
  });
}
