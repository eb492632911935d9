/**
 * Retention metrics and the forecast document on a hand-computed CSV fixture: three renewals in three
 * currencies (USD expansion, EUR contraction, JPY churn), converted with the default policy's FX rates
 * (EUR 1.08, JPY 0.0067 USD).
 */
import { describe, expect, it } from 'vitest';
import { parsePeriod } from '../src/domain/forecast/periods.ts';
import { DEFAULT_POLICY } from '../src/domain/policy/policy-schema.ts';
import { forecastFromCsv } from '../src/engine/forecast/forecast-renewals.ts';
import { metricsFromCsv } from '../src/engine/forecast/metrics-renewals.ts';
import { BASE_FILES, writeCsvSet } from './support/csv-fixture.ts';

const FILES = {
  'users.csv': BASE_FILES['users.csv'] as string,
  'accounts.csv': [
    'account_id,name,industry,country,currency,fiscal_year_start_month,segment_override,strategic,owner_csm,owner_sales,timezone,plan',
    'A-1,Acme Retail,retail,US,USD,1,,false,U-2,U-3,America/New_York,premium',
    'A-2,Berlin Schulen,education,DE,EUR,1,,false,U-2,,Europe/Berlin,standard',
    'A-3,Kobe Tax KK,tax,JP,JPY,4,,false,U-2,,Asia/Tokyo,standard',
  ].join('\n'),
  'contracts.csv': [
    'contract_id,account_id,start_date,end_date,arr,currency,seats,auto_renew,payment_on_file,notice_days,status,previous_contract_id',
    'C-1,A-1,2025-03-01,2026-02-28,100000.00,USD,100,false,false,,renewed,',
    'C-4,A-1,2026-03-01,2028-02-29,120000.00,USD,120,false,false,,active,C-1',
    'C-2,A-2,2025-04-01,2026-03-31,50000.00,EUR,50,false,false,,renewed,',
    'C-5,A-2,2026-04-01,2026-09-30,40000.00,EUR,40,false,false,,active,C-2',
    'C-3,A-3,2025-05-01,2026-04-30,3000000,JPY,30,false,false,,churned,',
  ].join('\n'),
  'renewals.csv': [
    'contract_id,outcome,closed_on,stage,renewed_arr,term_years,reasons,competitor,signed_days_early',
    'C-1,won,2025-10-31,closed_won,120000.00,2,expansion,,120',
    'C-2,won,2026-03-01,closed_won,40000.00,1,budget_cut,,30',
    'C-3,lost,2026-04-15,closed_lost,0,,competitor;price,Clarion BI,',
  ].join('\n'),
};

