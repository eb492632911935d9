import type { Command } from 'commander';
import { type DayReport, daysToRun, runDays } from '../../engine/run-daily.ts';
import { type CliContext, withStore } from '../context.ts';
import { CliUsageError, parseDateOption, today } from '../dates.ts';

type RunOptions = { asOf?: string; from?: string; to?: string; json?: boolean };

export function describeDay(report: DayReport): string {
  if (report.unchanged) return `${report.asOf}: ${report.accounts} accounts evaluated, nothing new`;
  return (
    `${report.asOf}: ${report.accounts} accounts evaluated; renewals ${report.renewalsOpened} opened, ` +
    `${report.renewalsUpdated} updated; ${report.tasksOpened} tasks opened; ${report.alertsRaised} alerts; ` +
    `${report.emailsQueued} customer emails queued; ${report.newlyAtRisk.length} newly at risk` +
    (report.stepsSkipped > 0
      ? `; ${report.stepsSkipped} steps older than the first run recorded as skipped`
      : '')
  );
}

export function registerRun(program: Command, context: () => CliContext): void {
  program
    .command('run')
    .description(
      'the daily run: evaluate every account, open tasks, alerts and emails that came due (safe to re-run; catches up missed days)',
    )
    .option('--as-of <date>', 'the day to run (default today); missed days since the last run are run first')
    .option('--from <date>', 'backfill from this day (inclusive)')
    .option('--to <date>', 'backfill up to this day (inclusive; default --as-of)')
    .option('--json', 'print the day reports as JSON')
    .action(async (options: RunOptions) => {
      const ctx = context();
      const asOf = parseDateOption('--to', options.to, () =>
        parseDateOption('--as-of', options.asOf, () => today()),
      );
      const from =
        options.from === undefined ? undefined : parseDateOption('--from', options.from, () => asOf);
      if (from !== undefined && from > asOf) throw new CliUsageError(`--from ${from} is after ${asOf}`);
      const reports = await withStore(ctx, async (store) => {
        const { days, skippedBefore } = await daysToRun({
          session: store,
          tenantId: ctx.config.tenant,
          asOf,
          from,
        });
        if (skippedBefore) {
          ctx.err(
            `warning: the last run was before ${skippedBefore}; catching up from ${days[0]} only (use --from to backfill further)`,
          );
        }
        return runDays({
          store,
          tenantId: ctx.config.tenant,
          days,
          onDay: (report) => {
            if (!options.json) ctx.out(describeDay(report));
          },
        });
      });
      if (options.json) ctx.out(JSON.stringify(reports, null, 2));
    });
}
