import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { HEALTH_BANDS } from '../vocabulary.ts';
import {
  categorizeForecast,
  DEFAULT_FORECAST_CATEGORY_POLICY,
  FORECAST_CATEGORIES,
  ForecastCategoryPolicySchema,
} from './categorize-forecast.ts';

const model = (
  probability: number,
  healthBand: 'green' | 'yellow' | 'red' = 'green',
  stage: string | null = null,
) => categorizeForecast({ probability, healthBand, stage }).modelCategory;

describe('categorizeForecast: the model call', () => {
  it('uses the default thresholds at their exact boundaries', () => {
    expect(model(1)).toBe('commit');
    expect(model(0.9)).toBe('commit');
    expect(model(0.8999)).toBe('probable');
    expect(model(0.7)).toBe('probable');
    expect(model(0.6999)).toBe('upside');
    expect(model(0.4)).toBe('upside');
    expect(model(0.3999)).toBe('at_risk');
    expect(model(0)).toBe('at_risk');
  });
  it('commits a late-stage renewal that is not red, whatever its probability', () => {
    expect(
      categorizeForecast({ probability: 0.2, healthBand: 'yellow', stage: 'Verbal Commit' }),
    ).toMatchObject({
      modelCategory: 'commit',
      modelRule: 'late_stage',
    });
    expect(model(0.5, 'green', 'contract-sent')).toBe('commit');
    expect(model(0.5, 'green', 'contracting')).toBe('commit');
    expect(model(0.5, 'green', 'negotiation')).toBe('upside');
  });
  it('puts a red renewal at risk unless the customer has said yes', () => {
    expect(categorizeForecast({ probability: 0.95, healthBand: 'red', stage: null })).toMatchObject({
      modelCategory: 'at_risk',
      modelRule: 'red_band',
    });
    expect(model(0.95, 'red', 'negotiation')).toBe('at_risk');
    // A red verbal commit is judged on probability and never commits.
    expect(model(0.95, 'red', 'verbal_commit')).toBe('probable');
    expect(model(0.5, 'red', 'verbal_commit')).toBe('upside');
    expect(model(0.1, 'red', 'verbal_commit')).toBe('at_risk');
  });
  it('takes thresholds and stages from the policy', () => {
    const policy = ForecastCategoryPolicySchema.parse({
      commit: 0.95,
      probable: 0.8,
      upside: 0.5,
      lateStages: ['signed'],
    });
    expect(
      categorizeForecast({ probability: 0.92, healthBand: 'green', stage: null, policy }).modelCategory,
    ).toBe('probable');
    expect(
      categorizeForecast({ probability: 0.45, healthBand: 'green', stage: null, policy }).modelCategory,
    ).toBe('at_risk');
    expect(
      categorizeForecast({ probability: 0.1, healthBand: 'green', stage: 'Signed', policy }).modelCategory,
    ).toBe('commit');
    expect(
      categorizeForecast({ probability: 0.1, healthBand: 'green', stage: 'verbal_commit', policy })
        .modelCategory,
    ).toBe('at_risk');
  });
  it('rejects thresholds out of order', () => {
    expect(ForecastCategoryPolicySchema.safeParse({ commit: 0.6, probable: 0.7 }).success).toBe(false);
    expect(ForecastCategoryPolicySchema.safeParse({ upside: 1.2 }).success).toBe(false);
    expect(DEFAULT_FORECAST_CATEGORY_POLICY).toMatchObject({ commit: 0.9, probable: 0.7, upside: 0.4 });
  });
});

describe('categorizeForecast: the CSM call beside the model', () => {
  it('uses the model call when the CSM has none', () => {
    expect(categorizeForecast({ probability: 0.5, healthBand: 'green', stage: null })).toEqual({
      modelCategory: 'upside',
      modelRule: 'probability',
      csmCategory: null,
      category: 'upside',
      disagreement: false,
      csmShift: 0,
    });
  });
  it('records an override and the disagreement, with its direction', () => {
    expect(
      categorizeForecast({ probability: 0.95, healthBand: 'red', stage: null, csmCategory: 'commit' }),
    ).toEqual({
      modelCategory: 'at_risk',
      modelRule: 'red_band',
      csmCategory: 'commit',
      category: 'commit',
      disagreement: true,
      csmShift: 3,
    });
    expect(
      categorizeForecast({ probability: 0.75, healthBand: 'green', stage: null, csmCategory: 'upside' }),
    ).toMatchObject({ category: 'upside', disagreement: true, csmShift: -1 });
    expect(
      categorizeForecast({ probability: 0.75, healthBand: 'green', stage: null, csmCategory: 'probable' }),
    ).toMatchObject({ category: 'probable', disagreement: false, csmShift: 0 });
  });
  it('never ranks a renewal lower for a higher probability (property)', () => {
    const rank = (category: string): number => ['at_risk', 'upside', 'probable', 'commit'].indexOf(category);
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.constantFrom(...HEALTH_BANDS),
        fc.constantFrom(null, 'proposal', 'negotiation', 'verbal_commit', 'contract_sent', 'stalled'),
        (a, b, healthBand, stage) => {
          const [low, high] = a <= b ? [a, b] : [b, a];
          const lowCall = categorizeForecast({ probability: low, healthBand, stage });
          const highCall = categorizeForecast({ probability: high, healthBand, stage });
          expect(FORECAST_CATEGORIES).toContain(highCall.category);
          expect(rank(highCall.modelCategory)).toBeGreaterThanOrEqual(rank(lowCall.modelCategory));
          if (healthBand === 'red') expect(highCall.modelCategory).not.toBe('commit');
        },
      ),
    );
  });
});
