import { describe, expect, it } from 'vitest';
import { HEALTH_FACTORS, MILESTONE_KEYS } from '../vocabulary.ts';
import { DEFAULT_POLICY, PolicySchema } from './policy-schema.ts';

describe('PolicySchema defaults', () => {
  it('parses {} into the full default policy', () => {
    const policy = PolicySchema.parse({});
    expect(policy).toEqual(DEFAULT_POLICY);
    expect(policy.reportingCurrency).toBe('USD');
    expect(policy.fxRates).toMatchObject({ EUR: '1.08', GBP: '1.27', JPY: '0.0067' });
  });

  it('carries the guide numbers', () => {
    const p = DEFAULT_POLICY;
    expect(p.segments).toEqual({ enterpriseMinArrMinor: 10_000_000, midMarketMinArrMinor: 1_000_000 });
    expect(p.health.bands).toEqual({ greenMin: 70, redBelow: 40 });
    expect(HEALTH_FACTORS.reduce((sum, factor) => sum + p.health.weights[factor], 0)).toBe(100);
    expect(p.earlyRenewal).toMatchObject({
      minHealth: 75,
      minSeatAdoptionPct: 60,
      minMonthsEarly: 3,
      maxMonthsEarly: 12,
      sweetSpot: { fromMonths: 3, toMonths: 6 },
    });
    expect(p.pricing.earlyRenewal.rungs.map((rung) => [rung.fromMonths, rung.minBps, rung.maxBps])).toEqual([
      [3, 500, 1000],
      [6, 1000, 1500],
      [9, 1500, 2000],
    ]);
    expect(p.effortBudgets).toEqual({
      enterprise: { minHours: 15, maxHours: 25 },
      mid_market: { minHours: 5, maxHours: 10 },
      smb: { minHours: 1, maxHours: 3 },
    });
    expect(p.ownership).toMatchObject({
      model: 'hybrid',
      salesMinArrMinor: 5_000_000,
      specialistsBelowArrMinor: 1_000_000,
    });
    expect(p.seasonalBlackouts.map((blackout) => [blackout.key, blackout.months])).toEqual([
      ['retail', [11]],
      ['tax', [3]],
      ['education', [8]],
    ]);
  });

  it('starts each default playbook where the guide does, with only contract milestone keys', () => {
    const first = (key: keyof typeof DEFAULT_POLICY.playbooks) =>
      DEFAULT_POLICY.playbooks[key].milestones[0]?.key;
    expect(first('enterprise')).toBe('T-150');
    expect(first('mid_market')).toBe('T-90');
    expect(first('smb')).toBe('T-60');
    expect(first('at_risk')).toBe('T-180');
    for (const playbook of Object.values(DEFAULT_POLICY.playbooks)) {
      for (const milestone of playbook.milestones) expect(MILESTONE_KEYS).toContain(milestone.key);
    }
  });

  it('keeps default playbooks within their effort budgets', () => {
    const effort = (key: keyof typeof DEFAULT_POLICY.playbooks) =>
      DEFAULT_POLICY.playbooks[key].milestones
        .flatMap((m) => m.tasks)
        .reduce((sum, t) => sum + t.estimateHours, 0);
    expect(effort('enterprise')).toBe(23);
    expect(effort('mid_market')).toBe(7.5);
    expect(effort('smb')).toBe(1.5);
    expect(effort('smb_automated')).toBe(0);
  });

  it('hands out fresh defaults: mutating one parse does not change the next', () => {
    const first = PolicySchema.parse({});
    first.playbooks.smb.milestones[0]?.tasks.push({
      key: 'x',
      title: 'x',
      ownerRole: 'csm',
      estimateHours: 1,
    });
    first.fxRates.EUR = '9';
    const second = PolicySchema.parse({});
    expect(second.playbooks.smb.milestones[0]?.tasks).toHaveLength(1);
    expect(second.fxRates.EUR).toBe('1.08');
  });

  it('overrides a single leaf and keeps the other defaults', () => {
    const policy = PolicySchema.parse({ health: { bands: { greenMin: 75 } } });
    expect(policy.health.bands).toEqual({ greenMin: 75, redBelow: 40 });
    expect(policy.health.weights.usage_trend).toBe(20);
  });

  it('sorts a playbook earliest milestone first', () => {
    const policy = PolicySchema.parse({
      playbooks: { smb: { milestones: [{ key: 'T-7' }, { key: 'T-60' }, { key: 'T-30' }] } },
    });
    expect(policy.playbooks.smb.milestones.map((m) => m.key)).toEqual(['T-60', 'T-30', 'T-7']);
  });

  it.each([
    [{ health: { weights: { usage_trend: 21 } } }, 'health.weights'],
    [{ health: { bands: { greenMin: 30, redBelow: 40 } } }, 'health.bands'],
    [{ segments: { midMarketMinArrMinor: 20_000_000 } }, 'segments'],
    [{ playbooks: { smb: { milestones: [{ key: 'T-5' }] } } }, 'playbooks.smb.milestones.0.key'],
    [
      { playbooks: { smb: { milestones: [{ key: 'T-7' }, { key: 'T-7' }] } } },
      'playbooks.smb.milestones.1.key',
    ],
    [{ earlyRenewal: { minMonthsEarly: 13 } }, 'earlyRenewal'],
    [{ fxRates: { EUR: 1.08 } }, 'fxRates.EUR'],
    [{ reportingCurrency: 'usd' }, 'reportingCurrency'],
  ])('rejects %j at %s', (input, path) => {
    const result = PolicySchema.safeParse(input);
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((issue) => issue.path.join('.'))).toContain(path);
  });
});
