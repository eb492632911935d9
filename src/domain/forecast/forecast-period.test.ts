import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FORECAST_CATEGORIES } from './categorize-forecast.ts';
import { ForecastError } from './forecast-error.ts';
import { type ClosedRenewalForecast, forecastPeriod, type OpenRenewalForecast } from './forecast-period.ts';
import { parsePeriod } from './periods.ts';

function open(overrides: Partial<OpenRenewalForecast> = {}): OpenRenewalForecast {
  return {
    contractId: 'O-1',
    segment: 'mid_market',
    ownerUserId: 'U1',
    dueDate: '2027-01-15',
    arrMinor: 1_000_000,
    probability: 0.9,
    category: 'commit',
    ...overrides,
  };
}

function closed(overrides: Partial<ClosedRenewalForecast> = {}): ClosedRenewalForecast {
  return {
    contractId: 'K-1',
    segment: 'mid_market',
    ownerUserId: 'U1',
    dueDate: '2027-01-31',
    arrMinor: 200_000,
    outcome: 'won',
    renewedArrMinor: null,
    ...overrides,
  };
}

const q1 = parsePeriod('2027-Q1');
const fixture = {
  period: q1,
  open: [
    open({ contractId: 'O1', expansionArrMinor: 100_000 }),
    open({
      contractId: 'O2',
      dueDate: '2027-02-10',
      arrMinor: 500_000,
      probability: 0.333,
      category: 'at_risk',
      modelCategory: 'upside',
      segment: 'smb',
      ownerUserId: 'U2',
      riskReasons: ['usage_decline', 'champion_left', 'usage_decline'],
    }),
    open({
      contractId: 'O3',
      dueDate: '2027-03-31',
      arrMinor: 3,
      probability: 0.5,
      category: 'upside',
      modelCategory: 'upside',
    }),
    open({ contractId: 'O4', dueDate: '2027-04-01', category: 'at_risk' }),
  ],
  closed: [
    closed({ contractId: 'K1', renewedArrMinor: 150_000 }),
    closed({ contractId: 'K2', dueDate: '2027-03-01', arrMinor: 100_000, outcome: 'lost' }),
  ],
};

describe('forecastPeriod on a hand-computed quarter', () => {
  const result = forecastPeriod(fixture);

  it('weights open renewals by probability and rounds once', () => {
    // renewable: 1,000,000 + 500,000 + 3 + 200,000 + 100,000
    // open weighted: 900,000 + 166,500 + 1.5 = 1,066,501.5 → 1,066,502; won K1 retains 150,000
    expect(result).toMatchObject({
      renewalCount: 5,
      openCount: 3,
      closedCount: 2,
      renewableArrMinor: 1_800_003,
      expectedRenewedArrMinor: 1_216_502,
      expectedContractionArrMinor: 50_000,
      expectedExpansionArrMinor: 90_000,
      expectedChurnArrMinor: 533_501,
      expectedEndingArrMinor: 1_306_502,
      atRiskArrMinor: 500_000,
      outsidePeriod: 1,
    });
    expect(result.grr).toBeCloseTo(1_216_502 / 1_800_003, 12);
    expect(result.nrr).toBeCloseTo(1_306_502 / 1_800_003, 12);
    expect(result.categories).toEqual({
      commit: { renewals: 1, arrMinor: 1_000_000 },
      probable: { renewals: 0, arrMinor: 0 },
      upside: { renewals: 1, arrMinor: 3 },
      at_risk: { renewals: 1, arrMinor: 500_000 },
    });
    expect(result.waterfall).toEqual({
      startingArrMinor: 1_800_003,
      churnArrMinor: 533_501,
      contractionArrMinor: 50_000,
      expansionArrMinor: 90_000,
      endingArrMinor: 1_306_502,
    });
  });
  it('splits by month and quarter', () => {
    expect(
      result.byMonth.map((m) => [
        m.period.label,
        m.renewableArrMinor,
        m.expectedRenewedArrMinor,
        m.atRiskArrMinor,
      ]),
    ).toEqual([
      ['2027-01', 1_200_000, 1_050_000, 0],
      ['2027-02', 500_000, 166_500, 500_000],
      ['2027-03', 100_003, 2, 0],
    ]);
    expect(result.byQuarter).toHaveLength(1);
    expect(result.byQuarter[0]).toMatchObject({
      renewableArrMinor: 1_800_003,
      expectedRenewedArrMinor: 1_216_502,
    });
  });
  it('breaks at-risk ARR down by segment, owner and reason', () => {
    expect(result.atRiskBySegment).toEqual([{ segment: 'smb', renewals: 1, arrMinor: 500_000 }]);
    expect(result.atRiskByOwner).toEqual([{ ownerUserId: 'U2', renewals: 1, arrMinor: 500_000 }]);
    expect(result.atRiskByReason).toEqual([
      { reason: 'champion_left', renewals: 1, arrMinor: 500_000 },
      { reason: 'usage_decline', renewals: 1, arrMinor: 500_000 },
    ]);
  });
  it('surfaces disagreements and lists renewals in due-date order', () => {
    expect(result.disagreements).toEqual([
      { contractId: 'O2', modelCategory: 'upside', category: 'at_risk' },
    ]);
    expect(result.renewals.map((r) => r.contractId)).toEqual(['O1', 'O2', 'O3']);
    expect(result.renewals[1]).toEqual({
      contractId: 'O2',
      dueDate: '2027-02-10',
      arrMinor: 500_000,
      probability: 0.333,
      category: 'at_risk',
    });
    expect(result.closedRenewals.map((r) => [r.contractId, r.outcome])).toEqual([
      ['K1', 'won'],
      ['K2', 'lost'],
    ]);
  });
});

