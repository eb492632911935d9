import { describe, expect, it } from 'vitest';
import { assessAtRisk, type ClassifyRenewalOptions, classifyRenewal } from './classify-renewal.ts';
import { DEFAULT_POLICY } from './policy/policy-schema.ts';
import { makeContract } from './test-builders.ts';

const policy = DEFAULT_POLICY;
const notAtRisk = { atRisk: false, reasons: [] };

function classify(overrides: Partial<ClassifyRenewalOptions> = {}) {
  return classifyRenewal({
    segment: 'smb',
    contract: makeContract({ arrMinor: 500_000, autoRenew: true, paymentOnFile: true }),
    arrReportingMinor: 500_000,
    healthBand: 'green',
    atRisk: notAtRisk,
    earlyQualified: false,
    expansionSignal: false,
    policy,
    ...overrides,
  });
}

describe('assessAtRisk', () => {
  it.each([
    [39, true],
    [40, false],
  ])('health %i at-risk: %s', (score, atRisk) => {
    expect(assessAtRisk({ healthScore: score, riskFlags: [], policy }).atRisk).toBe(atRisk);
  });

  it('makes severe events at-risk at any score', () => {
    expect(assessAtRisk({ healthScore: 90, riskFlags: ['competitor_evaluation'], policy })).toEqual({
      atRisk: true,
      reasons: ['competitor_evaluation'],
    });
    expect(assessAtRisk({ healthScore: 90, riskFlags: ['stale_contact'], policy }).atRisk).toBe(false);
  });
});

describe('classifyRenewal: type', () => {
  it('orders at_risk > early > expansion > flat', () => {
    const atRisk = { atRisk: true, reasons: ['health 30 below 40'] };
    expect(classify({ atRisk, earlyQualified: true, expansionSignal: true }).type).toBe('at_risk');
    expect(classify({ earlyQualified: true, expansionSignal: true }).type).toBe('early');
    expect(classify({ expansionSignal: true }).type).toBe('expansion');
    expect(classify().type).toBe('flat');
  });
});

describe('classifyRenewal: motion', () => {
  it('auto-renews a small healthy flat contract with auto-renew and payment on file', () => {
    expect(classify()).toMatchObject({ motion: 'auto' });
  });

  it.each([
    [{ contract: makeContract({ autoRenew: false, paymentOnFile: true }) }, 'no auto-renew clause'],
    [{ contract: makeContract({ autoRenew: true, paymentOnFile: false }) }, 'no payment on file'],
    [{ healthBand: 'yellow' as const }, 'health is yellow'],
    [{ arrReportingMinor: 1_000_000 }, 'contract too large for auto-renewal'],
    [{ expansionSignal: true }, 'type is expansion'],
  ])('is assisted when %j', (overrides, why) => {
    const result = classify(overrides);
    expect(result.motion).toBe('assisted');
    expect(result.motionRule).toContain(why);
  });

  it('auto-renews just below the threshold', () => {
    expect(classify({ arrReportingMinor: 999_999 }).motion).toBe('auto');
  });

  it('negotiates every enterprise renewal', () => {
    expect(classify({ segment: 'enterprise' }).motion).toBe('negotiated');
  });

  it('negotiates mid-market expansion and at-risk renewals, assists flat and early ones', () => {
    const atRisk = { atRisk: true, reasons: ['x'] };
    expect(classify({ segment: 'mid_market', expansionSignal: true }).motion).toBe('negotiated');
    expect(classify({ segment: 'mid_market', atRisk }).motion).toBe('negotiated');
    expect(classify({ segment: 'mid_market', arrReportingMinor: 3_000_000 }).motion).toBe('assisted');
    expect(classify({ segment: 'mid_market', earlyQualified: true }).motion).toBe('assisted');
    expect(classify({ segment: 'smb', atRisk }).motion).toBe('assisted');
  });
});
