import { stat } from 'node:fs/promises';
import path from 'node:path';
import type { Command } from 'commander';
import { type BounceFileResult, processBounceFiles } from '../../jobs/process-bounce-files.ts';
import { mailSettingsFrom } from '../../mail/mail-settings.ts';
import { type CliContext, withStore } from '../context.ts';
import { CliUsageError } from '../dates.ts';

/** Some bounce files could not be recorded (they stay in place for the next run). */
class BounceProcessingError extends Error {
  readonly code = 'bounces_not_recorded';
  constructor(message: string) {
    super(message);
    this.name = 'BounceProcessingError';
  }
}

function describe(result: BounceFileResult): string {
  const moved = result.movedTo ? ` → ${result.movedTo}` : ' (left in place)';
  switch (result.outcome) {
    case 'recorded':
    case 'duplicate': {
      const what =
        `${result.kind === 'delayed' ? 'delivery delayed' : `${result.kind} bounce`} ${result.status} ` +
        `${result.recipient} (${result.template}, outbox ${result.outboxId}, tenant ${result.tenantId}` +
        `${result.contractId ? `, renewal ${result.contractId}` : ''})`;
      if (result.outcome === 'duplicate') return `already recorded: ${what}${moved}`;
      const effects = [
        ...(result.suppressed ? [`address suppressed, ${result.withdrawn} queued emails withdrawn`] : []),
        ...(result.alertRaised ? ['alert on the renewal'] : []),
      ];
      return `${what}${effects.length > 0 ? ` — ${effects.join('; ')}` : ''}${moved}`;
    }
    case 'unmatched':
      return `unmatched, ignored: ${result.reason}${moved}`;
    case 'not_a_bounce':
      return `not a bounce: ${result.reason}${moved}`;
    case 'not_a_report':
      return `not a delivery status report (${result.reason})${moved}`;
    case 'unreadable':
      return `unreadable: ${result.reason}${moved}`;
    case 'error':
      return `not recorded: ${result.reason}${moved}`;
  }
}

export function registerMail(program: Command, context: () => CliContext): void {
  const mail = program.command('mail').description('the mail that comes back: bounce reports');

  mail
    .command('bounces')
    .description(
      'record bounce reports (RFC 3464 DSNs) from a directory: DIR/*.eml, DIR/new, DIR/cur; handled files move to DIR/processed',
    )
    .requiredOption('--dir <dir>', 'the bounce mailbox as files')
    .option('--keep', 'leave handled files in place (recording stays idempotent)')
    .option('--json', 'print JSON')
    .action(async (options: { dir: string; keep?: boolean; json?: boolean }) => {
      const ctx = context();
      const dir = path.resolve(options.dir);
      const isDir = await stat(dir).then(
        (s) => s.isDirectory(),
        () => false,
      );
      if (!isDir) throw new CliUsageError(`--dir: ${dir} is not a directory`);
      const results = await withStore(ctx, (store) =>
        processBounceFiles({
          store,
          dir,
          secret: mailSettingsFrom(ctx.config).unsubscribeSecret,
          now: new Date(),
          keepFiles: options.keep ?? false,
        }),
      );
      const count = (test: (r: BounceFileResult) => boolean) => results.filter(test).length;
      const failed = results.filter((r) => r.outcome === 'error');
      if (options.json) ctx.out(JSON.stringify({ dir, files: results }, null, 2));
      else {
        for (const result of results)
          (result.outcome === 'error' ? ctx.err : ctx.out)(`${result.file}: ${describe(result)}`);
        const recorded = (kind: string) => count((r) => r.outcome === 'recorded' && r.kind === kind);
        ctx.out(
          `${results.length} files: ${recorded('hard')} hard bounces, ${recorded('soft')} soft bounces, ` +
            `${recorded('delayed')} delays recorded; ${count((r) => r.outcome === 'duplicate')} already recorded, ` +
            `${count((r) => r.outcome === 'unmatched')} unmatched, ${count((r) => r.outcome === 'not_a_bounce')} not bounces; ` +
            `${count((r) => r.movedTo === null)} left in place`,
        );
      }
      if (failed.length > 0)
        throw new BounceProcessingError(`${failed.length} bounce reports could not be recorded; run again`);
    });
}
