/**
 * Forecast categories of an open renewal (commit / probable / upside / at_risk) from the model's
 * probability, the health band and the deal stage, with the CSM's own call recorded beside the
 * model's (DOMAIN.md section 9: "record both, surface disagreements").
 *
 * The model's call, in order:
 * 1. red band and not at a verbal-commit stage → at_risk;
 * 2. not red and (probability ≥ commit or a late stage) → commit;
 * 3. probability ≥ probable → probable; ≥ upside → upside; else at_risk.
 * A red renewal at a verbal-commit stage is therefore judged on its probability alone and never
 * commits: rule 2 requires not red, so its best call is probable.
 */
import { z } from 'zod';
import { normalizeStage } from '../estimate-renewal-probability.ts';
import type { HealthBand } from '../vocabulary.ts';

export const FORECAST_CATEGORIES = ['commit', 'probable', 'upside', 'at_risk'] as const;
export type ForecastCategory = (typeof FORECAST_CATEGORIES)[number];

const Probability = z.number().min(0).max(1);

/** Category thresholds as a policy section; stages compare case- and separator-insensitively. */
export const ForecastCategoryPolicySchema = z
  .object({
    commit: Probability.default(0.9),
    probable: Probability.default(0.7),
    upside: Probability.default(0.4),
    /** Stages that make a non-red renewal commit whatever its probability. */
    lateStages: z.array(z.string().min(1)).default(() => ['verbal_commit', 'contract_sent', 'contracting']),
    /** Stages at which a red renewal is not forced to at_risk (the customer has said yes). */
    verbalCommitStages: z
      .array(z.string().min(1))
      .default(() => ['verbal_commit', 'contract_sent', 'contracting']),
  })
  .refine((policy) => policy.commit >= policy.probable && policy.probable >= policy.upside, {
    message: 'thresholds must satisfy commit ≥ probable ≥ upside',
  });
export type ForecastCategoryPolicy = z.infer<typeof ForecastCategoryPolicySchema>;

export const DEFAULT_FORECAST_CATEGORY_POLICY: ForecastCategoryPolicy = ForecastCategoryPolicySchema.parse(
  {},
);

/** Which rule produced the model's category. */
export type CategoryRule = 'red_band' | 'late_stage' | 'probability';

export type ForecastCall = {
  modelCategory: ForecastCategory;
  modelRule: CategoryRule;
  /** The CSM's call, when recorded. */
  csmCategory: ForecastCategory | null;
  /** The effective category: the CSM's call when recorded, else the model's. */
  category: ForecastCategory;
  /** A CSM call was recorded and differs from the model's. */
  disagreement: boolean;
  /**
   * Steps from the model's call to the CSM's on commit > probable > upside > at_risk: positive when
   * the CSM is more optimistic, negative when less, 0 when they agree or no call was recorded.
   */
  csmShift: number;
};

export type CategorizeForecastOptions = {
  probability: number;
  healthBand: HealthBand;
  stage: string | null;
  csmCategory?: ForecastCategory | null;
  policy?: ForecastCategoryPolicy;
};

const RANK: Record<ForecastCategory, number> = { at_risk: 0, upside: 1, probable: 2, commit: 3 };

function modelCall(
  probability: number,
  healthBand: HealthBand,
  stage: string | null,
  policy: ForecastCategoryPolicy,
): { category: ForecastCategory; rule: CategoryRule } {
  const key = stage === null ? null : normalizeStage(stage);
  const inStages = (stages: readonly string[]): boolean =>
    key !== null && stages.some((candidate) => normalizeStage(candidate) === key);
  const red = healthBand === 'red';
  if (red && !inStages(policy.verbalCommitStages)) return { category: 'at_risk', rule: 'red_band' };
  if (!red && probability < policy.commit && inStages(policy.lateStages)) {
    return { category: 'commit', rule: 'late_stage' };
  }
  if (!red && probability >= policy.commit) return { category: 'commit', rule: 'probability' };
  if (probability >= policy.probable) return { category: 'probable', rule: 'probability' };
  if (probability >= policy.upside) return { category: 'upside', rule: 'probability' };
  return { category: 'at_risk', rule: 'probability' };
}

export function categorizeForecast({
  probability,
  healthBand,
  stage,
  csmCategory = null,
  policy = DEFAULT_FORECAST_CATEGORY_POLICY,
}: CategorizeForecastOptions): ForecastCall {
  const model = modelCall(probability, healthBand, stage, policy);
  const shift = csmCategory === null ? 0 : RANK[csmCategory] - RANK[model.category];
  return {
    modelCategory: model.category,
    modelRule: model.rule,
    csmCategory,
    category: csmCategory ?? model.category,
    disagreement: shift !== 0,
    csmShift: shift,
  };
}
