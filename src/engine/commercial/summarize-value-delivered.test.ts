import { describe, expect, it } from 'vitest';
import type { UsageRecord } from '../../domain/records.ts';
import { summarizeValueDelivered } from './summarize-value-delivered.ts';

const usage = (date: string, activeUsers: number, licensedSeats: number | null = 100): UsageRecord => ({
  accountId: 'A-1',
  date,
  activeUsers,
  licensedSeats,
  coreFeatureAdoptionPct: null,
});
const formatAmount = (minor: number, currency: string) => `${currency} ${minor}`;
const base = { tickets: [], surveys: [], contractSeats: 100, asOf: '2026-11-23', formatAmount };

describe('summarizeValueDelivered', () => {
  it("reproduces the guide's example: 10 h/week saved = $75,000/year", () => {
    const review = summarizeValueDelivered({ ...base, usage: [usage('2026-11-16', 10)], currency: 'USD' });
    expect(review.roi).toMatchObject({
      hoursPerWeekTenths: 100,
      hoursPerYear: 500,
      valuePerYearMinor: 7_500_000,
    });
    expect(review.highlights).toContain('About 10 h/week saved ≈ USD 7500000/year');
  });

  it('computes the trend against the earliest point within 90 days, and adoption of licensed seats', () => {
    const review = summarizeValueDelivered({
      ...base,
      usage: [usage('2026-05-01', 10), usage('2026-08-20', 60), usage('2026-11-16', 78)],
      currency: 'USD',
    });
    expect(review.usage).toMatchObject({
      activeUsers: 78,
      seatAdoptionPct: 78,
      baselineDate: '2026-08-20',
      activeUsersChangePct: 30,
      peakActiveUsers: 78,
    });
  });

  it('keeps money exact in currencies without minor units, and gives hours only when no hourly cost is known', () => {
    const yen = summarizeValueDelivered({
      ...base,
      usage: [usage('2026-11-16', 7)],
      currency: 'JPY',
      assumptions: { minutesSavedPerActiveUserPerWeek: 45 },
    });
    // 7 × 45 min = 5.25 h/week (5.3 shown) × 50 weeks = 262.5 h → 263; × ¥22,000 = ¥5,775,000 exactly
    expect(yen.roi).toMatchObject({
      hoursPerWeekTenths: 53,
      hoursPerYear: 263,
      valuePerYearMinor: 5_775_000,
    });
    const dinar = summarizeValueDelivered({ ...base, usage: [usage('2026-11-16', 7)], currency: 'BHD' });
    expect(dinar.roi).toMatchObject({ hourlyCostMinor: null, valuePerYearMinor: null, hoursPerYear: 350 });
  });

  it('says nothing about usage it does not have', () => {
    const review = summarizeValueDelivered({ ...base, usage: [], currency: 'USD' });
    expect(review.usage).toBeNull();
    expect(review.roi).toBeNull();
    expect(review.highlights).toEqual(['0 support tickets in the last 12 months']);
  });
});
