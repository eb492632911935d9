/**
 * The scheduler: each tenant's daily run at its local time (see `daily-run-schedule.ts`), then
 * delivery of what the run queued.
 *
 * - **Embedded** (PGlite, one process): a loop inside `perennial serve` / `perennial worker` that every
 *   tick runs the due tenant-days in-process and delivers the outbox.
 * - **PostgreSQL**: `startScheduler` starts a pg-boss worker in-process instead (`pg-worker.ts`), so
 *   any number of `perennial serve` and `perennial worker` processes share the work without running a
 *   tenant-day twice.
 */
import type { Config } from '../config/config.ts';
import type { Logger } from '../logging/logger.ts';
import { createMailTransport, type MailTransport } from '../mail/mail-transport.ts';
import type { Store } from '../store/store.ts';
import { type DeliveryTuning, deliveryLoop, every } from './loops.ts';
import { startPgWorker } from './pg-worker.ts';
import { runDueTenantDays } from './tenant-schedules.ts';

export type SchedulerOptions = {
  store: Store;
  config: Config;
  log: Logger;
  /** Defaults to the configured transport (SMTP, else the mail directory, else none). */
  transport?: MailTransport | null;
  /** Seconds between embedded ticks (and PostgreSQL enqueue ticks). */
  tickSeconds?: number;
  /** Milliseconds between delivery passes. */
  deliveryIntervalMs?: number;
  schedule?: boolean;
  deliver?: boolean;
  delivery?: DeliveryTuning;
  clock?: () => Date;
};

export type Scheduler = { mode: 'embedded' | 'pg-boss'; stop(): Promise<void> };

/**
 * Starts the scheduler in this process and returns `{ mode, stop }`. On PGlite it is the embedded loop;
 * on PostgreSQL a pg-boss worker sharing the work with every other process.
 */
export async function startScheduler(options: SchedulerOptions): Promise<Scheduler> {
  const { store, config, log } = options;
  const transport = options.transport === undefined ? createMailTransport(config) : options.transport;
  const ownsTransport = options.transport === undefined;
  const clock = options.clock ?? (() => new Date());
  const tickMs = (options.tickSeconds ?? 30) * 1000;
  const deliveryIntervalMs = options.deliveryIntervalMs ?? 5000;
  if (store.kind === 'postgres' && config.databaseUrl) {
    const worker = await startPgWorker({
      store,
      databaseUrl: config.databaseUrl,
      config,
      log,
      transport,
      clock,
      tickMs,
      deliveryIntervalMs,
      schedule: options.schedule ?? true,
      deliver: options.deliver ?? true,
      delivery: options.delivery,
    });
    return {
      mode: 'pg-boss',
      async stop() {
        await worker.stop();
        if (ownsTransport) await transport?.close();
      },
    };
  }
  const loops = [
    ...(options.schedule === false
      ? []
      : [every(tickMs, () => runDueTenantDays({ store, now: clock(), log }), log, 'daily-run tick')]),
    ...(options.deliver === false
      ? []
      : [
          deliveryLoop({
            store,
            transport,
            config,
            log,
            intervalMs: deliveryIntervalMs,
            clock,
            delivery: options.delivery,
          }),
        ]),
  ];
  log.info({ transport: transport?.describe ?? 'none' }, 'embedded scheduler started');
  return {
    mode: 'embedded',
    async stop() {
      await Promise.all(loops.map((loop) => loop.stop()));
      if (ownsTransport) await transport?.close();
    },
  };
}
