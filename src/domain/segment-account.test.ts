import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DomainError } from './domain-error.ts';
import { DEFAULT_POLICY, PolicySchema } from './policy/policy-schema.ts';
import { activeArrInReportingCurrency, segmentAccount, segmentForArr } from './segment-account.ts';
import { makeAccount, makeContract } from './test-builders.ts';

const asOf = '2026-11-23';
const policy = DEFAULT_POLICY;

function segmentOf(arrMinor: number, currency = 'USD') {
  return segmentAccount({
    account: makeAccount(),
    contracts: [makeContract({ arrMinor, currency })],
    policy,
    asOf,
  });
}

describe('segmentAccount', () => {
  it.each([
    [0, 'smb'],
    [999_999, 'smb'],
    [1_000_000, 'mid_market'],
    [9_999_999, 'mid_market'],
    [10_000_000, 'enterprise'],
    [50_000_000, 'enterprise'],
  ])('USD %i minor → %s', (arr, segment) => {
    expect(segmentOf(arr).segment).toBe(segment);
  });

  it('converts through the policy FX rate: ¥9,000,000 at 0.0067 is mid-market ($60,300)', () => {
    const result = segmentOf(9_000_000, 'JPY');
    expect(result).toMatchObject({ segment: 'mid_market', source: 'arr', arrReportingMinor: 6_030_000 });
    expect(result.rule).toBe('ARR 60300.00 USD → mid_market');
  });

  it('converts EUR: €92,600 × 1.08 = $100,008 is enterprise; €92,500 is not', () => {
    expect(segmentOf(9_260_000, 'EUR').segment).toBe('enterprise');
    expect(segmentOf(9_250_000, 'EUR').segment).toBe('mid_market');
  });

  it('lets the override win and reports it', () => {
    const result = segmentAccount({
      account: makeAccount({ segmentOverride: 'enterprise' }),
      contracts: [makeContract({ arrMinor: 9_500_000 })],
      policy,
      asOf,
    });
    expect(result).toMatchObject({ segment: 'enterprise', source: 'override', arrSegment: 'mid_market' });
    expect(result.rule).toContain('override');
  });

  it('sums the active contracts and ignores ended, churned and renewed ones', () => {
    const contracts = [
      makeContract({ contractId: 'C-1', arrMinor: 6_000_000 }),
      makeContract({ contractId: 'C-2', arrMinor: 5_000_000, currency: 'EUR' }),
      makeContract({ contractId: 'C-3', arrMinor: 9_000_000, status: 'churned' }),
      makeContract({ contractId: 'C-4', arrMinor: 9_000_000, status: 'renewed' }),
      makeContract({ contractId: 'C-5', arrMinor: 9_000_000, endDate: '2026-10-23' }), // 31 days ago
    ];
    expect(activeArrInReportingCurrency({ contracts, policy, asOf })).toBe(6_000_000 + 5_400_000);
  });

  it('keeps a contract within the grace period after its end date', () => {
    const contracts = [makeContract({ arrMinor: 2_000_000, endDate: '2026-10-24' })]; // 30 days ago
    expect(activeArrInReportingCurrency({ contracts, policy, asOf })).toBe(2_000_000);
  });

  it('is smb with no active contract', () => {
    expect(segmentAccount({ account: makeAccount(), contracts: [], policy, asOf })).toMatchObject({
      segment: 'smb',
      arrReportingMinor: 0,
    });
  });

  it('throws a coded error when a currency has no FX rate', () => {
    expect(() => segmentOf(100, 'BRL')).toThrow(DomainError);
    try {
      segmentOf(100, 'BRL');
    } catch (error) {
      expect((error as DomainError).code).toBe('missing_fx_rate');
    }
  });

  it('reads thresholds from the policy', () => {
    const custom = PolicySchema.parse({
      segments: { enterpriseMinArrMinor: 20_000_000, midMarketMinArrMinor: 500_000 },
    });
    expect(segmentForArr(10_000_000, custom)).toBe('mid_market');
    expect(segmentForArr(500_000, custom)).toBe('mid_market');
    expect(segmentForArr(499_999, custom)).toBe('smb');
  });

  it('is monotonic in ARR (property)', () => {
    const rank = { smb: 0, mid_market: 1, enterprise: 2 } as const;
    fc.assert(
      fc.property(fc.nat({ max: 1e10 }), fc.nat({ max: 1e10 }), (a, b) => {
        const [low, high] = a <= b ? [a, b] : [b, a];
        return rank[segmentForArr(low, policy)] <= rank[segmentForArr(high, policy)];
      }),
    );
  });
});
