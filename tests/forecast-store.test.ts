/**
 * The forecast on a real store (PGlite, or PostgreSQL with DATABASE_URL): the daily run snapshots the
 * forecast and never rewrites a day; a renewal whose health falls moves from commit to at_risk the next
 * day; a CSM's call is recorded beside the model's and surfaces as a disagreement.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parsePeriod } from '../src/domain/forecast/periods.ts';
import { forecastFromStore } from '../src/engine/forecast/forecast-renewals.ts';
import { recordForecastOverride } from '../src/engine/forecast/record-forecast-override.ts';
import { runDay } from '../src/engine/run-daily.ts';
import { importFiles } from '../src/import/import-files.ts';
import { BASE_FILES, writeCsvSet } from './support/csv-fixture.ts';
import { openTestStore, type TestStore } from './support/test-store.ts';

const DAY_1 = '2026-11-02';
const DAY_2 = '2026-11-03';

function weeklyUsage(active: number, from: string, weeks: number): string[] {
  const rows: string[] = [];
  const start = Date.parse(`${from}T00:00:00Z`);
  for (let week = 0; week < weeks; week++) {
    const date = new Date(start + week * 7 * 86_400_000).toISOString().slice(0, 10);
    rows.push(`A-1,${date},${active},100,75`);
  }
  return rows;
}

const HEALTHY = {
  'users.csv': BASE_FILES['users.csv'] as string,
  'accounts.csv': [
    'account_id,name,industry,country,currency,fiscal_year_start_month,segment_override,strategic,owner_csm,owner_sales,timezone',
    'A-1,Acme Retail,retail,US,USD,1,,false,U-2,U-3,America/New_York',
  ].join('\n'),
  'contracts.csv': [
    'contract_id,account_id,start_date,end_date,arr,currency,seats,auto_renew,payment_on_file,notice_days,status,previous_contract_id',
    'C-1,A-1,2026-03-01,2027-02-28,120000.00,USD,100,false,false,,active,',
  ].join('\n'),
  'usage.csv': [
    'account_id,date,active_users,licensed_seats,core_feature_adoption_pct',
    ...weeklyUsage(85, '2026-08-31', 9),
  ].join('\n'),
  'stakeholders.csv': [
    'stakeholder_id,account_id,name,email,role,strength,stance,last_contact_on,left_on',
    'S-1,A-1,Jane Doe,jane@acme.example,champion,strong,supporter,2026-10-28,',
    'S-2,A-1,Raj Patel,raj@acme.example,economic_buyer,strong,supporter,2026-10-20,',
    'S-3,A-1,Li Wei,li@acme.example,executive_sponsor,strong,supporter,2026-10-15,',
    'S-4,A-1,Ana Gil,ana@acme.example,decision_maker,medium,supporter,2026-10-10,',
  ].join('\n'),
  'surveys.csv': ['account_id,date,kind,score,comment', 'A-1,2026-10-01,nps,9,great'].join('\n'),
  'renewals.csv': [
    'contract_id,outcome,closed_on,stage,renewed_arr,term_years,reasons,competitor,signed_days_early',
    'C-1,pending,,contract_sent,,,,,',
  ].join('\n'),
};

/** What the feed brings the next morning: the champion and sponsor left, a competitor, usage collapsed. */
const TROUBLE = {
  'usage.csv': [
    'account_id,date,active_users,licensed_seats,core_feature_adoption_pct',
    ...weeklyUsage(15, '2026-10-05', 5).map((row) => row.replace(/,75$/, ',10')),
  ].join('\n'),
  'stakeholders.csv': [
    'stakeholder_id,account_id,name,email,role,strength,stance,last_contact_on,left_on',
    'S-1,A-1,Jane Doe,jane@acme.example,champion,strong,supporter,2026-10-28,2026-11-02',
    'S-2,A-1,Raj Patel,raj@acme.example,economic_buyer,weak,detractor,2026-10-20,',
    'S-3,A-1,Li Wei,li@acme.example,executive_sponsor,strong,supporter,2026-10-15,2026-11-02',
    'S-4,A-1,Ana Gil,ana@acme.example,decision_maker,weak,detractor,2026-10-10,2026-11-02',
  ].join('\n'),
  'signals.csv': [
    'account_id,date,kind,note',
    'A-1,2026-11-02,competitor_evaluation,asked for a feature comparison',
    'A-1,2026-11-02,budget_freeze,',
    'A-1,2026-11-02,acquisition,',
  ].join('\n'),
  'tickets.csv': [
    'ticket_id,account_id,opened_on,closed_on,priority,csat',
    'T-1,A-1,2026-10-20,,urgent,',
    'T-2,A-1,2026-10-25,,urgent,',
    'T-3,A-1,2026-10-30,2026-11-01,urgent,1',
  ].join('\n'),
  'surveys.csv': ['account_id,date,kind,score,comment', 'A-1,2026-11-02,nps,1,leaving'].join('\n'),
};

/** Writes exactly these files (the fixture's base files are left out). */
function writeOnly(files: Record<string, string>): Promise<string> {
  return writeCsvSet(Object.fromEntries(Object.keys(BASE_FILES).map((name) => [name, files[name] ?? null])));
}

let testStore: TestStore;

beforeAll(async () => {
  testStore = await openTestStore();
});
afterAll(async () => {
  await testStore?.close();
});

