import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ForecastError } from './forecast-error.ts';
import {
  assignFolds,
  crossValidate,
  fitModel,
  inferFeatureSpec,
  type ModelRow,
  mulberry32,
  predict,
} from './logistic-model.ts';

/** Synthetic renewals: health and a plan drive the outcome; noise columns do not. */
function synthesize(n: number, seed: number, extraNumeric = 0): ModelRow[] {
  const random = mulberry32(seed);
  return Array.from({ length: n }, (_, i) => {
    const health = Math.round(random() * 100);
    const plan = ['starter', 'growth', 'enterprise'][Math.floor(random() * 3)] as string;
    const features: Record<string, number | string | boolean | null> = {
      health,
      plan,
      tenure_months: random() < 0.1 ? null : String(Math.round(random() * 60)),
      auto_renew: random() < 0.5,
      account_name: `Account ${i}`,
    };
    for (let j = 0; j < extraNumeric; j++) features[`x${j}`] = random() < 0.05 ? null : random() * 10;
    const logit = (health - 50) / 15 + (plan === 'enterprise' ? 1 : plan === 'starter' ? -1 : 0);
    const p = 1 / (1 + Math.exp(-logit));
    return {
      features,
      label: random() < p ? 1 : 0,
      prior: Math.min(0.95, Math.max(0.3, 0.3 + 0.0065 * health)),
    };
  });
}

describe('inferFeatureSpec', () => {
  it('decides numeric vs categorical from the values', () => {
    const rows = [
      { features: { arr: '120000.50', plan: 'gold', paid: true, region: 'EU', note: '', mixed: '3' } },
      { features: { arr: 95000, plan: 'silver', paid: false, region: 'EU', note: null, mixed: 'n/a' } },
      { features: { arr: ' 1e3 ', plan: null, paid: true, region: 'EU', mixed: '4' } },
      { features: { arr: null, plan: 'gold', paid: true, region: 'EU', mixed: '3' } },
    ];
    const spec = inferFeatureSpec(rows);
    expect(spec.features).toEqual([
      { name: 'arr', kind: 'numeric', hasMissing: true },
      { name: 'mixed', kind: 'categorical', levels: ['3', '4', 'n/a'] },
      { name: 'paid', kind: 'numeric', hasMissing: false },
      { name: 'plan', kind: 'categorical', levels: ['gold', '(missing)', 'silver'] },
    ]);
    expect(spec.dropped).toEqual([
      { name: 'note', reason: 'empty' },
      { name: 'region', reason: 'constant' },
    ]);
  });
  it('keeps text with up to 12 levels and drops more', () => {
    const rows = (levels: number) =>
      Array.from({ length: 30 }, (_, i) => ({ features: { industry: `industry-${i % levels}` } }));
    expect(inferFeatureSpec(rows(12)).features[0]).toMatchObject({ kind: 'categorical' });
    expect(inferFeatureSpec(rows(13)).dropped).toEqual([{ name: 'industry', reason: 'too_many_levels' }]);
    expect(inferFeatureSpec(rows(5), { maxLevels: 4 }).dropped).toEqual([
      { name: 'industry', reason: 'too_many_levels' },
    ]);
  });
});

describe('fitModel and predict', () => {
  const rows = synthesize(800, 11);
  const model = fitModel({ rows });

  it('learns the direction of each effect', () => {
    const weight = (label: string) =>
      model.weights[model.columns.findIndex((c) => c.label === label)] as number;
    expect(model.converged).toBe(true);
    expect(weight('health')).toBeGreaterThan(0.5);
    expect(weight('plan=enterprise')).toBeGreaterThan(0);
    expect(weight('plan=starter')).toBeLessThan(0);
    expect(model.spec.dropped).toContainEqual({ name: 'account_name', reason: 'too_many_levels' });
  });
  it('explains a prediction: base log-odds plus per-feature contributions', () => {
    const prediction = predict(model, {
      features: { health: 95, plan: 'enterprise', tenure_months: '12', auto_renew: true },
    });
    const total = prediction.contributions.reduce((sum, c) => sum + c.contribution, prediction.baseLogit);
    expect(total).toBeCloseTo(prediction.logit, 10);
    expect(prediction.probability).toBeGreaterThan(0.9);
    expect(prediction.contributions[0]).toMatchObject({ feature: 'health', value: 95 });
    expect(prediction.contributions.map((c) => c.feature).sort()).toEqual([
      'auto_renew',
      'health',
      'plan',
      'tenure_months',
    ]);
    const weak = predict(model, { features: { health: 5, plan: 'starter' } });
    expect(weak.probability).toBeLessThan(0.1);
    expect(weak.contributions.find((c) => c.feature === 'tenure_months')?.value).toBeNull();
  });
  it('tolerates an unseen level and missing fields', () => {
    const prediction = predict(model, { features: { plan: 'platinum' } });
    expect(prediction.probability).toBeGreaterThan(0);
    expect(prediction.probability).toBeLessThan(1);
  });
  it('stays finite on perfectly separable data', () => {
    const separable: ModelRow[] = Array.from({ length: 40 }, (_, i) => ({
      features: { score: i },
      label: i >= 20 ? 1 : 0,
    }));
    const fitted = fitModel({ rows: separable, l2: 0.01 });
    expect(Number.isFinite(fitted.weights[0])).toBe(true);
    const high = predict(fitted, { features: { score: 1e9 } }).probability;
    expect(high).toBeLessThan(1);
    expect(high).toBeGreaterThan(0.99);
  });
  it('rejects bad labels, a negative l2 and no rows', () => {
    expect(() => fitModel({ rows: [{ features: {}, label: 2 as 1 }] })).toThrow(ForecastError);
    expect(() => fitModel({ rows, l2: -1 })).toThrow(ForecastError);
    expect(() => fitModel({ rows: [] })).toThrow(/no closed renewals/);
  });
  it('predicts strictly inside (0, 1) (property)', () => {
    const value = fc.oneof(
      fc.double({ min: -1e12, max: 1e12, noNaN: true }),
      fc.constantFrom('a', 'b', 'c', '', null, '42', true, false),
    );
    fc.assert(
      fc.property(
        fc.array(
          fc.record({ f1: value, f2: value, f3: value, label: fc.constantFrom(0 as const, 1 as const) }),
          {
            minLength: 2,
            maxLength: 30,
          },
        ),
        fc.record({ f1: value, f2: value, f3: value }),
        fc.double({ min: 0, max: 10, noNaN: true }),
        (data, query, l2) => {
          const fitted = fitModel({ rows: data.map(({ label, ...features }) => ({ features, label })), l2 });
          const { probability, logit } = predict(fitted, { features: query });
          expect(probability).toBeGreaterThan(0);
          expect(probability).toBeLessThan(1);
          expect(Number.isFinite(logit)).toBe(true);
        },
      ),
      { numRuns: 60 },
    );
  });
});

