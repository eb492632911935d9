/**
 * How accurate past forecasts were (DOMAIN.md section 9, "forecast accuracy shown"). The input is the
 * forecast snapshots replayed or stored for past dates, one row per renewal per snapshot, joined to
 * what actually happened.
 *
 * - Calibration: Brier score = mean (p − y)² and reliability bins, over the resolved rows (won = 1,
 *   lost = 0; pending rows are left out).
 * - Forecast error: per forecast (one snapshot date × one period) forecastRenewedArr =
 *   round(Σ arr × p) and actualRenewedArr = Σ_won min(renewed, arr) (gross retained ARR, the same
 *   definition as the forecast's expectedRenewedArr; lost and pending count 0). Absolute percentage
 *   error = |forecast − actual| / actual; MAPE is its mean over the forecasts whose actual is
 *   non-zero (the others are counted in `forecastsWithoutActual`).
 * - Slippage: a renewal forecast in a period slipped when it closed after the period's end, or is
 *   still pending once the period has ended (as of `asOf`). Slippage rate = slipped / renewals whose
 *   period has ended or that have closed.
 * Every measure is also given per segment and per owner.
 */
import type { CalendarDate } from '../calendar.ts';
import { ForecastError } from './forecast-error.ts';
import type { Period } from './periods.ts';
import {
  brierScore,
  expectedCalibrationError,
  type ReliabilityBin,
  reliabilityBins,
} from './probability-scores.ts';

export type BacktestRow = {
  /** The date the forecast was made (the snapshot's as-of date). */
  snapshotDate: CalendarDate;
  /** The period the renewal was forecast in. */
  period: Pick<Period, 'label' | 'end'>;
  contractId: string;
  segment: string;
  ownerUserId: string | null;
  dueDate: CalendarDate;
  /** ARR of the expiring term, reporting-currency minor units. */
  arrMinor: number;
  /** The forecast probability of renewal at the snapshot date. */
  probability: number;
  /** What happened, as known at `asOf`. */
  outcome: 'won' | 'lost' | 'pending';
  renewedArrMinor: number | null;
  closedOn: CalendarDate | null;
};

export type PeriodForecastError = {
  snapshotDate: CalendarDate;
  period: string;
  renewals: number;
  forecastRenewedArrMinor: number;
  actualRenewedArrMinor: number;
  /** forecast − actual (positive = over-forecast). */
  errorMinor: number;
  /** |forecast − actual| / actual; null when actual is 0. */
  absolutePercentageError: number | null;
};

export type BacktestScores = {
  renewals: number;
  resolved: number;
  brier: number | null;
  calibration: ReliabilityBin[];
  expectedCalibrationError: number | null;
  forecasts: PeriodForecastError[];
  mape: number | null;
  forecastsWithoutActual: number;
  slipped: number;
  /** Renewals whose slippage can be judged (closed, or their period has ended). */
  slippageJudged: number;
  slippageRate: number | null;
  slippedContractIds: string[];
};

export type BacktestReport = BacktestScores & {
  asOf: CalendarDate;
  bySegment: (BacktestScores & { segment: string })[];
  byOwner: (BacktestScores & { ownerUserId: string | null })[];
};

export type MeasureBacktestOptions = {
  rows: readonly BacktestRow[];
  /** The date outcomes are known as of; pending renewals of periods ended before it have slipped. */
  asOf: CalendarDate;
  bins?: number;
};

/**
 * MAPE = mean over pairs of |forecast − actual| / actual, skipping pairs whose actual is 0 (undefined
 * percentage); `null` when no pair remains.
 */
export function meanAbsolutePercentageError(pairs: readonly { forecast: number; actual: number }[]): {
  mape: number | null;
  used: number;
  skipped: number;
} {
  let sum = 0;
  let used = 0;
  for (const { forecast, actual } of pairs) {
    if (actual === 0) continue;
    sum += Math.abs(forecast - actual) / Math.abs(actual);
    used++;
  }
  return { mape: used === 0 ? null : sum / used, used, skipped: pairs.length - used };
}

/** Whether a renewal slipped past its forecast period's end, as known at `asOf`. */
export function hasSlipped(
  row: Pick<BacktestRow, 'period' | 'outcome' | 'closedOn'>,
  asOf: CalendarDate,
): boolean | null {
  if (row.closedOn !== null) return row.closedOn > row.period.end;
  if (row.outcome === 'pending') return asOf > row.period.end ? true : null;
  return null;
}