type SnapshotRow = Record<string, unknown> & { as_of: string; category: string; model_category: string };

async function snapshots(tenantId: string): Promise<SnapshotRow[]> {
  return testStore.store.query<SnapshotRow>(
    'SELECT * FROM forecast_snapshots WHERE tenant_id = $1 ORDER BY as_of, contract_id',
    [tenantId],
  );
}

describe('forecast snapshots in the daily run', () => {
  it('moves a renewal whose health falls from commit to at_risk the next day; the day before is unchanged', async () => {
    const { store } = testStore;
    const tenantId = 'falls';
    await importFiles({ store, tenantId, inputs: [await writeOnly(HEALTHY)] });
    await runDay({ store, tenantId, asOf: DAY_1 });
    const first = await snapshots(tenantId);
    expect(first).toHaveLength(1);
    expect(first[0]).toMatchObject({
      as_of: DAY_1,
      contract_id: 'C-1',
      model_category: 'commit',
      category: 'commit',
    });
    expect(first[0]?.factors).toMatchObject({ model: 'prior' });

    // Re-running the day writes nothing new and changes nothing.
    await runDay({ store, tenantId, asOf: DAY_1 });
    expect(await snapshots(tenantId)).toEqual(first);

    await importFiles({ store, tenantId, inputs: [await writeOnly(TROUBLE)] });
    await runDay({ store, tenantId, asOf: DAY_2 });
    const both = await snapshots(tenantId);
    expect(both).toHaveLength(2);
    expect(both[0]).toEqual(first[0]);
    expect(both[1]).toMatchObject({
      as_of: DAY_2,
      contract_id: 'C-1',
      health_band: 'red',
      model_category: 'at_risk',
      category: 'at_risk',
    });
    const [renewal] = await store.query<{ forecast_category: string }>(
      'SELECT forecast_category FROM renewals WHERE tenant_id = $1 AND contract_id = $2',
      [tenantId, 'C-1'],
    );
    expect(renewal?.forecast_category).toBe('at_risk');

    const forecast = await forecastFromStore({
      session: store,
      tenantId,
      asOf: DAY_2,
      period: parsePeriod('2027-Q1'),
    });
    expect(forecast.renewals).toEqual([
      expect.objectContaining({ contractId: 'C-1', category: 'at_risk', arr: '120000.00' }),
    ]);
    expect(forecast.atRiskArr).toBe('120000.00');
    expect(forecast.atRiskBySegment).toEqual([{ segment: 'enterprise', renewals: 1, arr: '120000.00' }]);
  });

  it("records the CSM's call beside the model's, surfaces the disagreement, and never replaces the model's call", async () => {
    const { store } = testStore;
    const tenantId = 'override';
    await importFiles({ store, tenantId, inputs: [await writeOnly(HEALTHY)] });
    await runDay({ store, tenantId, asOf: DAY_1 });
    const result = await recordForecastOverride({
      store,
      tenantId,
      override: { contractId: 'C-1', category: 'upside', by: 'U-2', note: 'procurement is stalling' },
    });
    expect(result).toMatchObject({ modelCategory: 'commit', csmCategory: 'upside', disagreement: true });
    const [row] = await store.query<Record<string, unknown>>(
      'SELECT forecast_category, csm_category, csm_category_by, csm_note, csm_category_at FROM renewals WHERE tenant_id = $1',
      [tenantId],
    );
    expect(row).toMatchObject({
      forecast_category: 'commit',
      csm_category: 'upside',
      csm_category_by: 'U-2',
      csm_note: 'procurement is stalling',
    });
    expect(row?.csm_category_at).not.toBeNull();
    const audit = await store.query<{ action: string; actor: string }>(
      'SELECT action, actor FROM audit_log WHERE tenant_id = $1',
      [tenantId],
    );
    expect(audit).toEqual([{ action: 'forecast_override', actor: 'U-2' }]);

    const forecast = await forecastFromStore({
      session: store,
      tenantId,
      asOf: DAY_1,
      period: parsePeriod('2027-Q1'),
    });
    expect(forecast.renewals[0]).toMatchObject({
      category: 'upside',
      modelCategory: 'commit',
      csmCategory: 'upside',
    });
    expect(forecast.disagreements).toEqual([
      expect.objectContaining({
        contractId: 'C-1',
        modelCategory: 'commit',
        csmCategory: 'upside',
        by: 'U-2',
        note: 'procurement is stalling',
      }),
    ]);

    // The next day's snapshot keeps both calls; the day before still shows what was forecast then.
    await runDay({ store, tenantId, asOf: DAY_2 });
    const rows = await snapshots(tenantId);
    expect(rows.map((r) => [r.as_of, r.model_category, r.csm_category, r.category])).toEqual([
      [DAY_1, 'commit', null, 'commit'],
      [DAY_2, 'commit', 'upside', 'upside'],
    ]);

    await expect(
      recordForecastOverride({
        store,
        tenantId,
        override: { contractId: 'C-1', category: 'commit', by: 'U-404' },
      }),
    ).rejects.toMatchObject({ code: 'unknown_user' });
    await expect(
      recordForecastOverride({
        store,
        tenantId,
        override: { contractId: 'C-404', category: 'commit', by: 'U-2' },
      }),
    ).rejects.toMatchObject({ code: 'unknown_contract' });
  });
});
