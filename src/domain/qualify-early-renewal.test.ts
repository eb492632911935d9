import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays, addMonths } from './calendar.ts';
import { collectAccountFacts } from './collect-account-facts.ts';
import { DEFAULT_POLICY, PolicySchema } from './policy/policy-schema.ts';
import {
  type QualifyEarlyRenewalOptions,
  qualifyEarlyRenewal,
  wholeMonthsBetween,
} from './qualify-early-renewal.ts';
import type { AccountSnapshot } from './records.ts';
import { makeAccount, makeHealthySnapshot, makeStakeholder, makeUsage } from './test-builders.ts';

const policy = DEFAULT_POLICY;
const dueDate = '2027-06-30';
const asOf = '2027-01-15'; // 5 months early

function qualify(overrides: Partial<QualifyEarlyRenewalOptions> & { snapshot?: AccountSnapshot } = {}) {
  const at = overrides.asOf ?? asOf;
  const snapshot = overrides.snapshot ?? makeHealthySnapshot(at);
  return qualifyEarlyRenewal({
    account: snapshot.account,
    dueDate,
    healthScore: 85,
    facts: collectAccountFacts({ snapshot, policy, asOf: at }),
    riskFlags: [],
    atRisk: false,
    policy,
    asOf: at,
    ...overrides,
  });
}

describe('qualifyEarlyRenewal', () => {
  it('qualifies a healthy, adopted, multi-threaded account 5 months out', () => {
    expect(qualify()).toMatchObject({
      qualified: true,
      reasons: [],
      monthsEarly: 5.5,
      wholeMonthsEarly: 5,
      suggestedDiscountPct: { min: 5, max: 10 },
      sweetSpot: true,
      targetAccount: true,
    });
  });

  it.each([
    [74, ['health_below_threshold']],
    [75, []],
  ])('health %i → %j', (healthScore, reasons) => {
    expect(qualify({ healthScore }).reasons).toEqual(reasons);
  });

  it('accepts 60% of seats or strong core-feature engagement', () => {
    const withUsage = (activeUsers: number, coreFeatureAdoptionPct: number) =>
      qualify({
        snapshot: makeHealthySnapshot(asOf, {
          usage: [makeUsage({ date: asOf, activeUsers, coreFeatureAdoptionPct })],
        }),
      });
    expect(withUsage(60, 10).reasons).toEqual([]);
    expect(withUsage(59, 69).reasons).toEqual(['adoption_below_threshold']);
    expect(withUsage(59, 70).reasons).toEqual([]);
  });

  it('needs several threads and an executive sponsor', () => {
    const snapshot = makeHealthySnapshot(asOf, { stakeholders: [makeStakeholder()] });
    expect(qualify({ snapshot }).reasons).toEqual(['single_threaded', 'no_executive_sponsor']);
  });

  it('stays away from accounts evaluating alternatives, under a budget freeze or at risk', () => {
    expect(qualify({ riskFlags: ['competitor_evaluation', 'budget_freeze'], atRisk: true }).reasons).toEqual([
      'evaluating_alternatives',
      'budget_freeze',
      'already_at_risk',
    ]);
    expect(qualify({ riskFlags: ['competitor_evaluation'] }).suggestedDiscountPct).toBeNull();
  });

  it.each([
    ['2026-06-29', ['too_early'], null],
    ['2026-06-30', [], { min: 15, max: 20 }], // exactly 12 months
    ['2026-09-30', [], { min: 15, max: 20 }], // 9 months
    ['2026-10-01', [], { min: 10, max: 15 }],
    ['2026-12-30', [], { min: 10, max: 15 }], // exactly 6 months
    ['2026-12-31', [], { min: 5, max: 10 }],
    ['2027-03-30', [], { min: 5, max: 10 }], // exactly 3 months
    ['2027-03-31', ['too_late'], null],
    ['2027-06-30', ['too_late'], null],
  ])('on %s: %j, discount %j', (at, reasons, discount) => {
    const result = qualify({ asOf: at });
    expect(result.reasons).toEqual(reasons);
    expect(result.suggestedDiscountPct).toEqual(discount);
  });

  it('counts calendar months with month-end clamping', () => {
    expect(wholeMonthsBetween('2026-12-31', '2027-03-31')).toBe(3);
    expect(wholeMonthsBetween('2027-01-01', '2027-03-31')).toBe(2);
    expect(wholeMonthsBetween('2026-11-30', '2027-02-28')).toBe(2); // Feb 28 − 3 months = Nov 28
    expect(wholeMonthsBetween('2026-11-28', '2027-02-28')).toBe(3);
    expect(wholeMonthsBetween('2027-03-31', '2027-03-31')).toBe(0);
    expect(wholeMonthsBetween('2027-04-01', '2027-03-31')).toBe(-1);
  });

  it('wholeMonthsBetween agrees with addMonths (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 3000 }), fc.integer({ min: 0, max: 800 }), (a, gap) => {
        const start = addDays('2020-01-01', a);
        const end = addDays(start, gap);
        const months = wholeMonthsBetween(start, end);
        return months >= 0 && addMonths(end, -months) >= start && addMonths(end, -(months + 1)) < start;
      }),
    );
  });

  it.each([
    ['Retail', '2026-11-15', true],
    ['retail', '2026-12-01', false],
    ['Tax software', '2027-03-01', true],
    ['Education', '2026-08-31', true],
    ['Manufacturing', '2026-11-15', false],
  ])('%s on %s: seasonal blackout %s', (industry, at, blackout) => {
    const snapshot = makeHealthySnapshot(at, { account: { industry } });
    const result = qualify({ asOf: at, account: makeAccount({ industry }), snapshot });
    expect(result.reasons.includes('seasonal_blackout')).toBe(blackout);
  });

  it('notes the budget cycle: fiscal year from July → plan in April–May', () => {
    const result = qualify({ asOf: '2027-04-10', account: makeAccount({ fiscalYearStartMonth: 7 }) });
    expect(result.budgetCycle).toEqual({
      fiscalYearStartMonth: 7,
      nextFiscalYearStart: '2027-07-01',
      planningMonths: [4, 5],
      inPlanningWindow: true,
    });
    const calendarYear = qualify({ asOf: '2027-01-01', account: makeAccount({ fiscalYearStartMonth: 1 }) });
    expect(calendarYear.budgetCycle).toMatchObject({
      nextFiscalYearStart: '2028-01-01',
      planningMonths: [10, 11],
    });
  });

  it('reads the thresholds from the policy', () => {
    const lenient = PolicySchema.parse({ earlyRenewal: { minHealth: 60, requireExecutiveSponsor: false } });
    const snapshot = makeHealthySnapshot(asOf, {
      stakeholders: [
        makeStakeholder({ stakeholderId: 'S-1' }),
        makeStakeholder({ stakeholderId: 'S-2', role: 'user' }),
      ],
    });
    expect(qualify({ policy: lenient, healthScore: 60, snapshot }).qualified).toBe(true);
  });

  it('never suggests a discount to an unqualified account (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 100 }), fc.boolean(), (healthScore, atRisk) => {
        const result = qualify({ healthScore, atRisk });
        return (
          result.qualified === (result.reasons.length === 0) &&
          (result.qualified || result.suggestedDiscountPct === null)
        );
      }),
    );
  });
});
