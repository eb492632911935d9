import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateDemo } from '../src/demo/generate-demo.ts';
import { addDays } from '../src/domain/calendar.ts';
import { daysToRun, runDay, runDays } from '../src/engine/run-daily.ts';
import { importFiles } from '../src/import/import-files.ts';
import { BASE_FILES, writeCsvSet } from './support/csv-fixture.ts';
import { dumpTenant, openTestStore, type TestStore } from './support/test-store.ts';

const START = '2026-11-01';
let testStore: TestStore;
let demoDir: string;

beforeAll(async () => {
  testStore = await openTestStore();
  demoDir = await mkdtemp(path.join(os.tmpdir(), 'perennial-daily-'));
  await generateDemo({ accounts: 150, seed: 11, asOf: START, outputDir: demoDir });
});
afterAll(async () => {
  await testStore?.close();
});

async function keys(tenantId: string) {
  const { store } = testStore;
  const tasks = await store.query<{ k: string; created_on: string; due_date: string }>(
    "SELECT contract_id || '/' || key AS k, created_on, due_date FROM tasks WHERE tenant_id = $1 ORDER BY 1",
    [tenantId],
  );
  const alerts = await store.query<{ k: string }>(
    "SELECT contract_id || '/' || key AS k FROM alerts WHERE tenant_id = $1 AND kind = 'escalation' ORDER BY 1",
    [tenantId],
  );
  const emails = await store.query<{ k: string }>(
    'SELECT idempotency_key AS k FROM outbox WHERE tenant_id = $1 ORDER BY 1',
    [tenantId],
  );
  return { tasks, alerts: alerts.map((a) => a.k), emails: emails.map((e) => e.k) };
}

