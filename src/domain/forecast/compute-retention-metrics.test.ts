import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { computeRetentionMetrics, daysSignedEarly, type RetentionRow } from './compute-retention-metrics.ts';
import { ForecastError } from './forecast-error.ts';

function makeRow(overrides: Partial<RetentionRow> = {}): RetentionRow {
  return {
    contractId: 'C-1',
    accountId: 'A-1',
    segment: 'mid_market',
    ownerUserId: 'U-1',
    dueDate: '2027-03-31',
    arrMinor: 1_000_000,
    outcome: 'won',
    renewedArrMinor: null,
    closedOn: null,
    signedDaysEarly: null,
    termYears: 1,
    reasons: [],
    competitor: null,
    discountBps: null,
    ...overrides,
  };
}

/**
 * Hand-computed cohort (USD cents):
 * C1 won 1,000,000 → 1,200,000 (expansion 200,000), 120 days early, 2 years, 10% discount
 * C2 won   500,000 →   400,000 (contraction 100,000), 30 days early
 * C3 lost  300,000 (churn), "Too complex" and "budget", to Rival, save play ran
 * C4 won   200,000 flat, closed 2027-01-01 for a 2027-03-31 due date (89 days early), save play ran
 * C5 pending 100,000
 */
const cohort: RetentionRow[] = [
  makeRow({
    contractId: 'C1',
    segment: 'enterprise',
    ownerUserId: 'U1',
    arrMinor: 1_000_000,
    renewedArrMinor: 1_200_000,
    signedDaysEarly: 120,
    termYears: 2,
    discountBps: 1000,
    reasons: ['great support'],
    savePlayRan: false,
  }),
  makeRow({
    contractId: 'C2',
    ownerUserId: 'U1',
    arrMinor: 500_000,
    renewedArrMinor: 400_000,
    signedDaysEarly: 30,
  }),
  makeRow({
    contractId: 'C3',
    ownerUserId: 'U2',
    arrMinor: 300_000,
    outcome: 'lost',
    termYears: null,
    reasons: ['Too complex', 'budget', ' too  COMPLEX '],
    competitor: 'Rival',
    savePlayRan: true,
  }),
  makeRow({
    contractId: 'C4',
    segment: 'smb',
    ownerUserId: 'U2',
    arrMinor: 200_000,
    closedOn: '2027-01-01',
    termYears: null,
    savePlayRan: true,
  }),
  makeRow({
    contractId: 'C5',
    segment: 'smb',
    ownerUserId: null,
    arrMinor: 100_000,
    outcome: 'pending',
    termYears: null,
  }),
];

describe('computeRetentionMetrics on a hand-computed cohort', () => {
  const metrics = computeRetentionMetrics({ rows: cohort });

  it('counts outcomes and ARR, leaving pending renewals out of the ratios', () => {
    expect(metrics).toMatchObject({
      renewals: 5,
      won: 3,
      lost: 1,
      pending: 1,
      startingArrMinor: 2_000_000,
      pendingArrMinor: 100_000,
      churnArrMinor: 300_000,
      contractionArrMinor: 100_000,
      expansionArrMinor: 200_000,
      endingArrMinor: 1_800_000,
      renewalRateByCount: 0.75,
      renewalRateByArr: 0.85,
      grr: 0.8,
      nrr: 0.9,
    });
  });
  it('builds the waterfall', () => {
    expect(metrics.waterfall).toEqual({
      startingArrMinor: 2_000_000,
      churnArrMinor: 300_000,
      contractionArrMinor: 100_000,
      expansionArrMinor: 200_000,
      endingArrMinor: 1_800_000,
    });
  });
  it('measures the early-renewal program', () => {
    // Only C1 is ≥ 90 days early (C4 is 89): 1 of 3 won.
    expect(metrics.earlyRenewals).toBe(1);
    expect(metrics.earlyRenewalRate).toBeCloseTo(1 / 3, 12);
    expect(metrics.averageDaysEarly).toBeCloseTo((120 + 30 + 89) / 3, 12);
    // (1,200,000 × 120 + 400,000 × 30 + 200,000 × 89) / 365 = 173,800,000 / 365 = 476,164.38…
    expect(metrics.revenueAcceleratedMinor).toBe(476_164);
    expect(metrics.multiYearAttachRate).toBeCloseTo(1 / 3, 12);
    expect(metrics.earlyProgram).toEqual({
      earlyRenewals: 1,
      retainedArrMinor: 1_000_000,
      expansionArrMinor: 200_000,
      // 1,200,000 × 1000 / 9000 = 133,333.3…
      discountCostMinor: 133_333,
      // standard cohort C2, C3, C4: 300,000 lost of 1,000,000
      standardChurnRate: 0.3,
      churnAvoidedMinor: 300_000,
      roi: 500_000 / 133_333,
    });
  });
  it('breaks down by segment, capping GRR at 100% where expansion outweighs', () => {
    expect(metrics.bySegment.map((s) => [s.segment, s.startingArrMinor, s.grr, s.nrr])).toEqual([
      ['enterprise', 1_000_000, 1, 1.2],
      ['mid_market', 800_000, 0.5, 0.5],
      ['smb', 200_000, 1, 1],
    ]);
  });
  it('breaks down by owner, unassigned last, with null ratios when nothing closed', () => {
    expect(metrics.byOwner.map((o) => o.ownerUserId)).toEqual(['U1', 'U2', null]);
    const [u1, u2, unassigned] = metrics.byOwner;
    expect(u1?.grr).toBeCloseTo(1_400_000 / 1_500_000, 12);
    expect(u1?.nrr).toBeCloseTo(1_600_000 / 1_500_000, 12);
    expect(u2?.grr).toBeCloseTo(0.4, 12);
    expect(unassigned).toMatchObject({
      pending: 1,
      startingArrMinor: 0,
      grr: null,
      nrr: null,
      renewalRateByCount: null,
    });
  });
  it('counts reasons case-insensitively, once per renewal', () => {
    expect(metrics.winLoss.reasons).toEqual([
      { reason: 'budget', won: 0, lost: 1, lostArrMinor: 300_000, isPattern: false },
      { reason: 'Too complex', won: 0, lost: 1, lostArrMinor: 300_000, isPattern: false },
      { reason: 'great support', won: 1, lost: 0, lostArrMinor: 0, isPattern: false },
    ]);
    expect(metrics.winLoss.competitors).toEqual([
      { competitor: 'Rival', losses: 1, lostArrMinor: 300_000, competitiveWins: 0, isPattern: false },
    ]);
  });
  it('compares win rates with and without a save play', () => {
    expect(metrics.winLoss.savePlays).toEqual({
      withSavePlay: { renewals: 2, won: 1, winRate: 0.5 },
      withoutSavePlay: { renewals: 1, won: 1, winRate: 1 },
      notRecorded: 1,
      winRateLift: -0.5,
    });
  });
});

