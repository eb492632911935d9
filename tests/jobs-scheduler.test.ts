/**
 * The automation end to end on a real store and a real SMTP server: a simulated clock ticks every
 * 30 minutes through two New York DST changes; each tick runs whatever daily runs are due (the
 * scheduler) and delivers the outbox. The SMB sequence must arrive exactly once per step, on the
 * expected local dates, and never before the tenant's local run time.
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config/config.ts';
import { addDays } from '../src/domain/calendar.ts';
import { runDays } from '../src/engine/run-daily.ts';
import { importFiles } from '../src/import/import-files.ts';
import { localDate, runInstantFor } from '../src/jobs/daily-run-schedule.ts';
import { deliverDue } from '../src/jobs/deliver-due.ts';
import { startScheduler } from '../src/jobs/scheduler.ts';
import { runDueTenantDays } from '../src/jobs/tenant-schedules.ts';
import { createLogger } from '../src/logging/logger.ts';
import type { MailSettings } from '../src/mail/compose-email.ts';
import { createSmtpTransport, type MailTransport } from '../src/mail/mail-transport.ts';
import type { Store } from '../src/store/store.ts';
import { type SmtpSink, startSmtpSink } from './support/smtp-sink.ts';
import { openTestStore, type TestStore } from './support/test-store.ts';

const NY = 'America/New_York';
const MAIL: MailSettings = {
  from: 'Acme Renewals <renewals@vendor.example>',
  publicUrl: 'https://perennial.vendor.example',
  unsubscribeSecret: 'test-secret',
};

async function smbPortfolio(): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'perennial-smb-'));
  const usage = ['account_id,date,active_users,licensed_seats,core_feature_adoption_pct'];
  for (let day = '2026-06-01'; day <= '2027-04-30'; day = addDays(day, 7))
    usage.push(`A-S,${day},44,50,75`, `A-F,${day},44,50,75`);
  const files: Record<string, string[]> = {
    'users.csv': [
      'user_id,name,email,role,manager_id',
      'U-1,Mara Lind,mara@vendor.example,manager,',
      'U-2,Kenji Ito,kenji@vendor.example,csm,U-1',
    ],
    'accounts.csv': [
      'account_id,name,industry,country,currency,fiscal_year_start_month,segment_override,strategic,owner_csm,owner_sales,timezone',
      'A-S,Spring Bakery,retail,US,USD,1,,false,U-2,,America/New_York',
      'A-F,Fall Florist,retail,US,USD,1,,false,U-2,,America/New_York',
    ],
    'contracts.csv': [
      'contract_id,account_id,start_date,end_date,arr,currency,seats,auto_renew,payment_on_file,notice_days,status,previous_contract_id',
      'C-S,A-S,2026-03-29,2027-03-28,6000.00,USD,50,false,false,,active,',
      'C-F,A-F,2025-11-09,2026-11-08,6000.00,USD,50,false,false,,active,',
    ],
    'usage.csv': usage,
    'surveys.csv': ['account_id,date,kind,score,comment', 'A-S,2026-10-01,nps,9,', 'A-F,2026-08-01,nps,9,'],
    'stakeholders.csv': [
      'stakeholder_id,account_id,name,email,role,strength,stance,last_contact_on,left_on',
      'S-S,A-S,Dana Baker,dana@spring.example,champion,strong,supporter,2026-12-01,',
      'S-F,A-F,Flo Rist,flo@fall.example,champion,strong,supporter,2026-08-01,',
    ],
  };
  for (const [name, lines] of Object.entries(files))
    await writeFile(path.join(dir, name), `${lines.join('\n')}\n`);
  return dir;
}

let testStore: TestStore;
let sink: SmtpSink;
let transport: MailTransport;
let portfolio: string;

beforeAll(async () => {
  testStore = await openTestStore();
  sink = await startSmtpSink();
  transport = createSmtpTransport(sink.url);
  portfolio = await smbPortfolio();
});
afterAll(async () => {
  await transport?.close();
  await sink?.close();
  await testStore?.close();
});

async function simulate(store: Store, from: string, to: string, stepMinutes = 30): Promise<void> {
  for (let t = Date.parse(from); t <= Date.parse(to); t += stepMinutes * 60_000) {
    const now = new Date(t);
    await runDueTenantDays({ store, now });
    await deliverDue({ store, transport, now, mail: MAIL });
  }
}

function customerMailTo(address: string) {
  return sink.received
    .filter((mail) => mail.envelopeTo.includes(address))
    .map((mail) => ({
      messageId: mail.messageId,
      subject: mail.subject,
      date: mail.date!,
      localDay: localDate(NY, mail.date!),
    }));
}

describe('the scheduler on a simulated clock', () => {
  it('sends the SMB sequence once per step on the expected local dates across both DST changes; re-runs send nothing', async () => {
    const { store } = testStore;

    // Autumn: runs at 01:30 New York time, which happens twice on 2026-11-01 (fall back).
    await importFiles({ store, tenantId: 'fall', inputs: [portfolio] });
    await store.execute(
      "INSERT INTO tenant_settings (tenant_id, timezone, daily_run_time) VALUES ('fall', $1, '01:30')",
      [NY],
    );
    await simulate(store, '2026-09-05T00:00:00Z', '2026-11-09T12:00:00Z');
    const fall = customerMailTo('flo@fall.example');
    expect(fall.map((m) => m.localDay)).toEqual(['2026-09-09', '2026-10-09', '2026-10-25', '2026-11-01']);
    expect(fall.map((m) => m.subject)).toEqual([
      'Your Fall Florist renewal is coming up on November 8, 2026',
      'Renew Fall Florist in one click',
      'Following up: your Fall Florist renewal on November 8, 2026',
      'Final reminder: Fall Florist ends on November 8, 2026',
    ]);
    // On the fall-back day the run is at the first 01:30 (EDT, 05:30Z): the 05:30 tick, not 06:30.
    expect(fall[3]?.date.toISOString()).toBe('2026-11-01T05:30:00.000Z');
    const fallRuns = await store.query<{ n: number; distinct_days: number }>(
      "SELECT count(*)::int AS n, count(DISTINCT as_of)::int AS distinct_days FROM daily_runs WHERE tenant_id = 'fall'",
    );
    // 2026-09-04 (due at the first tick, 20:00 local) … 2026-11-09, each day once.
    expect(fallRuns[0]).toEqual({ n: 67, distinct_days: 67 });

    // Spring: runs at 02:30, which does not exist on 2027-03-14 (spring forward) → 03:00 EDT.
    await store.execute("DELETE FROM tenants WHERE id = 'fall'");
    await importFiles({ store, tenantId: 'spring', inputs: [portfolio] });
    await store.execute(
      "INSERT INTO tenant_settings (tenant_id, timezone, daily_run_time) VALUES ('spring', $1, '02:30')",
      [NY],
    );
    await simulate(store, '2027-01-20T00:00:00Z', '2027-03-29T12:00:00Z');
    const spring = customerMailTo('dana@spring.example');
    expect(spring.map((m) => m.localDay)).toEqual(['2027-01-27', '2027-02-26', '2027-03-14', '2027-03-21']);
    expect(spring[2]?.date.toISOString()).toBe('2027-03-14T07:00:00.000Z');
    expect(spring[2]?.subject).toBe('Following up: your Spring Bakery renewal on March 28, 2027');
    // Never before the local run time of its day.
    for (const mail of [...fall, ...spring]) {
      const localTime = spring.includes(mail) ? '02:30' : '01:30';
      expect(mail.date.getTime()).toBeGreaterThanOrEqual(
        runInstantFor({ zone: NY, localTime, day: mail.localDay }).getTime(),
      );
    }
    // One Message-ID per message; the internal digests went to the CSM, at most one per local day.
    const all = [...fall, ...spring];
    expect(new Set(all.map((m) => m.messageId)).size).toBe(8);
    const digests = sink.received.filter((m) => m.envelopeTo.includes('kenji@vendor.example'));
    expect(digests.length).toBeGreaterThan(0);
    const digestDays = digests.map((m) => localDate(NY, m.date!));
    expect(new Set(digestDays).size).toBe(digestDays.length);
    expect(digests[0]?.subject).toMatch(/^Your renewals today \(/);
    // The T-7 "no answer" escalation (addressed to the role `owner`) reaches the owning CSM that day.
    const finalDay = digests.find((m) => localDate(NY, m.date!) === '2026-11-01');
    expect(finalDay?.text).toMatch(
      /\[CRITICAL\] Fall Florist: T-7: no customer contact since 2026-08-01; renewal due 2026-11-08/,
    );

    // Re-runs send nothing new: the scheduler over the same period, a backfill of every day, a flush.
    const before = sink.received.length;
    const outboxBefore = await store.query('SELECT id, status FROM outbox ORDER BY id');
    await simulate(store, '2027-01-20T00:00:00Z', '2027-03-29T12:00:00Z', 12 * 60);
    const days: string[] = [];
    for (let day = '2027-01-20'; day <= '2027-03-29'; day = addDays(day, 1)) days.push(day);
    await runDays({ store, tenantId: 'spring', days });
    await deliverDue({ store, transport, now: new Date('2027-03-29T12:00:00Z'), mail: MAIL });
    expect(sink.received.length).toBe(before);
    expect(await store.query('SELECT id, status FROM outbox ORDER BY id')).toEqual(outboxBefore);
    // A budget, not a speed claim: ~280 simulated scheduler days and their deliveries on a shared
    // 2-core CI machine can pass the default 60 s.
  }, 240_000);

  it('startScheduler (embedded) runs a due tenant-day in-process and delivers what it queued', async () => {
    const { store } = testStore;
    await importFiles({ store, tenantId: 'live', inputs: [portfolio] });
    await store.execute(
      "INSERT INTO tenant_settings (tenant_id, timezone, daily_run_time) VALUES ('live', $1, '06:00')",
      [NY],
    );
    // Only this tenant: the earlier ones are not part of this check.
    await store.execute("DELETE FROM tenants WHERE id <> 'live'");
    const clock = () => new Date('2027-03-21T12:00:00Z');
    const scheduler = await startScheduler({
      store,
      config: loadConfig({}), // no DATABASE_URL: the embedded loop, on either store
      log: createLogger({ logLevel: 'silent' }),
      transport,
      tickSeconds: 1,
      deliveryIntervalMs: 100,
      clock,
    });
    try {
      const deadline = Date.now() + 20_000;
      const pending = async () => {
        const [row] = await store.query<{ runs: number; queued: number }>(
          `SELECT (SELECT count(*)::int FROM daily_runs WHERE tenant_id = 'live') AS runs,
                  (SELECT count(*)::int FROM outbox WHERE tenant_id = 'live' AND status IN ('queued', 'sending')) AS queued`,
        );
        return row?.runs === 0 || (row?.queued ?? 0) > 0;
      };
      while (Date.now() < deadline && (await pending()))
        await new Promise((resolve) => setTimeout(resolve, 100));
    } finally {
      await scheduler.stop();
    }
    expect(scheduler.mode).toBe('embedded');
    const [run] = await store.query<{ as_of: string }>(
      "SELECT as_of FROM daily_runs WHERE tenant_id = 'live'",
    );
    expect(run?.as_of).toBe('2027-03-21');
    // The live tenant's first run: its final reminder (T-7 = today) goes out at once, with a new Message-ID.
    const live = sink.received.filter(
      (m) => m.envelopeTo.includes('dana@spring.example') && m.subject.startsWith('Final reminder'),
    );
    expect(live.length).toBe(2); // spring's, and live's (a different tenant: a different message)
    expect(new Set(live.map((m) => m.messageId)).size).toBe(2);
  });
});
