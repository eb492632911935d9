/** Background loops shared by the embedded scheduler and the pg-boss worker. */
import type { Config } from '../config/config.ts';
import type { Logger } from '../logging/logger.ts';
import { mailSettingsFrom } from '../mail/mail-settings.ts';
import type { MailTransport } from '../mail/mail-transport.ts';
import type { Store } from '../store/store.ts';
import { type DeliverDueOptions, type DeliveryReport, deliverDue } from './deliver-due.ts';

export type DeliveryTuning = Partial<
  Pick<DeliverDueOptions, 'leaseSeconds' | 'batchSize' | 'concurrency' | 'maxAttempts' | 'retryBaseSeconds'>
>;

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        resolve();
      },
      { once: true },
    );
  });
}

/** A loop that runs `work` every `intervalMs` until stopped; errors are logged, never thrown. */
export function every(
  intervalMs: number,
  work: () => Promise<unknown>,
  log: Logger,
  name: string,
): { stop(): Promise<void> } {
  const controller = new AbortController();
  const done = (async () => {
    while (!controller.signal.aborted) {
      try {
        await work();
      } catch (error) {
        log.error({ err: error }, `${name} failed; retrying`);
      }
      await sleep(intervalMs, controller.signal);
    }
  })();
  return {
    async stop() {
      controller.abort();
      await done;
    },
  };
}

/** Delivers until nothing is left to claim (one `deliverDue` call is a full pass). */
export function deliveryLoop(options: {
  store: Store;
  transport: MailTransport | null;
  config: Config;
  log: Logger;
  intervalMs: number;
  clock: () => Date;
  delivery?: DeliveryTuning;
}): { stop(): Promise<void> } {
  const mail = mailSettingsFrom(options.config);
  return every(
    options.intervalMs,
    async () => {
      const report: DeliveryReport = await deliverDue({
        store: options.store,
        transport: options.transport,
        now: options.clock,
        mail,
        log: options.log,
        ...options.delivery,
      });
      if (report.claimed > 0) options.log.info(report, 'delivery pass');
    },
    options.log,
    'delivery',
  );
}