describe('computeRetentionMetrics edge cases', () => {
  it('caps GRR at 100% while NRR carries the expansion', () => {
    const metrics = computeRetentionMetrics({ rows: [makeRow({ arrMinor: 1_000, renewedArrMinor: 1_500 })] });
    expect(metrics.grr).toBe(1);
    expect(metrics.nrr).toBe(1.5);
  });
  it('treats a churned renewal as full churn whatever renewed ARR says', () => {
    const metrics = computeRetentionMetrics({ rows: [makeRow({ outcome: 'lost', renewedArrMinor: 700 })] });
    expect(metrics).toMatchObject({ churnArrMinor: 1_000_000, grr: 0, nrr: 0, endingArrMinor: 0 });
  });
  it('records a contraction', () => {
    const metrics = computeRetentionMetrics({ rows: [makeRow({ arrMinor: 1_000, renewedArrMinor: 750 })] });
    expect(metrics).toMatchObject({ contractionArrMinor: 250, grr: 0.75, nrr: 0.75, renewalRateByArr: 1 });
  });
  it('returns null ratios, never NaN, for zero starting ARR', () => {
    for (const rows of [[], [makeRow({ outcome: 'pending' })], [makeRow({ arrMinor: 0 })]]) {
      const metrics = computeRetentionMetrics({ rows });
      expect(metrics.grr).toBeNull();
      expect(metrics.nrr).toBeNull();
      expect(metrics.renewalRateByArr).toBeNull();
      expect(JSON.stringify(metrics)).not.toContain('NaN');
    }
    const empty = computeRetentionMetrics({ rows: [] });
    expect(empty).toMatchObject({
      renewalRateByCount: null,
      earlyRenewalRate: null,
      averageDaysEarly: null,
      multiYearAttachRate: null,
      revenueAcceleratedMinor: 0,
    });
    expect(empty.earlyProgram.roi).toBeNull();
    expect(empty.winLoss.savePlays.winRateLift).toBeNull();
  });
  it('keeps only renewals due in the period, both ends inclusive', () => {
    const rows = [
      makeRow({ contractId: 'in-first', dueDate: '2027-01-01' }),
      makeRow({ contractId: 'in-last', dueDate: '2027-03-31' }),
      makeRow({ contractId: 'before', dueDate: '2026-12-31', outcome: 'lost' }),
      makeRow({ contractId: 'after', dueDate: '2027-04-01', outcome: 'lost' }),
    ];
    const metrics = computeRetentionMetrics({ rows, period: { start: '2027-01-01', end: '2027-03-31' } });
    expect(metrics).toMatchObject({ renewals: 2, lost: 0, grr: 1 });
  });
  it('counts a renewal signed exactly 90 days early as early, 89 as not', () => {
    const rows = [
      makeRow({ contractId: 'a', closedOn: '2027-01-01', dueDate: '2027-03-31' }),
      makeRow({ contractId: 'b', closedOn: '2026-12-31', dueDate: '2027-03-31' }),
    ];
    expect(rows.map(daysSignedEarly)).toEqual([89, 90]);
    expect(computeRetentionMetrics({ rows }).earlyRenewals).toBe(1);
    expect(computeRetentionMetrics({ rows, policy: { earlyRenewalDays: 89 } }).earlyRenewals).toBe(2);
  });
  it('ignores late signatures in the days-early average', () => {
    const rows = [makeRow({ signedDaysEarly: -10 }), makeRow({ signedDaysEarly: 100 })];
    expect(computeRetentionMetrics({ rows }).averageDaysEarly).toBe(100);
  });
  it('flags a competitor as a pattern at the threshold (default 5)', () => {
    const losses = (count: number): RetentionRow[] =>
      Array.from({ length: count }, (_, i) =>
        makeRow({ contractId: `L${i}`, outcome: 'lost', competitor: i % 2 ? 'rival ' : 'Rival' }),
      );
    const four = computeRetentionMetrics({ rows: losses(4) }).winLoss.competitors;
    expect(four).toMatchObject([{ competitor: 'Rival', losses: 4, isPattern: false }]);
    const five = computeRetentionMetrics({ rows: [...losses(5), makeRow({ competitor: 'RIVAL' })] }).winLoss
      .competitors;
    expect(five).toMatchObject([{ competitor: 'Rival', losses: 5, competitiveWins: 1, isPattern: true }]);
    const lowered = computeRetentionMetrics({ rows: losses(3), policy: { competitorPatternThreshold: 3 } });
    expect(lowered.winLoss.competitors[0]?.isPattern).toBe(true);
  });
  it('flags a loss reason given by 3 customers as a pattern', () => {
    const rows = ['Too complex', 'too complex', 'TOO   complex'].map((reason, i) =>
      makeRow({ contractId: `L${i}`, outcome: 'lost', reasons: [reason] }),
    );
    expect(computeRetentionMetrics({ rows }).winLoss.reasons).toMatchObject([
      { reason: 'Too complex', lost: 3, isPattern: true },
    ]);
  });
  it('rejects amounts that are not integer minor units', () => {
    for (const row of [
      makeRow({ arrMinor: 10.5 }),
      makeRow({ arrMinor: -1 }),
      makeRow({ renewedArrMinor: -5 }),
    ]) {
      expect(() => computeRetentionMetrics({ rows: [row] })).toThrow(ForecastError);
    }
    expect(() => computeRetentionMetrics({ rows: [makeRow({ contractId: 'C-9', arrMinor: -1 })] })).toThrow(
      /C-9/,
    );
  });
});

