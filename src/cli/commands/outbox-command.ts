import type { Command } from 'commander';
import { deliverDue } from '../../jobs/deliver-due.ts';
import {
  countOutbox,
  FAILED_STATUSES,
  listOutbox,
  OUTBOX_STATUSES,
  requeueMessages,
} from '../../jobs/list-outbox.ts';
import { mailSettingsFrom } from '../../mail/mail-settings.ts';
import { createMailTransport } from '../../mail/mail-transport.ts';
import { recordOptOut } from '../../mail/unsubscribe-token.ts';
import { type CliContext, withStore } from '../context.ts';
import { CliUsageError, parseCountOption } from '../dates.ts';

export function registerOutbox(program: Command, context: () => CliContext): void {
  const outbox = program
    .command('outbox')
    .description('the outgoing messages: customer emails, digests, webhooks');

  outbox
    .command('flush')
    .description('deliver everything due now, once, and exit (for cron-driven installs and tests)')
    .option('--all-tenants', 'deliver for every tenant, not only PERENNIAL_TENANT')
    .action(async (options: { allTenants?: boolean }) => {
      const ctx = context();
      const transport = createMailTransport(ctx.config);
      try {
        const report = await withStore(ctx, (store) =>
          deliverDue({
            store,
            transport,
            now: () => new Date(),
            tenantId: options.allTenants ? undefined : ctx.config.tenant,
            mail: mailSettingsFrom(ctx.config),
            log: ctx.log,
          }),
        );
        ctx.out(
          `delivered ${report.sent} (${report.possibleDuplicates} flagged possible duplicates); ` +
            `${report.retried} to retry, ${report.failed} failed, ${report.bounced} bounced, ${report.optedOut} opted out` +
            (report.cappedTenants.length > 0
              ? `; daily send cap reached for ${report.cappedTenants.join(', ')}`
              : '') +
            (transport ? ` — via ${transport.describe}` : ''),
        );
        if (!transport && report.waitingForTransport > 0)
          ctx.err(
            `warning: ${report.waitingForTransport} emails wait: set SMTP_URL, or PERENNIAL_MAIL_DIR to write .eml files`,
          );
      } finally {
        await transport?.close();
      }
    });

  outbox
    .command('list')
    .description('show messages by status (newest first) and the count per status')
    .option('--status <statuses>', `comma-separated: ${OUTBOX_STATUSES.join(', ')}`)
    .option('--failed', `shorthand for --status ${FAILED_STATUSES.join(',')}`)
    .option('--limit <n>', 'at most this many messages (default 50)')
    .option('--json', 'print JSON')
    .action(async (options: { status?: string; failed?: boolean; limit?: string; json?: boolean }) => {
      const ctx = context();
      const statuses = [
        ...(options.status ? options.status.split(',').map((s) => s.trim()) : []),
        ...(options.failed ? FAILED_STATUSES : []),
      ];
      const unknown = statuses.filter((s) => !(OUTBOX_STATUSES as readonly string[]).includes(s));
      if (unknown.length > 0)
        throw new CliUsageError(
          `--status: unknown ${unknown.join(', ')} (one of ${OUTBOX_STATUSES.join(', ')})`,
        );
      const limit = parseCountOption('--limit', options.limit, 50, 100_000);
      const { rows, counts } = await withStore(ctx, async (store) => ({
        rows: await listOutbox({ session: store, tenantId: ctx.config.tenant, statuses, limit }),
        counts: await countOutbox({ session: store, tenantId: ctx.config.tenant }),
      }));
      if (options.json) {
        ctx.out(JSON.stringify({ counts, messages: rows }, null, 2));
        return;
      }
      ctx.out(
        counts.length === 0
          ? 'the outbox is empty'
          : counts.map((c) => `${c.status}/${c.kind}: ${c.count}`).join('  '),
      );
      for (const row of rows) {
        ctx.out(
          `${String(row.id).padStart(7)} ${row.dueOn} ${row.status.padEnd(23)} ${row.kind.padEnd(14)} ${row.template.padEnd(34)} ${row.recipient ?? '-'}` +
            (row.attempts > 0 ? ` (${row.attempts} attempt${row.attempts === 1 ? '' : 's'})` : '') +
            (row.lastError ? `  ${row.lastError}` : ''),
        );
      }
    });

  outbox
    .command('opt-out')
    .description('stop automated renewal emails to an address (as its unsubscribe link does)')
    .argument('<email>', 'the customer address')
    .action(async (email: string) => {
      const ctx = context();
      const { withdrawn } = await withStore(ctx, (store) =>
        recordOptOut({ session: store, tenantId: ctx.config.tenant, email, source: 'cli' }),
      );
      ctx.out(`${email.trim().toLowerCase()} opted out; ${withdrawn} queued emails withdrawn`);
    });

  outbox
    .command('retry')
    .description('put failed or bounced messages back in the queue (by id, or --all-failed)')
    .argument('[ids...]', 'outbox message ids (see outbox list --failed)')
    .option('--all-failed', 'every failed and bounced message')
    .action(async (ids: string[], options: { allFailed?: boolean }) => {
      const ctx = context();
      if (ids.length === 0 && !options.allFailed) throw new CliUsageError('give message ids or --all-failed');
      const parsed = ids.map((id) => parseCountOption('id', id, 0, Number.MAX_SAFE_INTEGER));
      const requeued = await withStore(ctx, (store) =>
        requeueMessages({
          session: store,
          tenantId: ctx.config.tenant,
          ids: options.allFailed ? null : parsed,
        }),
      );
      ctx.out(`${requeued} messages queued again`);
    });
}