describe('forecastPeriod edge cases', () => {
  it('gives null ratios for a period with nothing renewable', () => {
    const result = forecastPeriod({ period: q1, open: [], closed: [] });
    expect(result).toMatchObject({ renewableArrMinor: 0, expectedRenewedArrMinor: 0, grr: null, nrr: null });
    expect(JSON.stringify(result)).not.toContain('NaN');
  });
  it('caps GRR at 100% and lets NRR carry expansion of closed renewals', () => {
    const result = forecastPeriod({
      period: q1,
      open: [],
      closed: [closed({ arrMinor: 1_000, renewedArrMinor: 1_300 })],
    });
    expect(result).toMatchObject({
      grr: 1,
      nrr: 1.3,
      expectedExpansionArrMinor: 300,
      expectedChurnArrMinor: 0,
    });
  });
  it('puts at-risk renewals without reasons under unspecified', () => {
    const result = forecastPeriod({ period: q1, open: [open({ category: 'at_risk' })], closed: [] });
    expect(result.atRiskByReason).toEqual([{ reason: 'unspecified', renewals: 1, arrMinor: 1_000_000 }]);
  });
  it('covers twelve months and four quarters for a year', () => {
    const result = forecastPeriod({
      period: parsePeriod('2027'),
      open: fixture.open,
      closed: fixture.closed,
    });
    expect(result.byMonth).toHaveLength(12);
    expect(result.byQuarter.map((q) => q.renewableArrMinor)).toEqual([1_800_003, 1_000_000, 0, 0]);
  });
  it('rejects a probability outside 0..1 and fractional money', () => {
    expect(() => forecastPeriod({ period: q1, open: [open({ probability: 1.2 })], closed: [] })).toThrow(
      ForecastError,
    );
    expect(() =>
      forecastPeriod({ period: q1, open: [open({ probability: Number.NaN })], closed: [] }),
    ).toThrow(/O-1/);
    expect(() => forecastPeriod({ period: q1, open: [open({ arrMinor: 0.5 })], closed: [] })).toThrow(
      ForecastError,
    );
    expect(() => forecastPeriod({ period: q1, open: [], closed: [closed({ renewedArrMinor: -1 })] })).toThrow(
      ForecastError,
    );
  });
});

describe('forecastPeriod properties', () => {
  const dueDate = fc
    .integer({ min: 1, max: 28 })
    .chain((day) =>
      fc.constantFrom('01', '02', '03').map((month) => `2027-${month}-${String(day).padStart(2, '0')}`),
    );
  const openArb = fc.record({
    contractId: fc.string({ minLength: 1, maxLength: 4 }),
    segment: fc.constantFrom('enterprise', 'smb'),
    ownerUserId: fc.option(fc.constantFrom('U1', 'U2')),
    dueDate,
    arrMinor: fc.nat({ max: 1_000_000_000 }),
    probability: fc.double({ min: 0, max: 1, noNaN: true }),
    category: fc.constantFrom(...FORECAST_CATEGORIES),
    expansionArrMinor: fc.nat({ max: 100_000_000 }),
  });
  const closedArb = fc.record({
    contractId: fc.string({ minLength: 1, maxLength: 4 }),
    segment: fc.constantFrom('enterprise', 'smb'),
    ownerUserId: fc.option(fc.constantFrom('U1', 'U2')),
    dueDate,
    arrMinor: fc.nat({ max: 1_000_000_000 }),
    outcome: fc.constantFrom('won' as const, 'lost' as const),
    renewedArrMinor: fc.option(fc.nat({ max: 2_000_000_000 })),
  });

  it('balances the waterfall exactly, keeps GRR ≤ 1 ≤ … and NRR ≥ GRR', () => {
    fc.assert(
      fc.property(
        fc.array(openArb, { maxLength: 30 }),
        fc.array(closedArb, { maxLength: 30 }),
        (openRows, closedRows) => {
          const r = forecastPeriod({ period: q1, open: openRows, closed: closedRows });
          const w = r.waterfall;
          expect(w.startingArrMinor - w.churnArrMinor - w.contractionArrMinor + w.expansionArrMinor).toBe(
            w.endingArrMinor,
          );
          for (const value of Object.values(w)) expect(Number.isInteger(value)).toBe(true);
          expect(r.expectedRenewedArrMinor).toBeLessThanOrEqual(r.renewableArrMinor);
          expect(r.expectedChurnArrMinor).toBeGreaterThanOrEqual(0);
          expect(r.atRiskArrMinor).toBeLessThanOrEqual(r.renewableArrMinor);
          if (r.grr !== null) {
            expect(r.grr).toBeLessThanOrEqual(1);
            expect(r.nrr as number).toBeGreaterThanOrEqual(r.grr - 1e-12);
          }
          const monthly = r.byMonth.reduce((sum, m) => sum + m.renewableArrMinor, 0);
          expect(monthly).toBe(r.renewableArrMinor);
          const roundedMonths = r.byMonth.reduce((sum, m) => sum + m.expectedRenewedArrMinor, 0);
          expect(Math.abs(roundedMonths - r.expectedRenewedArrMinor)).toBeLessThanOrEqual(2);
        },
      ),
    );
  });
});
