/**
 * The worker fleet on PostgreSQL, as real child processes running `perennial worker`:
 * - chaos: three workers deliver hundreds of queued messages across several tenants to a real SMTP
 *   server while one worker is SIGKILLed every few seconds and restarted. Every message must arrive,
 *   none may be lost, and a message received twice (same Message-ID, i.e. same idempotency key) is
 *   only acceptable when the outbox flagged it `sent_possible_duplicate` (a kill between send and
 *   record — the one window SMTP cannot close).
 * - start-up: five workers starting at once on a database without the pg-boss schema create it once,
 *   report no error, and enqueue exactly one job per tenant-day; repeated.
 *
 * PGlite is one process by design (a second process gets `store_locked`), so there is no fleet to test
 * there: these tests are skipped without DATABASE_URL.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importFiles } from '../src/import/import-files.ts';
import { dailyRunJobId } from '../src/jobs/pg-worker.ts';
import { messageIdFor } from '../src/mail/compose-email.ts';
import { openPostgresStore } from '../src/store/postgres-store.ts';
import type { Store } from '../src/store/store.ts';
import { writeCsvSet } from './support/csv-fixture.ts';
import { type SmtpSink, startSmtpSink } from './support/smtp-sink.ts';
import { createTestDatabase, testDatabaseUrl } from './support/test-store.ts';

const BIN = path.resolve(import.meta.dirname, '../bin/perennial');
const FROM = 'Perennial <renewals@vendor.example>';

type Worker = { child: ChildProcess; stdout: string; stderr: string; exit: Promise<number | null> };

function startWorker(env: Record<string, string>, args: string[]): Worker {
  const child = spawn(process.execPath, [BIN, 'worker', ...args], {
    env: { ...process.env, PERENNIAL_LOG_LEVEL: 'warn', PERENNIAL_MAIL_FROM: FROM, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const worker: Worker = {
    child,
    stdout: '',
    stderr: '',
    exit: new Promise((resolve) => child.once('exit', (code) => resolve(code))),
  };
  child.stdout?.on('data', (chunk: Buffer) => {
    worker.stdout += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    worker.stderr += chunk.toString();
  });
  return worker;
}

async function waitFor(what: string, check: () => Promise<boolean> | boolean, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

async function stopAll(workers: readonly Worker[]): Promise<(number | null)[]> {
  for (const worker of workers) if (worker.child.exitCode === null) worker.child.kill('SIGTERM');
  return Promise.all(workers.map((worker) => worker.exit));
}

const errorLines = (worker: Worker) =>
  worker.stderr
    .split('\n')
    .filter((line) => /"level":(50|60)/.test(line) || /unexpected error|^error:/i.test(line));

// Skipped on PGlite by design: pg-boss workers are separate processes, and PGlite serves one process.
describe.skipIf(!testDatabaseUrl)('the worker fleet on PostgreSQL', () => {
  let sink: SmtpSink;
  const cleanups: (() => Promise<void>)[] = [];
  beforeAll(async () => {
    // 80–200 ms per accepted message: slow enough that kills land mid-delivery.
    sink = await startSmtpSink({ delayMs: () => 80 + Math.floor(Math.random() * 120) });
  });
  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
    await sink?.close();
  });

  async function freshDatabase(): Promise<{ url: string; store: Store }> {
    const database = await createTestDatabase(testDatabaseUrl!);
    const store = await openPostgresStore({ url: database.url, poolSize: 4 });
    cleanups.push(async () => {
      await store.close();
      await database.drop();
    });
    return { url: database.url, store };
  }

  it('chaos: 3 workers, one SIGKILLed every 2.5 s — every message delivered, none lost, repeats only when flagged', async () => {
    const { url, store } = await freshDatabase();
    const tenants = ['t1', 't2', 't3', 't4'];
    const perTenant = 100;
    for (const tenant of tenants) {
      await store.execute('INSERT INTO tenants (id, name) VALUES ($1, $1)', [tenant]);
      const rows = Array.from({ length: perTenant }, (_, i) => ({
        key: `C-${i}:renewal-heads-up:c${i}@${tenant}.example`,
        recipient: `c${i}@${tenant}.example`,
        payload: {
          accountId: `A-${i}`,
          accountName: `Customer ${i} of ${tenant}`,
          recipientName: `Contact ${i}`,
          audience: 'primary_contact',
          milestone: 'T-60',
          dueDate: '2026-12-31',
          noticeDeadline: null,
          arr: { amount: '4800.00', currency: 'USD' },
          timezone: 'UTC',
        },
      }));
      await store.execute(
        `INSERT INTO outbox (tenant_id, idempotency_key, kind, contract_id, recipient, template, payload, status, due_on)
         SELECT $1, x.key, 'customer_email', NULL, x.recipient, 'renewal-heads-up', x.payload, 'queued', '2026-01-01'
           FROM jsonb_to_recordset($2::jsonb) AS x(key text, recipient text, payload jsonb)`,
        [tenant, JSON.stringify(rows)],
      );
    }
    const total = tenants.length * perTenant;
    const env = { DATABASE_URL: url, SMTP_URL: sink.url };
    const args = [
      '--tick-seconds',
      '2',
      '--delivery-interval-ms',
      '200',
      '--lease-seconds',
      '5',
      '--concurrency',
      '2',
    ];
    const started = Date.now();
    const workers: Worker[] = [startWorker(env, args), startWorker(env, args), startWorker(env, args)];
    const all = [...workers];
    let kills = 0;
    const remaining = async () => {
      const [row] = await store.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM outbox WHERE status NOT IN ('sent', 'sent_possible_duplicate')",
      );
      return row?.n ?? total;
    };
    const killer = setInterval(() => {
      const index = Math.floor(Math.random() * workers.length);
      workers[index]!.child.kill('SIGKILL');
      kills++;
      workers[index] = startWorker(env, args);
      all.push(workers[index]!);
    }, 2500);
    try {
      await waitFor('every message delivered', async () => (await remaining()) === 0, 55_000);
    } finally {
      clearInterval(killer);
      await stopAll(workers);
    }
    const elapsed = Date.now() - started;

    const outbox = await store.query<{ tenant_id: string; idempotency_key: string; status: string }>(
      'SELECT tenant_id, idempotency_key, status FROM outbox',
    );
    const received = new Map<string, number>();
    for (const mail of sink.received) received.set(mail.messageId, (received.get(mail.messageId) ?? 0) + 1);
    const missing: string[] = [];
    const unflaggedRepeats: string[] = [];
    let repeats = 0;
    for (const row of outbox) {
      const id = `<${messageIdFor(row.tenant_id, row.idempotency_key, FROM)}>`;
      const count = received.get(id) ?? 0;
      if (count === 0) missing.push(row.idempotency_key);
      if (count > 1) {
        repeats += count - 1;
        if (row.status !== 'sent_possible_duplicate') unflaggedRepeats.push(row.idempotency_key);
      }
    }
    const flagged = outbox.filter((row) => row.status === 'sent_possible_duplicate').length;
    console.info(
      `chaos: ${total} messages, ${kills} SIGKILLs, ${all.length} worker processes, ${sink.received.length} SMTP receptions, ` +
        `${received.size} distinct Message-IDs, ${repeats} repeats, ${flagged} flagged sent_possible_duplicate, ${elapsed} ms`,
    );
    expect(outbox).toHaveLength(total);
    expect(missing).toEqual([]); // none lost
    expect(received.size).toBe(total); // nothing foreign, nothing missing
    expect(unflaggedRepeats).toEqual([]); // a repeat only ever after a kill mid-send, and then flagged
    expect(repeats).toBeLessThanOrEqual(kills * 2); // at most the messages in flight (concurrency 2) per kill
    expect(kills).toBeGreaterThanOrEqual(3);
    // Each delivered message has exactly one successful attempt recorded.
    const [attempts] = await store.query<{ sent: number; abandoned: number }>(
      `SELECT (count(*) FILTER (WHERE outcome IN ('sent', 'sent_possible_duplicate')))::int AS sent,
              (count(*) FILTER (WHERE outcome = 'abandoned'))::int AS abandoned FROM delivery_attempts`,
    );
    expect(attempts?.sent).toBe(total);
    expect(attempts?.abandoned).toBeGreaterThanOrEqual(flagged);
  }, 90_000);

  it('five workers starting at once create the pg-boss schema without error and one job per tenant-day (3 rounds)', async () => {
    const tenants = ['alpha', 'beta', 'gamma'];
    const portfolio = await writeCsvSet();
    for (let round = 1; round <= 3; round++) {
      const { url, store } = await freshDatabase();
      for (const tenant of tenants) await importFiles({ store, tenantId: tenant, inputs: [portfolio] });
      const env = { DATABASE_URL: url, PERENNIAL_MAIL_DIR: path.join(portfolio, `mail-${round}`) };
      const workers = Array.from({ length: 5 }, () =>
        startWorker(env, ['--tick-seconds', '1', '--delivery-interval-ms', '500']),
      );
      try {
        await waitFor(
          'five workers ready',
          () => workers.every((w) => w.stdout.includes('worker ready')),
          30_000,
        );
        await waitFor(
          'a daily run per tenant',
          async () => {
            const [row] = await store.query<{ n: number }>(
              'SELECT count(DISTINCT tenant_id)::int AS n FROM daily_runs',
            );
            return row?.n === tenants.length;
          },
          30_000,
        );
        // Let every worker tick a few more times: nothing new may be enqueued for the same days.
        await new Promise((resolve) => setTimeout(resolve, 2500));
      } finally {
        const codes = await stopAll(workers);
        expect(codes).toEqual([0, 0, 0, 0, 0]);
      }
      for (const worker of workers) expect(errorLines(worker)).toEqual([]);
      const runs = await store.query<{ tenant_id: string; as_of: string }>(
        'SELECT tenant_id, as_of FROM daily_runs ORDER BY tenant_id, as_of',
      );
      const jobs = await store.query<{ id: string; tenant: string; day: string }>(
        `SELECT id::text, data->>'tenantId' AS tenant, data->>'day' AS day FROM pgboss.job WHERE name = 'perennial-daily-run'
         UNION ALL
         SELECT id::text, data->>'tenantId', data->>'day' FROM pgboss.archive WHERE name = 'perennial-daily-run'`,
      );
      // One job per tenant-day, with the deterministic id, and one run per tenant-day.
      const keys = jobs.map((job) => `${job.tenant}:${job.day}`);
      expect(new Set(keys).size).toBe(keys.length);
      for (const job of jobs) expect(job.id).toBe(dailyRunJobId(job.tenant, job.day));
      expect(runs.map((run) => `${run.tenant_id}:${run.as_of}`).sort()).toEqual(keys.sort());
      const [version] = await store.query<{ n: number }>('SELECT count(*)::int AS n FROM pgboss.version');
      expect(version?.n).toBe(1);
    }
  }, 120_000);
});