describe('crossValidate', () => {
  const rows = synthesize(600, 5);

  it('reports out-of-fold scores beside the base-rate and prior baselines', () => {
    const cv = crossValidate({ rows, folds: 5, seed: 7 });
    expect(cv).toMatchObject({ n: 600, folds: 5, seed: 7, l2: 1 });
    expect(cv.auc).toBeGreaterThan(0.8);
    expect(cv.brier).toBeLessThan(cv.baseline.baseRate.brier as number);
    expect(cv.logLoss).toBeLessThan(cv.baseline.baseRate.logLoss as number);
    expect(cv.baseline.prior?.n).toBe(600);
    expect(cv.calibration).toHaveLength(10);
    expect(cv.calibration.reduce((sum, bin) => sum + bin.count, 0)).toBe(600);
    expect(cv.topFactors[0]?.feature).toBe('health');
    expect(cv.topFactors.length).toBeLessThanOrEqual(10);
    expect(JSON.stringify(cv)).not.toContain('NaN');
  });
  it('leaves out the prior baseline when no row carries one', () => {
    const cv = crossValidate({ rows: rows.map(({ prior: _prior, ...row }) => row), seed: 1 });
    expect(cv.baseline.prior).toBeUndefined();
  });
  it('is deterministic for a seed and depends on it', () => {
    const a = crossValidate({ rows, seed: 123 });
    const b = crossValidate({ rows, seed: 123 });
    expect(b).toEqual(a);
    const c = crossValidate({ rows, seed: 124 });
    expect(c.brier).not.toBe(a.brier);
  });
  it('scores a perfectly separable set at AUC 1', () => {
    // Lost renewals at health 0–24, renewed ones at 60–84: every fold's model ranks them apart.
    const separable: ModelRow[] = Array.from({ length: 50 }, (_, i) => ({
      features: { health: i < 25 ? i : 35 + i, plan: i % 3 === 0 ? 'x' : 'y' },
      label: i < 25 ? 0 : 1,
    }));
    for (const seed of [1, 2, 3]) expect(crossValidate({ rows: separable, seed }).auc).toBe(1);
  });
  it('stratifies folds: sizes and renewals per fold differ by at most one', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom(0, 1), { minLength: 10, maxLength: 200 }),
        fc.integer({ min: 2, max: 10 }),
        fc.nat(),
        (labels, folds, seed) => {
          const assignment = assignFolds(labels, folds, seed);
          const sizes = new Array<number>(folds).fill(0);
          const positives = new Array<number>(folds).fill(0);
          assignment.forEach((fold, i) => {
            sizes[fold] = (sizes[fold] as number) + 1;
            positives[fold] = (positives[fold] as number) + (labels[i] as number);
          });
          expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
          expect(Math.max(...positives) - Math.min(...positives)).toBeLessThanOrEqual(1);
          expect(assignFolds(labels, folds, seed)).toEqual(assignment);
        },
      ),
    );
  });
  it('gives the same result for the same seed on any data (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1_000_000 }), fc.nat(), (dataSeed, seed) => {
        const data = synthesize(60, dataSeed);
        const renewed = data.filter((row) => row.label === 1).length;
        fc.pre(renewed >= 2 && data.length - renewed >= 2);
        expect(crossValidate({ rows: data, seed, folds: 3 })).toEqual(
          crossValidate({ rows: data, seed, folds: 3 }),
        );
      }),
      { numRuns: 15 },
    );
  });
  it('says when history is too thin', () => {
    const thin = synthesize(3, 1);
    const error = (() => {
      try {
        crossValidate({ rows: thin });
      } catch (caught) {
        return caught;
      }
    })();
    expect(error).toBeInstanceOf(ForecastError);
    expect((error as ForecastError).code).toBe('insufficient_history');
    const oneClass = synthesize(50, 1).map((row) => ({ ...row, label: 1 as const }));
    expect(() => crossValidate({ rows: oneClass })).toThrow(/2 not renewed/);
    expect(() => crossValidate({ rows, folds: 1 })).toThrow(ForecastError);
  });
  it('cross-validates 10,000 renewals × 30 features in seconds', () => {
    const big = synthesize(10_000, 99, 26);
    const started = performance.now();
    const cv = crossValidate({ rows: big, seed: 1 });
    const elapsed = performance.now() - started;
    expect(cv.n).toBe(10_000);
    expect(cv.model.spec.features.length).toBe(30);
    // About a second on a laptop; the bound only catches an accidental blow-up.
    expect(elapsed).toBeLessThan(15_000);
  });
});
