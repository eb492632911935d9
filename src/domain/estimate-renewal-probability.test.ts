import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type EstimateRenewalProbabilityOptions,
  estimateRenewalProbability,
  normalizeStage,
} from './estimate-renewal-probability.ts';
import { DEFAULT_POLICY } from './policy/policy-schema.ts';
import { RISK_FLAGS } from './vocabulary.ts';

const policy = DEFAULT_POLICY;

function estimate(overrides: Partial<EstimateRenewalProbabilityOptions> = {}) {
  return estimateRenewalProbability({
    healthScore: 80,
    riskFlags: [],
    segment: 'mid_market',
    autoRenew: false,
    paymentOnFile: false,
    policy,
    ...overrides,
  });
}

describe('estimateRenewalProbability', () => {
  it('maps health linearly from 0.30 to 0.95', () => {
    expect(estimate({ healthScore: 0 }).probability).toBe(0.3);
    expect(estimate({ healthScore: 100 }).probability).toBe(0.95);
    expect(estimate({ healthScore: 80 })).toEqual({
      probability: 0.82,
      factors: [{ factor: 'health', effect: 0.82, detail: 'health 80 → base rate 0.82' }],
    });
  });

  it('multiplies by each risk flag and lists the effect', () => {
    const result = estimate({ riskFlags: ['competitor_evaluation', 'champion_left'] });
    expect(result.probability).toBe(0.56); // 0.82 × 0.8 × 0.85 = 0.5576
    expect(result.factors.map((f) => f.factor)).toEqual(['health', 'competitor_evaluation', 'champion_left']);
    expect(result.factors[1]?.effect).toBe(-0.164);
  });

  it('adds stage, segment and auto-renew adjustments', () => {
    const result = estimate({
      stage: 'Contract Sent',
      segment: 'enterprise',
      autoRenew: true,
      paymentOnFile: true,
    });
    expect(result.probability).toBe(0.99); // 0.82 + 0.12 + 0.02 + 0.05 = 1.01, capped
    expect(result.factors.map((f) => f.factor)).toEqual(['health', 'stage', 'segment', 'auto_renew']);
    expect(estimate({ autoRenew: true, paymentOnFile: false }).probability).toBe(0.82);
    expect(estimate({ stage: 'unheard of' }).probability).toBe(0.82);
  });

  it('takes a recorded outcome as final', () => {
    expect(estimate({ outcome: 'won', healthScore: 0 }).probability).toBe(1);
    expect(estimate({ outcome: 'lost', healthScore: 100 }).probability).toBe(0);
    expect(estimate({ outcome: 'pending' }).probability).toBe(0.82);
  });

  it('normalizes stage names', () => {
    expect(normalizeStage(' Verbal-Commit ')).toBe('verbal_commit');
    expect(normalizeStage('contract sent')).toBe('contract_sent');
  });

  it('stays in [0.01, 0.99] and never rises with more flags (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 100 }),
        fc.subarray([...RISK_FLAGS]),
        fc.constantFrom(...RISK_FLAGS),
        (healthScore, flags, extra) => {
          const base = estimate({ healthScore, riskFlags: flags }).probability;
          const more = estimate({
            healthScore,
            riskFlags: [...flags.filter((f) => f !== extra), extra],
          }).probability;
          return base >= 0.01 && base <= 0.99 && more <= base + 0.01;
        },
      ),
    );
  });

  it('never falls as health rises (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 99 }), (score) => {
        return (
          estimate({ healthScore: score + 1 }).probability >= estimate({ healthScore: score }).probability
        );
      }),
    );
  });
});
