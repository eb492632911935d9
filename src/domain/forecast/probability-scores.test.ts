import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ForecastError } from './forecast-error.ts';
import { auc, brierScore, expectedCalibrationError, logLoss, reliabilityBins } from './probability-scores.ts';

describe('brierScore and logLoss', () => {
  it('match hand-computed values', () => {
    expect(brierScore([0.8, 0.3], [1, 0])).toBeCloseTo((0.04 + 0.09) / 2, 15);
    expect(logLoss([0.8, 0.3], [1, 0])).toBeCloseTo(-(Math.log(0.8) + Math.log(0.7)) / 2, 15);
    expect(brierScore([0.5, 0.5], [1, 0])).toBe(0.25);
  });
  it('clips log loss so a confident miss is large but finite', () => {
    const loss = logLoss([0, 1], [1, 0]) as number;
    expect(Number.isFinite(loss)).toBe(true);
    // Both cases are clipped at ε = 1e-15 (1 − ε is not exact in binary, hence the second term).
    expect(loss).toBeCloseTo(-(Math.log(1e-15) + Math.log(1 - (1 - 1e-15))) / 2, 10);
    expect(loss).toBeGreaterThan(34);
    expect(logLoss([1, 0], [1, 0])).toBeLessThan(1e-14);
  });
  it('returns null for no cases and rejects unpaired arrays', () => {
    expect(brierScore([], [])).toBeNull();
    expect(logLoss([], [])).toBeNull();
    expect(() => brierScore([0.5], [])).toThrow(ForecastError);
  });
});

describe('auc', () => {
  it('is the rank statistic with ties counted half', () => {
    expect(auc([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1])).toBe(0.75);
    expect(auc([0.2, 0.5, 0.5, 0.9], [0, 1, 0, 1])).toBe(0.875);
    expect(auc([0.5, 0.5, 0.5], [1, 0, 1])).toBe(0.5);
  });
  it('is 1 for a perfectly separated set and 0 when reversed', () => {
    expect(auc([0.1, 0.2, 0.8, 0.9], [0, 0, 1, 1])).toBe(1);
    expect(auc([0.1, 0.2, 0.8, 0.9], [1, 1, 0, 0])).toBe(0);
  });
  it('is null without both classes', () => {
    expect(auc([0.3, 0.6], [1, 1])).toBeNull();
    expect(auc([], [])).toBeNull();
  });
  it('equals the pairwise definition (property)', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(
            fc.integer({ min: 0, max: 10 }).map((v) => v / 10),
            fc.constantFrom(0, 1),
          ),
          { maxLength: 40 },
        ),
        (cases) => {
          const p = cases.map(([score]) => score);
          const y = cases.map(([, label]) => label);
          let wins = 0;
          let pairs = 0;
          for (const [sp, lp] of cases) {
            if (lp !== 1) continue;
            for (const [sn, ln] of cases) {
              if (ln !== 0) continue;
              pairs++;
              wins += sp > sn ? 1 : sp === sn ? 0.5 : 0;
            }
          }
          const value = auc(p, y);
          if (pairs === 0) expect(value).toBeNull();
          else expect(value).toBeCloseTo(wins / pairs, 12);
        },
      ),
    );
  });
});

describe('reliabilityBins', () => {
  it('bins forecasts on equal widths, 1.0 in the last bin, empty bins kept with nulls', () => {
    const bins = reliabilityBins([0.05, 0.15, 0.19, 1, 0.95], [0, 1, 0, 1, 1], 10);
    expect(bins).toHaveLength(10);
    expect(bins[0]).toEqual({ bin: 0, lower: 0, upper: 0.1, count: 1, predicted: 0.05, observed: 0 });
    expect(bins[1]).toMatchObject({ count: 2, observed: 0.5 });
    expect(bins[1]?.predicted).toBeCloseTo(0.17, 12);
    expect(bins[5]).toMatchObject({ count: 0, predicted: null, observed: null });
    expect(bins[9]).toMatchObject({ count: 2, predicted: 0.975, observed: 1 });
  });
  it('gives the expected calibration error', () => {
    const bins = reliabilityBins([0.1, 0.1, 0.9, 0.9], [0, 0, 1, 1], 10);
    expect(expectedCalibrationError(bins)).toBeCloseTo(0.1, 12);
    expect(expectedCalibrationError(reliabilityBins([], [], 10))).toBeNull();
  });
  it('rejects a bin count that is not a positive integer', () => {
    expect(() => reliabilityBins([0.5], [1], 0)).toThrow(ForecastError);
  });
});
