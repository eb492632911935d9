import type { Command } from 'commander';
import { deleteTenant } from '../../store/backup/delete-tenant.ts';
import { type CliContext, withStore } from '../context.ts';
import { CliUsageError } from '../dates.ts';

/** `perennial tenant list` and `perennial tenant delete ID --yes`. */
export function registerTenant(program: Command, context: () => CliContext): void {
  const tenant = program.command('tenant').description('workspaces (tenants) in the store');

  tenant
    .command('list')
    .description('list the tenants with their number of accounts and users')
    .action(async () => {
      const ctx = context();
      const rows = await withStore(ctx, (store) =>
        store.query<{ id: string; name: string; accounts: number; users: number }>(
          `SELECT t.id, t.name,
                  (SELECT count(*)::int FROM accounts a WHERE a.tenant_id = t.id) AS accounts,
                  (SELECT count(*)::int FROM users u WHERE u.tenant_id = t.id) AS users
             FROM tenants t ORDER BY t.id`,
        ),
      );
      for (const row of rows) ctx.out(`${row.id.padEnd(24)} ${row.accounts} accounts, ${row.users} users`);
      if (rows.length === 0) ctx.out('no tenants');
    });

  tenant
    .command('delete')
    .description('delete EVERY row of one tenant in every table (irreversible; take a backup first)')
    .argument('<id>', 'the tenant id')
    .option('--yes', 'confirm: delete the tenant and all its data')
    .option('--json', 'print the summary as JSON')
    .action(async (id: string, options: { yes?: boolean; json?: boolean }) => {
      const ctx = context();
      if (!options.yes) {
        throw new CliUsageError(
          `deleting tenant ${id} removes all its data irreversibly; run again with --yes to confirm`,
        );
      }
      const summary = await withStore(ctx, (store) => deleteTenant({ store, tenantId: id }));
      if (options.json) {
        ctx.out(JSON.stringify(summary, null, 2));
        return;
      }
      const detail = Object.entries(summary.tables)
        .filter(([, rows]) => rows > 0)
        .map(([table, rows]) => `${table} ${rows}`)
        .join(', ');
      ctx.out(`deleted tenant ${id}: ${summary.rows} rows${detail ? ` (${detail})` : ''}`);
    });
}