function actualRenewed(row: BacktestRow): number {
  if (row.outcome !== 'won') return 0;
  return Math.min(row.renewedArrMinor ?? row.arrMinor, row.arrMinor);
}

function score(rows: readonly BacktestRow[], asOf: CalendarDate, bins: number): BacktestScores {
  const resolved = rows.filter((row) => row.outcome !== 'pending');
  const probabilities = resolved.map((row) => row.probability);
  const outcomes = resolved.map((row) => (row.outcome === 'won' ? 1 : 0));
  const calibration = reliabilityBins(probabilities, outcomes, bins);

  const groups = new Map<string, BacktestRow[]>();
  for (const row of rows) {
    const key = `${row.snapshotDate}\u0000${row.period.label}`;
    const group = groups.get(key);
    if (group) group.push(row);
    else groups.set(key, [row]);
  }
  const forecasts: PeriodForecastError[] = [...groups.values()].map((group) => {
    const first = group[0] as BacktestRow;
    let weighted = 0;
    let actual = 0;
    for (const row of group) {
      weighted += row.arrMinor * row.probability;
      actual += actualRenewed(row);
    }
    const forecast = Math.round(weighted);
    return {
      snapshotDate: first.snapshotDate,
      period: first.period.label,
      renewals: group.length,
      forecastRenewedArrMinor: forecast,
      actualRenewedArrMinor: actual,
      errorMinor: forecast - actual,
      absolutePercentageError: actual === 0 ? null : Math.abs(forecast - actual) / actual,
    };
  });
  forecasts.sort((a, b) =>
    a.snapshotDate !== b.snapshotDate
      ? a.snapshotDate < b.snapshotDate
        ? -1
        : 1
      : a.period < b.period
        ? -1
        : a.period > b.period
          ? 1
          : 0,
  );
  const { mape, skipped } = meanAbsolutePercentageError(
    forecasts.map((f) => ({ forecast: f.forecastRenewedArrMinor, actual: f.actualRenewedArrMinor })),
  );

  let judged = 0;
  const slipped = new Set<string>();
  let slippedCount = 0;
  for (const row of rows) {
    const verdict = hasSlipped(row, asOf);
    if (verdict === null) continue;
    judged++;
    if (verdict) {
      slippedCount++;
      slipped.add(row.contractId);
    }
  }
  return {
    renewals: rows.length,
    resolved: resolved.length,
    brier: brierScore(probabilities, outcomes),
    calibration,
    expectedCalibrationError: expectedCalibrationError(calibration),
    forecasts,
    mape,
    forecastsWithoutActual: skipped,
    slipped: slippedCount,
    slippageJudged: judged,
    slippageRate: judged === 0 ? null : slippedCount / judged,
    slippedContractIds: [...slipped].sort(),
  };
}

function compareKeys(a: string | null, b: string | null): number {
  if (a === b) return 0;
  if (a === null) return 1;
  if (b === null) return -1;
  return a < b ? -1 : 1;
}

function groupRows<K extends string | null>(
  rows: readonly BacktestRow[],
  key: (row: BacktestRow) => K,
): Map<K, BacktestRow[]> {
  const groups = new Map<K, BacktestRow[]>();
  for (const row of rows) {
    const k = key(row);
    const group = groups.get(k);
    if (group) group.push(row);
    else groups.set(k, [row]);
  }
  return groups;
}

export function measureBacktest({ rows, asOf, bins = 10 }: MeasureBacktestOptions): BacktestReport {
  for (const row of rows) {
    if (!(row.probability >= 0 && row.probability <= 1)) {
      throw new ForecastError(
        'invalid_input',
        `backtest row ${row.contractId} (${row.snapshotDate}): probability must be between 0 and 1, got ${row.probability}`,
      );
    }
    if (!Number.isSafeInteger(row.arrMinor) || row.arrMinor < 0) {
      throw new ForecastError(
        'invalid_input',
        `backtest row ${row.contractId} (${row.snapshotDate}): arrMinor must be a non-negative integer, got ${row.arrMinor}`,
      );
    }
  }
  return {
    asOf,
    ...score(rows, asOf, bins),
    bySegment: [...groupRows(rows, (row) => row.segment)]
      .map(([segment, group]) => ({ segment, ...score(group, asOf, bins) }))
      .sort((a, b) => compareKeys(a.segment, b.segment)),
    byOwner: [...groupRows(rows, (row) => row.ownerUserId)]
      .map(([ownerUserId, group]) => ({ ownerUserId, ...score(group, asOf, bins) }))
      .sort((a, b) => compareKeys(a.ownerUserId, b.ownerUserId)),
  };
}
