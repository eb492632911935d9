/**
 * Proper scores of probability forecasts against 0/1 outcomes, shared by model evaluation and the
 * forecast backtest. Inputs are parallel arrays: `probabilities[i]` is the forecast that case `i`
 * renews, `outcomes[i]` is 1 when it renewed and 0 when it did not. Every score of an empty set is
 * `null`, never `NaN`.
 */
import { ForecastError } from './forecast-error.ts';

/** Probabilities are clipped to [ε, 1 − ε] before taking logarithms, so a confident miss costs ~34.5, not ∞. */
const LOG_LOSS_EPSILON = 1e-15;

function checkLengths(probabilities: ArrayLike<number>, outcomes: ArrayLike<number>): void {
  if (probabilities.length !== outcomes.length) {
    throw new ForecastError(
      'invalid_input',
      `${probabilities.length} probabilities but ${outcomes.length} outcomes: they must pair up`,
    );
  }
}

/** Brier score: mean of (p − y)². 0 is perfect; always forecasting 0.5 scores 0.25. */
export function brierScore(probabilities: ArrayLike<number>, outcomes: ArrayLike<number>): number | null {
  checkLengths(probabilities, outcomes);
  const n = probabilities.length;
  if (n === 0) return null;
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const diff = (probabilities[i] as number) - (outcomes[i] as number);
    sum += diff * diff;
  }
  return sum / n;
}

/** Log loss: −mean(y·ln p + (1 − y)·ln(1 − p)), with p clipped to [ε, 1 − ε] (ε = 1e-15). */
export function logLoss(probabilities: ArrayLike<number>, outcomes: ArrayLike<number>): number | null {
  checkLengths(probabilities, outcomes);
  const n = probabilities.length;
  if (n === 0) return null;
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const p = Math.min(1 - LOG_LOSS_EPSILON, Math.max(LOG_LOSS_EPSILON, probabilities[i] as number));
    sum += (outcomes[i] as number) === 1 ? Math.log(p) : Math.log(1 - p);
  }
  return -sum / n;
}

/**
 * Area under the ROC curve as the Mann–Whitney rank statistic:
 * AUC = (R₊ − n₊(n₊ + 1)/2) / (n₊·n₋), where R₊ is the sum of the positives' ranks and tied
 * scores share their average rank (so a tie between a positive and a negative counts one half).
 * `null` when either class is absent.
 */
export function auc(probabilities: ArrayLike<number>, outcomes: ArrayLike<number>): number | null {
  checkLengths(probabilities, outcomes);
  const n = probabilities.length;
  const order = Array.from({ length: n }, (_, i) => i);
  order.sort((a, b) => (probabilities[a] as number) - (probabilities[b] as number));
  let positives = 0;
  let rankSum = 0;
  let i = 0;
  while (i < n) {
    let j = i;
    const score = probabilities[order[i] as number] as number;
    while (j + 1 < n && probabilities[order[j + 1] as number] === score) j++;
    // Ranks i+1 … j+1 are tied: each gets their average.
    const averageRank = (i + 1 + j + 1) / 2;
    for (let k = i; k <= j; k++) {
      if ((outcomes[order[k] as number] as number) === 1) {
        positives++;
        rankSum += averageRank;
      }
    }
    i = j + 1;
  }
  const negatives = n - positives;
  if (positives === 0 || negatives === 0) return null;
  return (rankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}

export type ReliabilityBin = {
  /** 0-based bin index; bin b holds forecasts in [b/bins, (b+1)/bins) (the last bin includes 1). */
  bin: number;
  lower: number;
  upper: number;
  count: number;
  /** Mean forecast probability in the bin, `null` when empty. */
  predicted: number | null;
  /** Observed renewal frequency in the bin, `null` when empty. */
  observed: number | null;
};

/** Reliability (calibration) diagram on equal-width probability bins; empty bins are kept, with nulls. */
export function reliabilityBins(
  probabilities: ArrayLike<number>,
  outcomes: ArrayLike<number>,
  bins = 10,
): ReliabilityBin[] {
  checkLengths(probabilities, outcomes);
  if (!Number.isInteger(bins) || bins < 1) {
    throw new ForecastError('invalid_input', `reliability bins must be a positive integer, got ${bins}`);
  }
  const counts = new Array<number>(bins).fill(0);
  const predictedSums = new Array<number>(bins).fill(0);
  const observedSums = new Array<number>(bins).fill(0);
  for (let i = 0; i < probabilities.length; i++) {
    const p = probabilities[i] as number;
    const bin = Math.min(bins - 1, Math.max(0, Math.floor(p * bins)));
    counts[bin] = (counts[bin] as number) + 1;
    predictedSums[bin] = (predictedSums[bin] as number) + p;
    observedSums[bin] = (observedSums[bin] as number) + (outcomes[i] as number);
  }
  return counts.map((count, bin) => ({
    bin,
    lower: bin / bins,
    upper: (bin + 1) / bins,
    count,
    predicted: count === 0 ? null : (predictedSums[bin] as number) / count,
    observed: count === 0 ? null : (observedSums[bin] as number) / count,
  }));
}

/**
 * Expected calibration error: Σ_b (count_b / n)·|predicted_b − observed_b| over the reliability bins.
 * `null` for an empty set.
 */
export function expectedCalibrationError(bins: readonly ReliabilityBin[]): number | null {
  const total = bins.reduce((sum, bin) => sum + bin.count, 0);
  if (total === 0) return null;
  let sum = 0;
  for (const bin of bins) {
    if (bin.count === 0 || bin.predicted === null || bin.observed === null) continue;
    sum += (bin.count / total) * Math.abs(bin.predicted - bin.observed);
  }
  return sum;
}
