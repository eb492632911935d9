import type { Command } from 'commander';
import { listDeadLetters } from '../../jobs/list-dead-letters.ts';
import { startScheduler } from '../../jobs/scheduler.ts';
import { openStore } from '../../store/open-store.ts';
import { type CliContext, withStore } from '../context.ts';
import { parseCountOption } from '../dates.ts';

type WorkerOptions = {
  tickSeconds?: string;
  deliveryIntervalMs?: string;
  leaseSeconds?: string;
  concurrency?: string;
  schedule: boolean;
  deliver: boolean;
};

/**
 * `perennial worker`: the scheduler and outbox delivery until SIGTERM/SIGINT. On PostgreSQL any number
 * of workers share the work through pg-boss; on PGlite it is the single embedded loop.
 */
export function registerWorker(program: Command, context: () => CliContext): void {
  const worker = program
    .command('worker')
    .description(
      'run the daily runs at each tenant’s local time and deliver the outbox until stopped (many workers may run on PostgreSQL)',
    )
    .option('--tick-seconds <n>', 'seconds between checks for due daily runs (default 30)')
    .option('--delivery-interval-ms <n>', 'milliseconds between outbox delivery passes (default 5000)')
    .option('--lease-seconds <n>', 'seconds before a message stuck in sending is taken over (default 120)')
    .option('--concurrency <n>', 'messages sent in parallel per worker (default 4)')
    .option('--no-schedule', 'do not run daily runs (deliver only)')
    .option('--no-deliver', 'do not deliver the outbox (daily runs only)')
    .action(async (options: WorkerOptions) => {
      const ctx = context();
      const tickSeconds = parseCountOption('--tick-seconds', options.tickSeconds, 30, 86_400);
      const deliveryIntervalMs = parseCountOption(
        '--delivery-interval-ms',
        options.deliveryIntervalMs,
        5000,
        3_600_000,
      );
      const leaseSeconds = parseCountOption('--lease-seconds', options.leaseSeconds, 120, 86_400);
      const concurrency = parseCountOption('--concurrency', options.concurrency, 4, 64);
      const store = await openStore(ctx.config);
      let scheduler: Awaited<ReturnType<typeof startScheduler>>;
      try {
        scheduler = await startScheduler({
          store,
          config: ctx.config,
          log: ctx.log,
          tickSeconds: Math.max(1, tickSeconds),
          deliveryIntervalMs: Math.max(50, deliveryIntervalMs),
          schedule: options.schedule,
          deliver: options.deliver,
          delivery: { leaseSeconds: Math.max(1, leaseSeconds), concurrency: Math.max(1, concurrency) },
        });
      } catch (error) {
        await store.close();
        throw error;
      }
      ctx.out(`worker ready: ${scheduler.mode} on ${store.kind} (${store.location}), pid ${process.pid}`);
      const signal = await new Promise<NodeJS.Signals>((resolve) => {
        process.once('SIGTERM', resolve);
        process.once('SIGINT', resolve);
      });
      ctx.err(`${signal}: stopping the worker…`);
      try {
        await scheduler.stop();
      } finally {
        await store.close();
      }
      ctx.out('worker stopped');
    });

  worker
    .command('dead-letters')
    .description('daily-run jobs that failed every retry, with their last error (PostgreSQL workers)')
    .option('--json', 'print JSON')
    .action(async (options: { json?: boolean }) => {
      const ctx = context();
      const letters = await withStore(ctx, (store) => listDeadLetters({ session: store }));
      if (options.json) {
        ctx.out(JSON.stringify(letters, null, 2));
        return;
      }
      if (letters.length === 0) ctx.out('no dead letters');
      for (const letter of letters)
        ctx.out(
          `${letter.failedAt ?? '-'}  ${letter.tenantId ?? '?'} ${letter.day ?? '?'}  after ${letter.retries} retries: ${letter.error}`,
        );
    });
}