describe('the daily run', () => {
  it('running the same day twice changes nothing the second time', async () => {
    const { store } = testStore;
    const tenantId = 'twice';
    await importFiles({ store, tenantId, inputs: [demoDir] });
    const first = await runDay({ store, tenantId, asOf: START });
    expect(first.unchanged).toBe(false);
    expect(first.tasksOpened).toBeGreaterThan(0);
    // On a tenant's first run, steps long past are recorded as skipped, not opened as overdue work.
    const stale = await store.query<{ status: string; n: number }>(
      `SELECT status, count(*)::int AS n FROM tasks WHERE tenant_id = $1 AND due_date < $2::date - 14 GROUP BY status`,
      [tenantId, START],
    );
    expect(stale.map((row) => row.status)).toEqual(['skipped']);
    expect(first.stepsSkipped).toBeGreaterThan(0);
    const before = await dumpTenant(store, tenantId);
    const second = await runDay({ store, tenantId, asOf: START });
    expect(second).toMatchObject({
      unchanged: true,
      tasksOpened: 0,
      alertsRaised: 0,
      emailsQueued: 0,
      renewalsOpened: 0,
    });
    expect(await dumpTenant(store, tenantId)).toEqual(before);
  });

  it('after a 10-day gap does each missed step once, none early — the same work as running every day', async () => {
    const { store } = testStore;
    await importFiles({ store, tenantId: 'daily', inputs: [demoDir] });
    await importFiles({ store, tenantId: 'gap', inputs: [demoDir] });
    const last = addDays(START, 10);
    const everyDay = Array.from({ length: 11 }, (_, index) => addDays(START, index));
    await runDays({ store, tenantId: 'daily', days: everyDay });

    await runDay({ store, tenantId: 'gap', asOf: START });
    const { days } = await daysToRun({ session: store, tenantId: 'gap', asOf: last });
    expect(days).toEqual(everyDay.slice(1));
    await runDays({ store, tenantId: 'gap', days });

    const daily = await keys('daily');
    const gap = await keys('gap');
    expect(gap.tasks.map((t) => t.k)).toEqual(daily.tasks.map((t) => t.k));
    expect(gap.alerts).toEqual(daily.alerts);
    expect(gap.emails).toEqual(daily.emails);
    expect(new Set(gap.tasks.map((t) => t.k)).size).toBe(gap.tasks.length);
    expect(gap.tasks.every((task) => task.created_on >= task.due_date)).toBe(true);
    // Catching up again finds nothing left to do.
    expect((await daysToRun({ session: store, tenantId: 'gap', asOf: last })).days).toEqual([last]);
    expect((await runDay({ store, tenantId: 'gap', asOf: last })).unchanged).toBe(true);
  });

  it('flags a renewal at risk the day a competitor evaluation lands, alerting owner and manager', async () => {
    const { store } = testStore;
    const tenantId = 'risk';
    const dir = await writeCsvSet({ 'signals.csv': 'account_id,date,kind,note' });
    await importFiles({ store, tenantId, inputs: [dir] });
    const asOf = '2026-11-23';
    const quiet = await runDay({ store, tenantId, asOf });
    expect(quiet.newlyAtRisk).not.toContain('C-1');

    const signal = await writeCsvSet({
      'signals.csv': `${BASE_FILES['signals.csv']}\nA-1,2026-11-24,competitor_evaluation,pricing questions from nowhere`,
    });
    await importFiles({ store, tenantId, inputs: [path.join(signal, 'signals.csv')] });
    const next = await runDay({ store, tenantId, asOf: '2026-11-24' });
    expect(next.newlyAtRisk).toContain('C-1');
    const [renewal] = await store.query<{ at_risk_since: string; risk_flags: string[] }>(
      "SELECT at_risk_since, risk_flags FROM renewals WHERE tenant_id = $1 AND contract_id = 'C-1'",
      [tenantId],
    );
    expect(renewal?.at_risk_since).toBe('2026-11-24');
    expect(renewal?.risk_flags).toContain('competitor_evaluation');
    const alerts = await store.query<{ recipient_role: string; recipient_user_id: string | null }>(
      "SELECT recipient_role, recipient_user_id FROM alerts WHERE tenant_id = $1 AND kind = 'at_risk' AND contract_id = 'C-1' ORDER BY recipient_role",
      [tenantId],
    );
    expect(alerts).toEqual([
      { recipient_role: 'manager', recipient_user_id: 'U-1' },
      { recipient_role: 'sales', recipient_user_id: 'U-3' },
    ]);
  });

  it('escalates a renewal not in a late stage at T-14 to the manager, with an alert and a task', async () => {
    const { store } = testStore;
    const tenantId = 'escalate';
    await importFiles({ store, tenantId, inputs: [await writeCsvSet()] });
    await runDay({ store, tenantId, asOf: '2027-02-13' });
    await runDay({ store, tenantId, asOf: '2027-02-14' });
    const alerts = await store.query<{ recipient_role: string }>(
      "SELECT recipient_role FROM alerts WHERE tenant_id = $1 AND contract_id = 'C-1' AND kind = 'escalation'",
      [tenantId],
    );
    expect(alerts).toEqual([{ recipient_role: 'manager' }]);
    const tasks = await store.query<{ owner_user_id: string; status: string; due_date: string }>(
      "SELECT owner_user_id, status, due_date FROM tasks WHERE tenant_id = $1 AND contract_id = 'C-1' AND key LIKE 'escalation:%'",
      [tenantId],
    );
    expect(tasks).toEqual([{ owner_user_id: 'U-1', status: 'open', due_date: '2027-02-14' }]);
  });

  it('leaves a closed renewal alone', async () => {
    const { store } = testStore;
    const tenantId = 'closed';
    const won = `${BASE_FILES['renewals.csv']}\nC-1,won,2026-11-20,closed_won,125000.00,1,value_realized,,100`;
    await importFiles({ store, tenantId, inputs: [await writeCsvSet({ 'renewals.csv': won })] });
    await runDay({ store, tenantId, asOf: '2026-11-23' });
    const tasks = await store.query("SELECT 1 FROM tasks WHERE tenant_id = $1 AND contract_id = 'C-1'", [
      tenantId,
    ]);
    expect(tasks).toEqual([]);
    const [renewal] = await store.query<{ outcome: string; evaluated_on: string | null }>(
      "SELECT outcome, evaluated_on FROM renewals WHERE tenant_id = $1 AND contract_id = 'C-1'",
      [tenantId],
    );
    expect(renewal).toEqual({ outcome: 'won', evaluated_on: null });
  });
});
