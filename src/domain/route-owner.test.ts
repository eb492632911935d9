import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICY, PolicySchema } from './policy/policy-schema.ts';
import { pickSpecialist, type RouteOwnerOptions, routeOwner } from './route-owner.ts';
import { makeAccount } from './test-builders.ts';

const policy = DEFAULT_POLICY;

function route(overrides: Partial<RouteOwnerOptions> = {}) {
  return routeOwner({
    account: makeAccount(),
    arrReportingMinor: 2_000_000,
    healthBand: 'green',
    policy,
    ...overrides,
  });
}

describe('routeOwner (hybrid)', () => {
  it.each([
    [4_999_999, 'csm', 'U-csm'],
    [5_000_000, 'sales', 'U-sales'],
    [10_000_000, 'sales', 'U-sales'],
    [500_000, 'csm', 'U-csm'],
  ])('ARR %i → %s', (arr, role, userId) => {
    expect(route({ arrReportingMinor: arr }).owner).toMatchObject({ role, userId });
  });

  it('hands any red account to Sales', () => {
    expect(route({ arrReportingMinor: 100_000, healthBand: 'red' }).owner).toMatchObject({
      role: 'sales',
      rule: 'red account: Sales takes any red account',
    });
  });

  it('gives the tail below 10K to specialists when the tenant has them', () => {
    expect(route({ arrReportingMinor: 999_999, specialists: ['U-s1'] }).owner).toMatchObject({
      role: 'specialist',
      userId: 'U-s1',
    });
    expect(route({ arrReportingMinor: 1_000_000, specialists: ['U-s1'] }).owner.role).toBe('csm');
    expect(route({ arrReportingMinor: 999_999 }).owner.role).toBe('csm');
    const withFlag = PolicySchema.parse({ ownership: { tenantHasSpecialists: true } });
    expect(route({ arrReportingMinor: 999_999, policy: withFlag }).owner).toMatchObject({
      role: 'specialist',
      userId: null,
    });
  });

  it('says when the account has no owner of that role', () => {
    const owner = route({ account: makeAccount({ ownerCsm: null }) }).owner;
    expect(owner).toMatchObject({ role: 'csm', userId: null });
    expect(owner.rule).toContain('no CSM on the account');
  });

  it.each([
    [{ account: makeAccount({ strategic: true }), arrReportingMinor: 100_000 }, true, 'strategic account'],
    [{ arrReportingMinor: 10_000_000 }, true, 'ARR 100000.00 USD ≥ 100000.00 USD'],
    [{ arrReportingMinor: 9_999_999 }, false, null],
    [
      { arrReportingMinor: 1_000_000, healthBand: 'red' as const },
      true,
      'red account with ARR 10000.00 USD ≥ 10000.00 USD',
    ],
    [{ arrReportingMinor: 999_999, healthBand: 'red' as const }, false, null],
  ])('executive engagement for %j: %s', (overrides, engaged, rule) => {
    expect(route(overrides)).toMatchObject({ executiveEngagement: engaged, executiveRule: rule });
  });
});

describe('routeOwner (other models)', () => {
  it.each([
    ['cs_led', 'csm'],
    ['sales_led', 'sales'],
    ['specialists', 'csm'],
  ] as const)('%s routes to %s', (model, role) => {
    const custom = PolicySchema.parse({ ownership: { model } });
    expect(route({ policy: custom, arrReportingMinor: 20_000_000, healthBand: 'red' }).owner.role).toBe(role);
  });

  it('specialist model with specialists', () => {
    const custom = PolicySchema.parse({ ownership: { model: 'specialists' } });
    expect(route({ policy: custom, specialists: ['U-s1'] }).owner).toMatchObject({
      role: 'specialist',
      userId: 'U-s1',
    });
  });
});

describe('pickSpecialist', () => {
  it('is deterministic and spreads accounts', () => {
    const team = ['U-a', 'U-b', 'U-c'];
    expect(pickSpecialist('A-1', team)).toBe(pickSpecialist('A-1', team));
    expect(pickSpecialist('A-1', [])).toBeNull();
    const picks = new Set(Array.from({ length: 60 }, (_, i) => pickSpecialist(`A-${i}`, team)));
    expect(picks).toEqual(new Set(team));
  });

  it('always picks a member of the list (property)', () => {
    fc.assert(
      fc.property(
        fc.string(),
        fc.array(fc.string({ minLength: 1 }), { minLength: 1, maxLength: 10 }),
        (id, team) => team.includes(pickSpecialist(id, team) ?? ''),
      ),
    );
  });
});
