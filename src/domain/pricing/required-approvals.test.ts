import { describe, expect, it } from 'vitest';
import { defaultPricingPolicy, PricingPolicySchema } from './pricing-policy.ts';
import { canDecideStep, requiredApprovals } from './required-approvals.ts';

const policy = defaultPricingPolicy();
const needed = (discountBps: number, customTerms = false) =>
  requiredApprovals({ discountBps, customTerms, policy });

describe('requiredApprovals (default matrix)', () => {
  it.each([
    [-500, ['manager']],
    [0, ['manager']],
    [1, ['manager']],
    [1000, ['manager']],
    [1001, ['manager', 'finance', 'sales_leadership']],
    [2000, ['manager', 'finance', 'sales_leadership']],
    [2001, ['manager', 'executive']],
    [2500, ['manager', 'executive']],
    [2501, ['manager', 'executive']],
    [10_000, ['manager', 'executive']],
  ])('%s bps → %j', (bps, roles) => {
    expect(needed(bps)).toEqual(roles);
  });

  it('custom terms add legal, in canonical order', () => {
    expect(needed(0, true)).toEqual(['manager', 'legal']);
    expect(needed(2100, true)).toEqual(['manager', 'executive', 'legal']);
  });
});

describe('requiredApprovals (configured matrices)', () => {
  it('the cap needs the executive even when another role has no limit', () => {
    const generous = PricingPolicySchema.parse({
      approvals: { discountAuthority: [{ role: 'finance', maxDiscountBps: null }] },
    });
    const at = (bps: number) => requiredApprovals({ discountBps: bps, customTerms: false, policy: generous });
    expect(at(2500)).toEqual(['manager', 'finance']);
    expect(at(2501)).toEqual(['manager', 'finance', 'executive']);
  });

  it('a discount beyond every limit goes to the executive', () => {
    const capped = PricingPolicySchema.parse({
      approvals: { discountAuthority: [{ role: 'manager', maxDiscountBps: 500 }] },
      discount: { capBps: 4000 },
    });
    expect(requiredApprovals({ discountBps: 501, customTerms: false, policy: capped })).toEqual([
      'manager',
      'executive',
    ]);
  });

  it('only the lowest covering limit is needed; order of tiers does not matter', () => {
    const shuffled = PricingPolicySchema.parse({
      approvals: {
        discountAuthority: [
          { role: 'executive', maxDiscountBps: null },
          { role: 'sales_leadership', maxDiscountBps: 1500 },
          { role: 'finance', maxDiscountBps: 2000 },
          { role: 'manager', maxDiscountBps: 1000 },
        ],
      },
    });
    const at = (bps: number) => requiredApprovals({ discountBps: bps, customTerms: false, policy: shuffled });
    expect(at(1200)).toEqual(['manager', 'sales_leadership']);
    expect(at(1600)).toEqual(['manager', 'finance']);
    expect(at(2400)).toEqual(['manager', 'executive']);
  });
});

describe('canDecideStep', () => {
  it.each([
    ['manager', 'manager', true],
    ['finance', 'finance', true],
    ['finance', 'sales_leadership', false],
    ['manager', 'finance', false],
    ['executive', 'manager', true],
    ['executive', 'finance', true],
    ['executive', 'sales_leadership', true],
    ['executive', 'executive', true],
    ['executive', 'legal', false],
    ['legal', 'legal', true],
    ['legal', 'manager', false],
    ['csm', 'manager', false],
    ['admin', 'manager', false],
  ] as const)('%s deciding a %s step → %s', (actor, step, expected) => {
    expect(canDecideStep(actor, step)).toBe(expected);
  });
});
