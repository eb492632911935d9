import { describe, expect, it } from 'vitest';
import { checkPolicy } from './check-policy.ts';
import { DEFAULT_POLICY } from './policy-schema.ts';

describe('checkPolicy', () => {
  it('accepts the empty document with no warnings', () => {
    const check = checkPolicy({});
    expect(check).toMatchObject({ ok: true, errors: [], warnings: [] });
    expect(check.policy).toEqual(DEFAULT_POLICY);
  });

  it('accepts its own output (the defaults round-trip without warnings)', () => {
    const check = checkPolicy(JSON.parse(JSON.stringify(DEFAULT_POLICY)));
    expect(check.ok).toBe(true);
    expect(check.warnings).toEqual([]);
  });

  it('reports zod errors with dotted paths and short messages', () => {
    const check = checkPolicy({ health: { weights: { usage_trend: 'high' } }, fxRates: { eur: '1.1' } });
    expect(check.ok).toBe(false);
    expect(check.policy).toBeUndefined();
    expect(check.errors).toContainEqual({
      path: 'health.weights.usage_trend',
      message: 'expected number, received string',
    });
    expect(check.errors).toContainEqual({
      path: 'fxRates.eur',
      message: 'expected an ISO 4217 code such as USD',
    });
  });

  it('treats weights that do not sum to 100 as an error', () => {
    const check = checkPolicy({ health: { weights: { usage_trend: 10 } } });
    expect(check.ok).toBe(false);
    expect(check.errors).toEqual([
      { path: 'health.weights', message: 'weights must sum to 100 (they sum to 90)' },
    ]);
  });

  it('warns about unknown keys instead of dropping them silently', () => {
    const check = checkPolicy({ helth: {}, health: { bandz: 1 } });
    expect(check.ok).toBe(true);
    expect(check.warnings).toEqual([
      { path: 'helth', message: 'unknown key, ignored' },
      { path: 'health.bandz', message: 'unknown key, ignored' },
    ]);
  });

  it('warns about an early discount that anchors the price', () => {
    const check = checkPolicy({
      pricing: { earlyRenewal: { rungs: [{ fromMonths: 3, defaultBps: 500, minBps: 500, maxBps: 2500 }] } },
    });
    expect(check.ok).toBe(true);
    expect(check.warnings.map((w) => w.path)).toContain('pricing.earlyRenewal.rungs.0.maxBps');
  });

  it('does not warn about an early discount just under 25%', () => {
    const check = checkPolicy({
      pricing: { earlyRenewal: { rungs: [{ fromMonths: 9, defaultBps: 1500, minBps: 1500, maxBps: 2000 }] } },
    });
    expect(check.warnings.map((w) => w.path)).not.toContain('pricing.earlyRenewal.rungs.0.maxBps');
  });

  it('passes the pricing warnings through (uplift outside 3–10%)', () => {
    const check = checkPolicy({ pricing: { uplift: { defaultBps: 1200, minBps: 300, maxBps: 1500 } } });
    expect(check.warnings.some((w) => w.path === 'pricing.uplift')).toBe(true);
  });

  it.each([
    ['enterprise', { minHours: 14, maxHours: 25 }, true],
    ['enterprise', { minHours: 15, maxHours: 25 }, false],
    ['enterprise', { minHours: 15, maxHours: 26 }, true],
    ['mid_market', { minHours: 5, maxHours: 10 }, false],
    ['mid_market', { minHours: 4.5, maxHours: 10 }, true],
    ['smb', { minHours: 1, maxHours: 3 }, false],
    ['smb', { minHours: 1, maxHours: 3.5 }, true],
  ])('effort budget %s %j warns: %s', (segment, budget, warns) => {
    const check = checkPolicy({ effortBudgets: { [segment]: budget } });
    expect(check.warnings.some((w) => w.path === `effortBudgets.${segment}`)).toBe(warns);
  });

  it('warns when a playbook costs more than its segment budget', () => {
    const check = checkPolicy({
      playbooks: {
        smb: {
          milestones: [
            { key: 'T-30', tasks: [{ key: 'call', title: 'Call', ownerRole: 'csm', estimateHours: 4 }] },
          ],
        },
      },
    });
    expect(check.warnings).toContainEqual({
      path: 'playbooks.smb',
      message: 'tasks total 4 h, outside the smb effort budget of 1–3 h',
    });
  });

  it('warns when a playbook starts outside the guide window', () => {
    const check = checkPolicy({ playbooks: { enterprise: { milestones: [{ key: 'T-90' }] } } });
    expect(
      check.warnings.some((w) => w.path === 'playbooks.enterprise' && w.message.startsWith('starts at T-90')),
    ).toBe(true);
  });

  it.each([
    [{ earlyRenewal: { minHealth: 74 } }, 'earlyRenewal.minHealth', true],
    [{ earlyRenewal: { minHealth: 75 } }, 'earlyRenewal.minHealth', false],
    [{ earlyRenewal: { minSeatAdoptionPct: 59 } }, 'earlyRenewal.minSeatAdoptionPct', true],
    [{ earlyRenewal: { minMonthsEarly: 2 } }, 'earlyRenewal.minMonthsEarly', true],
    [{ earlyRenewal: { maxMonthsEarly: 13 } }, 'earlyRenewal.maxMonthsEarly', true],
    [{ earlyRenewal: { requireMultiThreaded: false } }, 'earlyRenewal.requireMultiThreaded', true],
    [{ atRisk: { healthBelow: 71 } }, 'atRisk.healthBelow', true],
    [{ atRisk: { healthBelow: 70 } }, 'atRisk.healthBelow', false],
    [{ fxRates: { USD: '1.1' } }, 'fxRates.USD', true],
  ])('%j warns at %s: %s', (input, path, warns) => {
    const check = checkPolicy(input);
    expect(check.ok).toBe(true);
    expect(check.warnings.some((w) => w.path === path)).toBe(warns);
  });

  it('lists errors for a document that is not an object', () => {
    expect(checkPolicy('nope')).toMatchObject({ ok: false, errors: [{ path: '' }] });
  });
});
