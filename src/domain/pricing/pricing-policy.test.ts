import { describe, expect, it } from 'vitest';
import { checkPricingPolicy, defaultPricingPolicy, PricingPolicySchema } from './pricing-policy.ts';

describe('PricingPolicySchema', () => {
  it('parses {} into the documented defaults', () => {
    const policy = PricingPolicySchema.parse({});
    expect(policy.uplift).toEqual({ defaultBps: 500, minBps: 300, maxBps: 1000 });
    expect(policy.listIncreaseBps).toBe(500);
    expect(policy.earlyRenewal).toEqual({
      rungs: [
        { fromMonths: 3, defaultBps: 500, minBps: 500, maxBps: 1000 },
        { fromMonths: 6, defaultBps: 1000, minBps: 1000, maxBps: 1500 },
        { fromMonths: 9, defaultBps: 1500, minBps: 1500, maxBps: 2000 },
      ],
      maxMonthsEarly: 12,
    });
    expect(policy.multiYear).toEqual({
      stackingCap: {
        twoYears: { defaultBps: 1800, minBps: 1200, maxBps: 1800 },
        threeYears: { defaultBps: 2500, minBps: 2000, maxBps: 2500 },
      },
      escalation: {
        yearTwo: { defaultBps: 300, minBps: 0, maxBps: 300 },
        yearThree: { defaultBps: 500, minBps: 500, maxBps: 500 },
      },
    });
    expect(policy.discount).toEqual({ capBps: 2500, anchoringFromBps: 2500 });
    expect(policy.approvals.discountAuthority).toEqual([
      { role: 'manager', maxDiscountBps: 1000 },
      { role: 'finance', maxDiscountBps: 2000 },
      { role: 'sales_leadership', maxDiscountBps: 2000 },
      { role: 'executive', maxDiscountBps: null },
    ]);
    expect(policy.incentives.enterprise.map((incentive) => incentive.kind)).toEqual([
      'payment_terms',
      'support_upgrade',
    ]);
    expect(policy.incentives.mid_market).toEqual([]);
    expect(policy.incentives.smb.map((incentive) => incentive.kind)).toEqual(['training', 'services_credit']);
    expect(policy.packages).toEqual({
      better: { seatIncreaseBps: 1000, addOnKeys: [], termYears: 1, schedule: 'fixed' },
      best: { seatIncreaseBps: 2500, addOnKeys: [], termYears: 2, schedule: 'fixed' },
    });
    expect(policy.expansion.addOns).toEqual([]);
    expect(defaultPricingPolicy()).toEqual(policy);
  });

  it('fills the defaults around a partial override', () => {
    const policy = PricingPolicySchema.parse({
      uplift: { defaultBps: 700 },
      multiYear: { escalation: { yearTwo: { defaultBps: 0 } } },
    });
    expect(policy.uplift).toEqual({ defaultBps: 700, minBps: 300, maxBps: 1000 });
    expect(policy.multiYear.escalation.yearTwo.defaultBps).toBe(0);
    expect(policy.multiYear.escalation.yearThree.defaultBps).toBe(500);
    expect(policy.multiYear.stackingCap.twoYears.defaultBps).toBe(1800);
  });

  it('does not share default arrays between parses', () => {
    const first = PricingPolicySchema.parse({});
    first.earlyRenewal.rungs.pop();
    expect(PricingPolicySchema.parse({}).earlyRenewal.rungs).toHaveLength(3);
  });

  it.each([
    ['a fractional bp', { uplift: { defaultBps: 5.5 } }],
    ['a negative bp', { listIncreaseBps: -1 }],
    ['over 100 %', { discount: { capBps: 10_001 } }],
    ['min above max', { uplift: { minBps: 900, maxBps: 800 } }],
    [
      'rungs out of order',
      {
        earlyRenewal: {
          rungs: [
            { fromMonths: 6, defaultBps: 1000, minBps: 1000, maxBps: 1500 },
            { fromMonths: 3, defaultBps: 500, minBps: 500, maxBps: 1000 },
          ],
        },
      },
    ],
    [
      'a rung min above max',
      { earlyRenewal: { rungs: [{ fromMonths: 3, defaultBps: 500, minBps: 900, maxBps: 800 }] } },
    ],
    ['an unknown add-on key', { packages: { best: { addOnKeys: ['nope'] } } }],
    [
      'duplicate add-ons',
      {
        expansion: {
          addOns: [
            { key: 'a', label: 'A', pricing: { kind: 'arr_pct', bps: 100 } },
            { key: 'a', label: 'A', pricing: { kind: 'arr_pct', bps: 100 } },
          ],
        },
      },
    ],
    [
      'a lower-case currency',
      {
        expansion: {
          addOns: [{ key: 'a', label: 'A', pricing: { kind: 'per_seat', perSeatMinor: { usd: 1 } } }],
        },
      },
    ],
    ['a term of 4 years', { packages: { best: { termYears: 4 } } }],
    [
      'an unknown authority role',
      { approvals: { discountAuthority: [{ role: 'cfo', maxDiscountBps: 100 }] } },
    ],
  ])('refuses %s', (_name, input) => {
    expect(PricingPolicySchema.safeParse(input).success).toBe(false);
  });
});

describe('checkPricingPolicy', () => {
  it('has nothing to say about the defaults', () => {
    expect(checkPricingPolicy(defaultPricingPolicy())).toEqual([]);
  });

  it('warns (does not refuse) when a default leaves its range or a range leaves the guide', () => {
    const policy = PricingPolicySchema.parse({
      uplift: { defaultBps: 1200 },
      multiYear: { stackingCap: { twoYears: { defaultBps: 2000, maxBps: 2000 } } },
    });
    expect(checkPricingPolicy(policy)).toEqual([
      {
        code: 'policy_out_of_range',
        path: 'uplift',
        message: 'uplift: default 12% is outside its range 3%–10%',
      },
      {
        code: 'policy_out_of_range',
        path: 'multiYear.stackingCap.twoYears',
        message: "multiYear.stackingCap.twoYears: range 12%–20% leaves the guide's 12%–18%",
      },
    ]);
  });

  it('warns about a ladder beyond 12 months and a cap that lets anchoring discounts through', () => {
    const policy = PricingPolicySchema.parse({
      earlyRenewal: { maxMonthsEarly: 18 },
      discount: { capBps: 3000 },
    });
    expect(checkPricingPolicy(policy).map((warning) => warning.path)).toEqual([
      'earlyRenewal.maxMonthsEarly',
      'discount.capBps',
    ]);
  });

  it('checks ladder rungs against the guide rung with the same start', () => {
    const policy = PricingPolicySchema.parse({
      earlyRenewal: {
        rungs: [
          { fromMonths: 3, defaultBps: 500, minBps: 500, maxBps: 1200 },
          { fromMonths: 7, defaultBps: 900, minBps: 1000, maxBps: 1500 },
        ],
      },
    });
    expect(checkPricingPolicy(policy).map((warning) => warning.message)).toEqual([
      "earlyRenewal.rungs.0: range 5%–12% leaves the guide's 5%–10%",
      'earlyRenewal.rungs.1: default 9% is outside its range 10%–15%',
    ]);
  });
});
