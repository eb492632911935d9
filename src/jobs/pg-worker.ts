/**
 * The PostgreSQL worker: any number of processes, on any machines, share the daily runs through
 * pg-boss and the outbox through `FOR UPDATE SKIP LOCKED`.
 *
 * - **Start-up**: pg-boss creates or migrates its schema under a PostgreSQL advisory lock taken here
 *   (on top of pg-boss's own), then the queues are created if missing — many workers starting at once
 *   do it once and the rest find it done.
 * - **Enqueue** (every tick, in every worker): each due tenant-day becomes one job whose id is derived
 *   from `tenant:day`, so the same day enqueued by five workers is one row (`ON CONFLICT DO NOTHING`).
 *   The queue's `singleton` policy with the tenant as singleton key lets only one job per tenant be
 *   active at a time, so a tenant's days run in order and never concurrently.
 * - **Work**: `runTenantDay` (catches up earlier days first; a day already run is skipped).
 *   Failures retry with exponential back-off (30 s, 60 s, …, 5 tries); then the job goes to the
 *   dead-letter queue, listed by `perennial worker dead-letters`.
 * - **Deliver**: the outbox delivery loop (see `deliver-due.ts`).
 */
import { createHash } from 'node:crypto';
import pg from 'pg';
import PgBoss from 'pg-boss';
import { z } from 'zod';
import type { Config } from '../config/config.ts';
import type { Logger } from '../logging/logger.ts';
import type { MailTransport } from '../mail/mail-transport.ts';
import type { Store } from '../store/store.ts';
import { type DeliveryTuning, deliveryLoop, every } from './loops.ts';
import { runTenantDay } from './run-tenant-day.ts';
import { findDueTenantDays } from './tenant-schedules.ts';

export const BOSS_SCHEMA = 'pgboss';
export const DAILY_RUN_QUEUE = 'perennial-daily-run';
export const DAILY_RUN_DEAD_LETTERS = 'perennial-daily-run-dead';
const START_LOCK_KEY = 7_320_551_002;

const DailyRunJob = z.object({
  tenantId: z.string().min(1),
  day: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
});
type DailyRunJob = z.infer<typeof DailyRunJob>;

/** A UUID derived from `tenant:day` (SHA-256, formatted with version 8), the job's deterministic id. */
export function dailyRunJobId(tenantId: string, day: string): string {
  const hex = createHash('sha256').update(`perennial:daily-run:${tenantId}:${day}`).digest('hex');
  const variant = ((Number.parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** Starts pg-boss with its schema created or migrated under an advisory lock, and the queues in place. */
export async function startBoss({ databaseUrl, log }: { databaseUrl: string; log: Logger }): Promise<PgBoss> {
  const boss = new PgBoss({
    connectionString: databaseUrl,
    schema: BOSS_SCHEMA,
    application_name: 'perennial-worker',
    max: 4,
    schedule: false,
  });
  boss.on('error', (error) => log.error({ err: error }, 'pg-boss error'));
  const lock = new pg.Client({ connectionString: databaseUrl, application_name: 'perennial-worker-start' });
  await lock.connect();
  try {
    await lock.query('SELECT pg_advisory_lock($1)', [START_LOCK_KEY]);
    await boss.start();
    if (!(await boss.getQueue(DAILY_RUN_DEAD_LETTERS)))
      await boss.createQueue(DAILY_RUN_DEAD_LETTERS, { name: DAILY_RUN_DEAD_LETTERS, policy: 'standard' });
    if (!(await boss.getQueue(DAILY_RUN_QUEUE))) {
      await boss.createQueue(DAILY_RUN_QUEUE, {
        name: DAILY_RUN_QUEUE,
        policy: 'singleton',
        retryLimit: 5,
        retryDelay: 30,
        retryBackoff: true,
        expireInSeconds: 30 * 60,
        deadLetter: DAILY_RUN_DEAD_LETTERS,
      });
    }
  } catch (error) {
    await boss.stop({ graceful: false, wait: true }).catch(() => undefined);
    throw error;
  } finally {
    await lock.query('SELECT pg_advisory_unlock($1)', [START_LOCK_KEY]).catch(() => undefined);
    await lock.end().catch(() => undefined);
  }
  return boss;
}

/** Enqueues every due tenant-day (one deterministic job each); returns how many were new. */
export async function enqueueDueDays({
  boss,
  store,
  now,
  log,
}: {
  boss: PgBoss;
  store: Store;
  now: Date;
  log: Logger;
}): Promise<number> {
  const { due } = await findDueTenantDays({ store, now, log });
  const jobs = due.flatMap((tenant) =>
    tenant.days.map((day) => ({
      id: dailyRunJobId(tenant.tenantId, day),
      name: DAILY_RUN_QUEUE,
      data: { tenantId: tenant.tenantId, day } satisfies DailyRunJob,
      singletonKey: tenant.tenantId,
    })),
  );
  if (jobs.length === 0) return 0;
  const [before] = await store.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM ${BOSS_SCHEMA}.job WHERE name = $1 AND id = ANY($2::uuid[])`,
    [DAILY_RUN_QUEUE, jobs.map((job) => job.id)],
  );
  await boss.insert(jobs);
  const added = jobs.length - (before?.n ?? 0);
  if (added > 0) log.info({ jobs: jobs.length }, 'daily runs enqueued');
  return added;
}

export type PgWorker = { stop(): Promise<void> };

export async function startPgWorker({
  store,
  databaseUrl,
  config,
  log,
  transport,
  clock,
  tickMs,
  deliveryIntervalMs,
  schedule,
  deliver,
  delivery,
}: {
  store: Store;
  databaseUrl: string;
  config: Config;
  log: Logger;
  transport: MailTransport | null;
  clock: () => Date;
  tickMs: number;
  deliveryIntervalMs: number;
  schedule: boolean;
  deliver: boolean;
  delivery?: DeliveryTuning;
}): Promise<PgWorker> {
  const boss = await startBoss({ databaseUrl, log });
  const loops: { stop(): Promise<void> }[] = [];
  if (schedule) {
    await boss.work<DailyRunJob>(
      DAILY_RUN_QUEUE,
      { batchSize: 1, pollingIntervalSeconds: Math.max(0.5, Math.min(tickMs / 1000, 2)) },
      async (jobs) => {
        for (const job of jobs) {
          const data = DailyRunJob.parse(job.data);
          await runTenantDay({ store, tenantId: data.tenantId, day: data.day, log });
        }
      },
    );
    loops.push(every(tickMs, () => enqueueDueDays({ boss, store, now: clock(), log }), log, 'enqueue tick'));
  }
  if (deliver) {
    loops.push(
      deliveryLoop({ store, transport, config, log, intervalMs: deliveryIntervalMs, clock, delivery }),
    );
  }
  log.info({ transport: transport?.describe ?? 'none', schedule, deliver }, 'pg-boss worker started');
  return {
    async stop() {
      await Promise.all(loops.map((loop) => loop.stop()));
      await boss.stop({ graceful: true, wait: true, timeout: 15_000 });
    },
  };
}
