/**
 * `perennial model evaluate`: cross-validates the renewal model on the closed renewals of a CSV set
 * (features at T-90, outcomes from renewals.csv) and reports its scores beside two baselines — the
 * base rate and the uncalibrated prior — so a CS leader can see how far to trust it.
 */
import type { Policy } from '../../domain/policy/policy-schema.ts';
import { loadCsvHistory } from './load-csv-history.ts';
import { buildTrainingCases, evaluateRenewalModel } from './renewal-model.ts';

export type ModelEvaluation = {
  n: number;
  renewed: number;
  folds: number;
  seed: number;
  auc: number | null;
  logLoss: number | null;
  brier: number | null;
  calibration: {
    bin: number;
    lower: number;
    upper: number;
    count: number;
    predicted: number | null;
    observed: number | null;
  }[];
  baseline: {
    baseRate: { n: number; auc: number | null; logLoss: number | null; brier: number | null };
    prior?: { n: number; auc: number | null; logLoss: number | null; brier: number | null };
  };
  beatsBaselines: boolean;
  topFactors: { feature: string; weight: number }[];
  features: { used: string[]; dropped: { name: string; reason: string }[] };
  featureLeadDays: number;
  timings: { loadMs: number; featuresMs: number; crossValidationMs: number };
  warnings: string[];
};

export async function evaluateModelOnCsv({
  inputDir,
  policy,
  folds,
  seed,
  now = () => performance.now(),
}: {
  inputDir: string;
  policy: Policy;
  folds: number;
  seed: number;
  now?: () => number;
}): Promise<ModelEvaluation> {
  const started = now();
  const history = await loadCsvHistory({ inputDir });
  const loaded = now();
  const cases = buildTrainingCases({ history, policy });
  const featured = now();
  const result = evaluateRenewalModel({ cases, policy, folds, seed });
  const done = now();
  const model = result.brier ?? Number.POSITIVE_INFINITY;
  const beatsBaselines =
    model < (result.baseline.baseRate.brier ?? Number.POSITIVE_INFINITY) &&
    model < (result.baseline.prior?.brier ?? Number.POSITIVE_INFINITY);
  return {
    n: result.n,
    renewed: result.renewed,
    folds: result.folds,
    seed: result.seed,
    auc: result.auc,
    logLoss: result.logLoss,
    brier: result.brier,
    calibration: result.calibration,
    baseline: result.baseline,
    beatsBaselines,
    topFactors: result.topFactors,
    features: {
      used: result.featureSpec.features.map((f) => f.name),
      dropped: result.featureSpec.dropped,
    },
    featureLeadDays: policy.forecast.model.featureLeadDays,
    timings: {
      loadMs: Math.round(loaded - started),
      featuresMs: Math.round(featured - loaded),
      crossValidationMs: Math.round(done - featured),
    },
    warnings: history.warnings,
  };
}