describe('computeRetentionMetrics properties', () => {
  const rowArb = fc
    .record({
      arrMinor: fc.nat({ max: 1_000_000_000 }),
      outcome: fc.constantFrom('won', 'lost', 'pending') as fc.Arbitrary<RetentionRow['outcome']>,
      renewedArrMinor: fc.option(fc.nat({ max: 2_000_000_000 })),
      segment: fc.constantFrom('enterprise', 'mid_market', 'smb'),
      ownerUserId: fc.option(fc.constantFrom('U1', 'U2')),
      signedDaysEarly: fc.option(fc.integer({ min: -30, max: 365 })),
    })
    .map((fields) => makeRow(fields));
  const rowsArb = fc.array(rowArb, { maxLength: 40 });

  it('GRR lies in [0, 1], NRR ≥ GRR, and the waterfall balances exactly', () => {
    fc.assert(
      fc.property(rowsArb, (rows) => {
        const m = computeRetentionMetrics({ rows });
        const w = m.waterfall;
        expect(w.startingArrMinor - w.churnArrMinor - w.contractionArrMinor + w.expansionArrMinor).toBe(
          w.endingArrMinor,
        );
        const renewedSum = rows
          .filter((row) => row.outcome === 'won')
          .reduce((sum, row) => sum + (row.renewedArrMinor ?? row.arrMinor), 0);
        expect(w.endingArrMinor).toBe(renewedSum);
        if (m.grr === null) {
          expect(m.startingArrMinor).toBe(0);
          expect(m.nrr).toBeNull();
        } else {
          expect(m.grr).toBeGreaterThanOrEqual(0);
          expect(m.grr).toBeLessThanOrEqual(1);
          expect(m.nrr as number).toBeGreaterThanOrEqual(m.grr - 1e-12);
        }
      }),
    );
  });
  it('breakdowns partition the cohort', () => {
    fc.assert(
      fc.property(rowsArb, (rows) => {
        const m = computeRetentionMetrics({ rows });
        for (const breakdown of [m.bySegment, m.byOwner]) {
          const sum = (pick: (s: (typeof breakdown)[number]) => number): number =>
            breakdown.reduce((total, s) => total + pick(s), 0);
          expect(sum((s) => s.renewals)).toBe(m.renewals);
          expect(sum((s) => s.startingArrMinor)).toBe(m.startingArrMinor);
          expect(sum((s) => s.endingArrMinor)).toBe(m.endingArrMinor);
        }
      }),
    );
  });
});
