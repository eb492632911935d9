/**
 * Process metrics on a real store (PGlite, or PostgreSQL with DATABASE_URL): tasks with logged and
 * estimated hours, stage changes from the audit trail in both audited shapes, a task completed through
 * the task use case with logged hours (audited), and the `process` section of `perennial metrics`.
 *
 * Hand-computed, period 2026-01-01..2026-06-30, as of 2026-07-01:
 * - C-1 enterprise (150K) won: process from 2025-12-06; prep 30 d, proposal 2026-01-05..03-01 = 55 d;
 *   tasks T-90 on time (10 h logged), T-60 late (estimate 4 h), T-30 on time (7 h logged through the
 *   use case) → adherence 2/3 (medium), 21 h (budget 15–25: within).
 * - C-2 mid-market (50K) lost: from 2026-01-01; no stage 40 d, proposal 02-10..04-15 = 64 d; T-60 late
 *   (12 h), T-30 open past due before the close → adherence 0 (low), 12 h (budget 5–10: over).
 * - C-3 mid-market (40K) open, due 2026-06-20: from 2026-02-01; no stage 28 d, proposal since 03-01
 *   (122 d), T-60 overdue. Proposal has two completed stays (too few for a median), so only the T-14
 *   rule stalls it.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateDemo } from '../src/demo/generate-demo.ts';
import { seedDemoProcessHistory } from '../src/demo/seed-demo-process-history.ts';
import { metricsFromStore } from '../src/engine/forecast/metrics-renewals.ts';
import { writeAuditEntry } from '../src/engine/queries/audit-trail.ts';
import { updateTask } from '../src/engine/queries/update-task.ts';
import { importFiles } from '../src/import/import-files.ts';
import { BASE_FILES, writeCsvSet } from './support/csv-fixture.ts';
import { openTestStore, type TestStore } from './support/test-store.ts';

const TENANT = 'process';

const FILES: Record<string, string | null> = {
  ...Object.fromEntries(Object.keys(BASE_FILES).map((name) => [name, null])),
  'users.csv': BASE_FILES['users.csv'] as string,
  'accounts.csv': [
    'account_id,name,industry,country,currency,fiscal_year_start_month,segment_override,strategic,owner_csm,owner_sales,timezone',
    'A-1,Acme Retail,retail,US,USD,1,,false,U-2,U-3,America/New_York',
    'A-2,Beta Logistics,logistics,US,USD,1,,false,U-2,,America/Chicago',
    'A-3,Gamma Health,health,US,USD,1,,false,U-2,,America/Denver',
  ].join('\n'),
  'contracts.csv': [
    'contract_id,account_id,start_date,end_date,arr,currency,seats,auto_renew,payment_on_file,notice_days,status,previous_contract_id',
    'C-1,A-1,2025-04-01,2026-03-31,150000.00,USD,100,false,false,,renewed,',
    'C-2,A-2,2025-05-01,2026-04-30,50000.00,USD,50,false,false,,churned,',
    'C-3,A-3,2025-06-21,2026-06-20,40000.00,USD,40,false,false,,active,',
  ].join('\n'),
  'renewals.csv': [
    'contract_id,outcome,closed_on,stage,renewed_arr,term_years,reasons,competitor,signed_days_early',
    'C-1,won,2026-03-01,closed_won,150000.00,1,,,',
    'C-2,lost,2026-04-15,closed_lost,0,,price,,',
    'C-3,pending,,proposal,,,,,',
  ].join('\n'),
};

type TaskSeed = {
  contractId: string;
  milestone: string;
  dueDate: string;
  status: string;
  completedOn: string | null;
  estimateHours: number | null;
  spentHours: number | null;
  createdOn: string;
};

const TASKS: TaskSeed[] = [
  {
    contractId: 'C-1',
    milestone: 'T-90',
    dueDate: '2026-01-01',
    status: 'done',
    completedOn: '2025-12-30',
    estimateHours: 8,
    spentHours: 10,
    createdOn: '2025-12-06',
  },
  {
    contractId: 'C-1',
    milestone: 'T-60',
    dueDate: '2026-01-30',
    status: 'done',
    completedOn: '2026-02-02',
    estimateHours: 4,
    spentHours: null,
    createdOn: '2025-12-06',
  },
  {
    contractId: 'C-1',
    milestone: 'T-30',
    dueDate: '2026-03-01',
    status: 'open',
    completedOn: null,
    estimateHours: 5,
    spentHours: null,
    createdOn: '2025-12-06',
  },
  {
    contractId: 'C-2',
    milestone: 'T-60',
    dueDate: '2026-03-01',
    status: 'done',
    completedOn: '2026-03-09',
    estimateHours: 3,
    spentHours: 12,
    createdOn: '2026-01-01',
  },
  {
    contractId: 'C-2',
    milestone: 'T-30',
    dueDate: '2026-04-01',
    status: 'open',
    completedOn: null,
    estimateHours: 3,
    spentHours: null,
    createdOn: '2026-01-01',
  },
  {
    contractId: 'C-3',
    milestone: 'T-60',
    dueDate: '2026-05-01',
    status: 'open',
    completedOn: null,
    estimateHours: 3,
    spentHours: null,
    createdOn: '2026-02-01',
  },
];

let testStore: TestStore;

beforeAll(async () => {
  testStore = await openTestStore();
  const { store } = testStore;
  await importFiles({ store, tenantId: TENANT, inputs: [await writeCsvSet(FILES)] });
  for (const [index, task] of TASKS.entries()) {
    const [account] = await store.query<{ account_id: string }>(
      'SELECT account_id FROM contracts WHERE tenant_id = $1 AND contract_id = $2',
      [TENANT, task.contractId],
    );
    await store.execute(
      `INSERT INTO tasks (tenant_id, contract_id, account_id, key, milestone, title, owner_role, owner_user_id,
         due_date, estimate_hours, spent_hours, status, created_on, completed_on)
       VALUES ($1, $2, $3, $4, $5, $6, 'csm', 'U-2', $7, $8, $9, $10, $11, $12)`,
      [
        TENANT,
        task.contractId,
        account!.account_id,
        `step-${index}`,
        task.milestone,
        `${task.milestone} step`,
        task.dueDate,
        task.estimateHours,
        task.spentHours,
        task.status,
        task.createdOn,
        task.completedOn,
      ],
    );
  }
  const audit = (contractId: string, at: string, changes: Record<string, unknown>) =>
    writeAuditEntry(store, {
      tenantId: TENANT,
      at: new Date(at),
      actor: 'U-2',
      action: 'update',
      entity: 'renewal',
      entityId: contractId,
      changes,
    });
  await audit('C-1', '2026-01-05T15:00:00Z', { stage: { old: 'prep', new: 'proposal' } });
  await audit('C-1', '2026-02-01T09:00:00Z', { csmNote: { old: null, new: 'going well' } });
  await audit('C-1', '2026-03-01T10:00:00Z', { stage: { old: 'proposal', new: 'closed_won' } });
  await audit('C-2', '2026-02-10T23:30:00Z', { stage: { old: null, new: 'Proposal' } });
  await audit('C-2', '2026-04-15T12:00:00Z', { stage: { from: 'proposal', to: 'closed_lost' } });
  await audit('C-3', '2026-03-01T08:00:00Z', { stage: { old: null, new: 'proposal' } });
});

afterAll(async () => {
  await testStore?.close();
});

async function taskId(contractId: string, milestone: string): Promise<{ id: number; version: number }> {
  const [row] = await testStore.store.query<{ id: number; version: number }>(
    'SELECT id, version FROM tasks WHERE tenant_id = $1 AND contract_id = $2 AND milestone = $3',
    [TENANT, contractId, milestone],
  );
  return { id: Number(row!.id), version: Number(row!.version) };
}

describe('logging hours when a task is completed', () => {
  it('refuses hours out of 0–200, naming the field, and writes nothing', async () => {
    const { id, version } = await taskId('C-1', 'T-30');
    await expect(
      updateTask({
        store: testStore.store,
        tenantId: TENANT,
        taskId: id,
        expectedVersion: version,
        change: { action: 'complete', spentHours: 250 },
        actor: 'U-2',
        now: new Date('2026-03-01T12:00:00Z'),
      }),
    ).rejects.toMatchObject({ code: 'invalid_value', details: { field: 'spentHours' } });
    const [row] = await testStore.store.query<{ status: string }>(
      'SELECT status FROM tasks WHERE tenant_id = $1 AND id = $2',
      [TENANT, id],
    );
    expect(row!.status).toBe('open');
  });

  it('stores the hours and audits them beside the status change', async () => {
    const { id, version } = await taskId('C-1', 'T-30');
    const task = await updateTask({
      store: testStore.store,
      tenantId: TENANT,
      taskId: id,
      expectedVersion: version,
      change: { action: 'complete', spentHours: 7 },
      actor: 'U-2',
      now: new Date('2026-03-01T12:00:00Z'),
    });
    expect(task).toMatchObject({ status: 'done', completedOn: '2026-03-01' });
    const [row] = await testStore.store.query<{ spent_hours: number }>(
      'SELECT spent_hours FROM tasks WHERE tenant_id = $1 AND id = $2',
      [TENANT, id],
    );
    expect(Number(row!.spent_hours)).toBe(7);
    const [entry] = await testStore.store.query<{ action: string; changes: Record<string, unknown> }>(
      `SELECT action, changes FROM audit_log WHERE tenant_id = $1 AND entity = 'task' AND entity_id = $2
        ORDER BY id DESC LIMIT 1`,
      [TENANT, String(id)],
    );
    expect(entry).toEqual({
      action: 'complete',
      changes: {
        status: { old: 'open', new: 'done' },
        completedOn: { old: null, new: '2026-03-01' },
        spentHours: { old: null, new: 7 },
      },
    });
  });
});

describe('process metrics from the store', () => {
  it('reports adherence vs win rate, time per phase, hours vs budget and stall points', async () => {
    const doc = await metricsFromStore({
      session: testStore.store,
      tenantId: TENANT,
      range: { from: '2026-01-01', to: '2026-06-30', asOf: '2026-07-01' },
    });
    const process = doc.process!;
    expect(process.timelineAdherence.buckets.map((b) => [b.bucket, b.renewals, b.won, b.arr])).toEqual([
      ['high', 0, 0, '0.00'],
      ['medium', 1, 1, '150000.00'],
      ['low', 1, 0, '50000.00'],
      ['no_tasks', 0, 0, '0.00'],
    ]);
    expect(process.timelineAdherence.meanAdherence).toBeCloseTo(1 / 3, 12);

    expect(process.timePerPhase.stages).toEqual([
      { stage: 'prep', stays: 1, medianDays: 30, p90Days: 30, meanDays: 30 },
      { stage: 'proposal', stays: 2, medianDays: 59.5, p90Days: 64, meanDays: 59.5 },
      { stage: null, stays: 2, medianDays: 34, p90Days: 40, meanDays: 34 },
    ]);

    expect(process.teamHours).toMatchObject({
      renewals: 2,
      withoutTasks: 0,
      loggedTasks: 3,
      estimatedTasks: 1,
      medianHours: 16.5,
      overBudget: 1,
      overBudgetShare: 0.5,
    });
    expect(
      process.teamHours.bySegment.map((s) => [s.segment, s.medianHours, s.budget, s.overBudget]),
    ).toEqual([
      ['enterprise', 21, { minHours: 15, maxHours: 25 }, 0],
      ['mid_market', 12, { minHours: 5, maxHours: 10 }, 1],
    ]);

    expect(process.stalls).toMatchObject({ open: 1, stalled: 1 });
    expect(process.stalls.stalledRenewals).toEqual([
      expect.objectContaining({
        contractId: 'C-3',
        stage: 'proposal',
        inStageSince: '2026-03-01',
        daysInStage: 122,
        stageMedianDays: null,
        reasons: ['not_late_at_deadline'],
        overdueTasks: 1,
        overdueMilestones: ['T-60'],
      }),
    ]);
    expect(process.stalls.byMilestone).toEqual([
      { milestone: 'T-60', renewals: 1, overdueTasks: 1, stalled: 1 },
    ]);
    expect(process.stalls.lostAfterStage).toEqual([{ stage: 'proposal', lost: 1, lostArr: '50000.00' }]);
  });
});

describe('the demo history has a renewal process', () => {
  it('seeds tasks and stage changes once, deterministically, so every process metric has data', async () => {
    const { store } = testStore;
    const dir = await mkdtemp(path.join(os.tmpdir(), 'perennial-demo-process-'));
    try {
      await generateDemo({ accounts: 40, seed: 7, asOf: '2026-07-01', outputDir: dir });
      await importFiles({ store, tenantId: 'demo-a', inputs: [dir] });
      await importFiles({ store, tenantId: 'demo-b', inputs: [dir] });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
    const first = await seedDemoProcessHistory({ store, tenantId: 'demo-a', seed: 7 });
    expect(first.renewals).toBeGreaterThan(10);
    expect(await seedDemoProcessHistory({ store, tenantId: 'demo-a', seed: 7 })).toEqual({
      renewals: 0,
      tasks: 0,
      stageChanges: 0,
    });
    expect(await seedDemoProcessHistory({ store, tenantId: 'demo-b', seed: 7 })).toEqual(first);
    const rows = (tenantId: string) =>
      store.query(
        `SELECT contract_id, key, due_date, status, completed_on, spent_hours FROM tasks
          WHERE tenant_id = $1 ORDER BY contract_id, key`,
        [tenantId],
      );
    expect(await rows('demo-b')).toEqual(await rows('demo-a'));

    const doc = await metricsFromStore({
      session: store,
      tenantId: 'demo-a',
      range: { from: '2024-07-01', to: '2026-06-30', asOf: '2026-07-01' },
    });
    const process = doc.process!;
    const judged = process.timelineAdherence.buckets.filter((b) => b.bucket !== 'no_tasks' && b.renewals > 0);
    expect(judged.length).toBeGreaterThanOrEqual(2);
    expect(process.teamHours.loggedTasks).toBeGreaterThan(0);
    expect(process.teamHours.estimatedTasks).toBeGreaterThan(0);
    expect(process.timePerPhase.stages.map((s) => s.stage)).toEqual(
      expect.arrayContaining(['proposal', 'value_review']),
    );
    expect(process.stalls.lostAfterStage.reduce((n, s) => n + s.lost, 0)).toBe(
      (doc as Record<string, unknown>).lost,
    );
  });
});