describe('retention metrics (docs/METRICS.md) on a hand-computed fixture', () => {
  it('converts every currency through FX, caps nothing it should not, and computes NRR with expansion', async () => {
    const dir = await writeCsvSet(FILES);
    const metrics = (await metricsFromCsv({
      inputDir: dir,
      policy: DEFAULT_POLICY,
      range: { from: '2026-01-01', to: '2026-06-30', asOf: '2026-07-01' },
    })) as Record<string, unknown>;
    // USD: C-1 100000.00 → 120000.00; C-2 50000 EUR = 54000.00 → 40000 EUR = 43200.00; C-3 3000000 JPY = 20100.00 lost.
    expect(metrics).toMatchObject({
      currency: 'USD',
      renewals: 3,
      won: 2,
      lost: 1,
      pending: 0,
      startingArr: '174100.00',
      churnArr: '20100.00',
      contractionArr: '10800.00',
      expansionArr: '20000.00',
      endingArr: '163200.00',
      earlyRenewals: 1,
      earlyRenewalRate: 0.5,
      averageDaysEarly: 75,
      // round((12 000 000 × 120 + 4 320 000 × 30) / 365) cents
      revenueAccelerated: '43002.74',
      multiYearAttachRate: 0.5,
    });
    expect(metrics.renewalRateByCount).toBeCloseTo(2 / 3, 12);
    expect(metrics.renewalRateByArr).toBeCloseTo(154_000 / 174_100, 12);
    expect(metrics.grr).toBeCloseTo(143_200 / 174_100, 12);
    expect(metrics.nrr).toBeCloseTo(163_200 / 174_100, 12);
    expect(metrics.waterfall).toEqual({
      startingArr: '174100.00',
      churnArr: '20100.00',
      contractionArr: '10800.00',
      expansionArr: '20000.00',
      endingArr: '163200.00',
    });
    // A CSV directory has no tasks nor stage history: the process section is left out, not zeroed.
    expect(metrics.process).toBeNull();
    const winLoss = metrics.winLoss as { competitors: { competitor: string; losses: number }[] };
    expect(winLoss.competitors).toEqual([
      expect.objectContaining({ competitor: 'Clarion BI', losses: 1, isPattern: false }),
    ]);
  });

  it('caps GRR at 100% when the cohort only expanded, while NRR shows the expansion', async () => {
    const dir = await writeCsvSet(FILES);
    const metrics = (await metricsFromCsv({
      inputDir: dir,
      policy: DEFAULT_POLICY,
      range: { from: '2026-02-01', to: '2026-02-28', asOf: '2026-07-01' },
    })) as Record<string, unknown>;
    expect(metrics).toMatchObject({ renewals: 1, startingArr: '100000.00', grr: 1, nrr: 1.2 });
  });
});

describe('forecast dry run (DATA-CONTRACT.md section 4)', () => {
  it('prints the contract shape in the reporting currency and says when it falls back to the prior', async () => {
    const dir = await writeCsvSet(FILES);
    const doc = await forecastFromCsv({
      inputDir: dir,
      policy: DEFAULT_POLICY,
      asOf: '2026-07-01',
      period: parsePeriod('2026-Q3'),
    });
    expect(doc).toMatchObject({ period: '2026-Q3', currency: 'USD', renewableArr: '43200.00' });
    for (const key of ['expectedRenewedArr', 'atRiskArr']) {
      expect((doc as unknown as Record<string, string>)[key]).toMatch(/^\d+\.\d{2}$/);
    }
    expect(typeof doc.grr).toBe('number');
    expect(typeof doc.nrr).toBe('number');
    expect(doc.model.model).toBe('prior');
    expect(doc.model).toHaveProperty('reason', expect.stringContaining('minClosedRenewals'));
    expect(doc.renewals).toHaveLength(1);
    const [renewal] = doc.renewals;
    expect(renewal).toMatchObject({ contractId: 'C-5', dueDate: '2026-09-30', arr: '43200.00' });
    expect(renewal?.probability).toBeGreaterThan(0);
    expect(renewal?.probability).toBeLessThan(1);
    expect(['commit', 'probable', 'upside', 'at_risk']).toContain(renewal?.category);
    expect(renewal?.factors.length).toBeGreaterThan(0);
    expect(doc.byMonth.map((month) => month.period)).toEqual(['2026-07', '2026-08', '2026-09']);
    expect(Object.keys(doc.categories)).toEqual(['commit', 'probable', 'upside', 'at_risk']);
    expect(doc.waterfall.startingArr).toBe('43200.00');
  });

  it('as of a past date, a renewal closed later is forecast as open', async () => {
    const dir = await writeCsvSet(FILES);
    const doc = await forecastFromCsv({
      inputDir: dir,
      policy: DEFAULT_POLICY,
      asOf: '2026-01-15',
      period: parsePeriod('2026-Q1'),
    });
    expect(doc.renewals.map((r) => r.contractId)).toEqual(['C-2']);
    expect(doc.closedRenewals.map((r) => r.contractId)).toEqual(['C-1']);
    expect(doc.renewableArr).toBe('154000.00');
  });
});
