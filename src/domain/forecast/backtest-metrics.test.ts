import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type BacktestRow,
  hasSlipped,
  meanAbsolutePercentageError,
  measureBacktest,
} from './backtest-metrics.ts';
import { ForecastError } from './forecast-error.ts';
import { parsePeriod } from './periods.ts';

const q1 = parsePeriod('2027-Q1');
const q2 = parsePeriod('2027-Q2');

function row(overrides: Partial<BacktestRow> = {}): BacktestRow {
  return {
    snapshotDate: '2026-12-01',
    period: q1,
    contractId: 'R-1',
    segment: 'mid_market',
    ownerUserId: 'U1',
    dueDate: '2027-02-15',
    arrMinor: 1_000,
    probability: 0.9,
    outcome: 'won',
    renewedArrMinor: null,
    closedOn: '2027-02-01',
    ...overrides,
  };
}

/**
 * Snapshot of 2026-12-01, replayed as of 2027-05-01:
 * R1 Q1 1,000 p 0.9 won at 1,100 on 2027-02-01
 * R2 Q1   500 p 0.6 lost on 2027-04-15 (after Q1 ended: slipped)
 * R3 Q1   300 p 0.5 still pending (Q1 ended: slipped)
 * R4 Q2   200 p 0.8 pending (Q2 not over: not judged)
 */
const rows: BacktestRow[] = [
  row({ contractId: 'R1', renewedArrMinor: 1_100 }),
  row({
    contractId: 'R2',
    arrMinor: 500,
    probability: 0.6,
    outcome: 'lost',
    closedOn: '2027-04-15',
    segment: 'smb',
  }),
  row({
    contractId: 'R3',
    arrMinor: 300,
    probability: 0.5,
    outcome: 'pending',
    closedOn: null,
    ownerUserId: null,
  }),
  row({
    contractId: 'R4',
    period: q2,
    dueDate: '2027-05-20',
    arrMinor: 200,
    probability: 0.8,
    outcome: 'pending',
    closedOn: null,
  }),
];

describe('measureBacktest on a hand-computed replay', () => {
  const report = measureBacktest({ rows, asOf: '2027-05-01' });

  it('scores calibration over the resolved renewals', () => {
    // ((0.9 − 1)² + (0.6 − 0)²) / 2
    expect(report.resolved).toBe(2);
    expect(report.brier).toBeCloseTo(0.185, 12);
    expect(report.calibration.find((bin) => bin.bin === 9)).toMatchObject({ count: 1, observed: 1 });
    expect(report.calibration.find((bin) => bin.bin === 6)).toMatchObject({ count: 1, observed: 0 });
  });
  it('measures forecast error per forecast and MAPE', () => {
    // Q1: round(900 + 300 + 150) = 1,350 forecast vs 1,000 retained (gross: R1 capped at its ARR).
    expect(report.forecasts).toEqual([
      {
        snapshotDate: '2026-12-01',
        period: '2027-Q1',
        renewals: 3,
        forecastRenewedArrMinor: 1_350,
        actualRenewedArrMinor: 1_000,
        errorMinor: 350,
        absolutePercentageError: 0.35,
      },
      {
        snapshotDate: '2026-12-01',
        period: '2027-Q2',
        renewals: 1,
        forecastRenewedArrMinor: 160,
        actualRenewedArrMinor: 0,
        errorMinor: 160,
        absolutePercentageError: null,
      },
    ]);
    expect(report.mape).toBe(0.35);
    expect(report.forecastsWithoutActual).toBe(1);
  });
  it('counts renewals that slipped past their period', () => {
    expect(report).toMatchObject({ slipped: 2, slippageJudged: 3, slippedContractIds: ['R2', 'R3'] });
    expect(report.slippageRate).toBeCloseTo(2 / 3, 12);
  });
  it('repeats every measure per segment and owner', () => {
    expect(report.bySegment.map((s) => [s.segment, s.renewals, s.slipped])).toEqual([
      ['mid_market', 3, 1],
      ['smb', 1, 1],
    ]);
    expect(report.bySegment[0]?.brier).toBeCloseTo(0.01, 12);
    expect(report.bySegment[1]?.brier).toBeCloseTo(0.36, 12);
    expect(report.byOwner.map((o) => [o.ownerUserId, o.renewals])).toEqual([
      ['U1', 3],
      [null, 1],
    ]);
  });
});

describe('backtest building blocks', () => {
  it('computes MAPE skipping zero actuals', () => {
    expect(
      meanAbsolutePercentageError([
        { forecast: 110, actual: 100 },
        { forecast: 90, actual: 100 },
        { forecast: 5, actual: 0 },
      ]),
    ).toEqual({ mape: 0.1, used: 2, skipped: 1 });
    expect(meanAbsolutePercentageError([])).toEqual({ mape: null, used: 0, skipped: 0 });
  });
  it('judges slippage only when it can', () => {
    const base = { period: q1 };
    expect(hasSlipped({ ...base, outcome: 'won', closedOn: '2027-03-31' }, '2027-06-01')).toBe(false);
    expect(hasSlipped({ ...base, outcome: 'won', closedOn: '2027-04-01' }, '2027-06-01')).toBe(true);
    expect(hasSlipped({ ...base, outcome: 'pending', closedOn: null }, '2027-03-31')).toBeNull();
    expect(hasSlipped({ ...base, outcome: 'pending', closedOn: null }, '2027-04-01')).toBe(true);
    expect(hasSlipped({ ...base, outcome: 'lost', closedOn: null }, '2027-06-01')).toBeNull();
  });
  it('reports nothing as NaN on an empty replay', () => {
    const report = measureBacktest({ rows: [], asOf: '2027-05-01' });
    expect(report).toMatchObject({ renewals: 0, brier: null, mape: null, slippageRate: null, bySegment: [] });
    expect(JSON.stringify(report)).not.toContain('NaN');
  });
  it('rejects an impossible probability', () => {
    expect(() => measureBacktest({ rows: [row({ probability: -0.1 })], asOf: '2027-05-01' })).toThrow(
      ForecastError,
    );
  });
  it('keeps Brier in [0, 1] and slippage rate in [0, 1] (property)', () => {
    const rowArb = fc
      .record({
        probability: fc.double({ min: 0, max: 1, noNaN: true }),
        outcome: fc.constantFrom('won' as const, 'lost' as const, 'pending' as const),
        arrMinor: fc.nat({ max: 1e9 }),
        closedOn: fc.option(fc.constantFrom('2027-01-10', '2027-03-31', '2027-04-02')),
        segment: fc.constantFrom('smb', 'enterprise'),
      })
      .map((fields) => row(fields));
    fc.assert(
      fc.property(fc.array(rowArb, { maxLength: 30 }), (data) => {
        const report = measureBacktest({ rows: data, asOf: '2027-06-01' });
        if (report.brier !== null) expect(report.brier).toBeGreaterThanOrEqual(0);
        if (report.brier !== null) expect(report.brier).toBeLessThanOrEqual(1);
        if (report.slippageRate !== null) expect(report.slippageRate).toBeLessThanOrEqual(1);
        expect(report.bySegment.reduce((sum, s) => sum + s.renewals, 0)).toBe(data.length);
      }),
    );
  });
});
