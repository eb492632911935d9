/**
 * A transparent renewal-probability prior (0..1): a base rate from the health score, multiplied by
 * one factor per raised risk flag, then adjusted for the renewal's stage, the segment and an
 * auto-renew clause with payment on file. Every step is listed with its effect, so the number can be
 * argued with. A recorded outcome (won/lost) is final.
 */
import type { Policy } from './policy/policy-schema.ts';
import type { RenewalOutcome, Segment } from './records.ts';
import type { RiskFlag } from './vocabulary.ts';

export type ProbabilityFactor = {
  factor: string;
  /** Change in probability this step made (the first step is the base rate itself). */
  effect: number;
  detail: string;
};

export type RenewalProbability = { probability: number; factors: ProbabilityFactor[] };

export type EstimateRenewalProbabilityOptions = {
  healthScore: number;
  riskFlags: readonly RiskFlag[];
  segment: Segment;
  autoRenew: boolean;
  paymentOnFile: boolean;
  /** The renewal's current stage and outcome from renewals.csv, when recorded. */
  stage?: string | null;
  outcome?: RenewalOutcome | null;
  policy: Pick<Policy, 'probability'>;
};

const MIN_PROBABILITY = 0.01;
const MAX_PROBABILITY = 0.99;

export function estimateRenewalProbability({
  healthScore,
  riskFlags,
  segment,
  autoRenew,
  paymentOnFile,
  stage = null,
  outcome = null,
  policy,
}: EstimateRenewalProbabilityOptions): RenewalProbability {
  if (outcome === 'won' || outcome === 'lost') {
    const probability = outcome === 'won' ? 1 : 0;
    return {
      probability,
      factors: [{ factor: 'outcome', effect: probability, detail: `renewal ${outcome}` }],
    };
  }
  const settings = policy.probability;
  const factors: ProbabilityFactor[] = [];
  let p = settings.healthFloor + ((settings.healthCeiling - settings.healthFloor) * healthScore) / 100;
  factors.push({
    factor: 'health',
    effect: round3(p),
    detail: `health ${healthScore} → base rate ${round3(p)}`,
  });

  for (const flag of riskFlags) {
    const multiplier = settings.flagMultipliers[flag];
    if (multiplier === undefined || multiplier === 1) continue;
    const next = p * multiplier;
    factors.push({ factor: flag, effect: round3(next - p), detail: `${flag} × ${multiplier}` });
    p = next;
  }

  if (stage !== null) {
    const key = normalizeStage(stage);
    const adjustment = settings.stageAdjustments[key];
    if (adjustment !== undefined && adjustment !== 0) {
      factors.push({ factor: 'stage', effect: adjustment, detail: `stage ${stage} ${signed(adjustment)}` });
      p += adjustment;
    }
  }

  const segmentAdjustment = settings.segmentAdjustments[segment];
  if (segmentAdjustment !== 0) {
    factors.push({
      factor: 'segment',
      effect: segmentAdjustment,
      detail: `${segment} ${signed(segmentAdjustment)}`,
    });
    p += segmentAdjustment;
  }

  if (autoRenew && paymentOnFile && settings.autoRenewBonus !== 0) {
    factors.push({
      factor: 'auto_renew',
      effect: settings.autoRenewBonus,
      detail: `auto-renew clause with payment on file ${signed(settings.autoRenewBonus)}`,
    });
    p += settings.autoRenewBonus;
  }

  const probability = Math.round(Math.min(MAX_PROBABILITY, Math.max(MIN_PROBABILITY, p)) * 100) / 100;
  return { probability, factors };
}

/** `Contract Sent` / `contract-sent` / `contract_sent` are the same stage. */
export function normalizeStage(stage: string): string {
  return stage
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, '_');
}

function signed(value: number): string {
  return `${value > 0 ? '+' : ''}${value}`;
}

function round3(value: number): number {
  return Math.round(value * 1000) / 1000 + 0;
}
