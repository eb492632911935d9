import type { Command } from 'commander';
import { addDays } from '../../domain/calendar.ts';
import { renderCalendar } from '../../mail/render-calendar.ts';
import { type CliContext, withStore } from '../context.ts';
import { CliUsageError, parseDateOption, today } from '../dates.ts';

export function registerCalendar(program: Command, context: () => CliContext): void {
  program
    .command('calendar')
    .description("a user's tasks and renewal milestones as an iCalendar (.ics) feed on stdout")
    .requiredOption('--user <id>', 'the user id (users.csv user_id)')
    .option('--from <date>', 'first day (default 30 days ago)')
    .option('--to <date>', 'last day (default one year ahead)')
    .action(async (options: { user: string; from?: string; to?: string }) => {
      const ctx = context();
      const from = parseDateOption('--from', options.from, () => addDays(today(), -30));
      const to = parseDateOption('--to', options.to, () => addDays(today(), 365));
      if (from > to) throw new CliUsageError(`--from ${from} is after --to ${to}`);
      const ics = await withStore(ctx, (store) =>
        renderCalendar({ store, tenantId: ctx.config.tenant, userId: options.user, from, to }),
      );
      process.stdout.write(ics);
    });
}
