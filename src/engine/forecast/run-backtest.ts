/**
 * `perennial backtest`: how accurate the forecast was, scored beside two baselines in the same run —
 * the base rate (every renewal forecast at the renewal rate known at the time) and the uncalibrated
 * prior (the engine's transparent probability).
 *
 * Two sources:
 * - **replay** (CSVs, or a store without snapshots): on each snapshot date D (`from`, then the first
 *   of every month up to `to`) the model is refitted on the renewals whose outcome was known before D,
 *   and every renewal due in [D, D + horizon] that had not closed before D is scored on its records as
 *   they stood on D. Nothing after D is seen, except the outcome being forecast.
 * - **snapshots** (the store): the rows the daily run wrote in `forecast_snapshots`, exactly as they
 *   were forecast then, joined to what happened since.
 * Brier score, reliability bins, MAPE of forecast vs actual renewed ARR per period and slippage come
 * from the domain's `measureBacktest`, overall, per segment and per owner.
 */
import { addDays, addMonths, type CalendarDate } from '../../domain/calendar.ts';
import {
  type BacktestReport,
  type BacktestRow,
  type BacktestScores,
  measureBacktest,
} from '../../domain/forecast/backtest-metrics.ts';
import { periodOf } from '../../domain/forecast/periods.ts';
import { auc, logLoss } from '../../domain/forecast/probability-scores.ts';
import { formatMinor } from '../../domain/money.ts';
import type { Policy } from '../../domain/policy/policy-schema.ts';
import { toReportingCurrency } from '../../domain/policy/to-reporting-currency.ts';
import type { SqlSession } from '../../store/store.ts';
import { specialistsOf } from '../evaluate-portfolio.ts';
import type { PortfolioHistory } from './portfolio-history.ts';
import { closedBy, viewRenewal } from './renewal-features.ts';
import {
  buildTrainingCases,
  fitRenewalModelAsOf,
  listRenewalCases,
  renewedArrReporting,
  scoreRenewal,
} from './renewal-model.ts';

type Forecasters = { model: BacktestRow[]; prior: BacktestRow[]; baseRate: BacktestRow[] };

/** `from`, then the first day of every month after it, up to `to`. */
export function snapshotDates(from: CalendarDate, to: CalendarDate): CalendarDate[] {
  const dates: CalendarDate[] = [];
  if (from > to) return dates;
  dates.push(from);
  let next = addMonths(`${from.slice(0, 7)}-01`, 1);
  while (next <= to) {
    dates.push(next);
    next = addMonths(next, 1);
  }
  return dates;
}

export type ReplayOptions = {
  history: PortfolioHistory;
  policy: Policy;
  from: CalendarDate;
  to: CalendarDate;
  /** Outcomes are known as of this date (slippage of still-pending renewals is judged against it). */
  asOf: CalendarDate;
  /** Renewals due within this many days of a snapshot date are forecast on it (default 90). */
  horizonDays?: number;
};

export function replayForecasts({
  history,
  policy,
  from,
  to,
  horizonDays = 90,
}: Omit<ReplayOptions, 'asOf'>): Forecasters & { skippedDates: CalendarDate[]; dates: CalendarDate[] } {
  const specialists = specialistsOf(history.users);
  const training = buildTrainingCases({ history, policy });
  const cases = listRenewalCases(history);
  const rows: Forecasters = { model: [], prior: [], baseRate: [] };
  const skippedDates: CalendarDate[] = [];
  const dates = snapshotDates(from, to);
  for (const date of dates) {
    const model = fitRenewalModelAsOf({ cases: training, policy, asOf: addDays(date, -1) });
    if (model.baseRate === null) {
      skippedDates.push(date);
      continue;
    }
    const until = addDays(date, horizonDays);
    const dayBefore = addDays(date, -1);
    for (const { snapshot, contract, record } of cases) {
      if (contract.endDate < date || contract.endDate > until || contract.startDate > date) continue;
      if (contract.status === 'cancelled' || closedBy(record, contract, dayBefore)) continue;
      const view = viewRenewal({ snapshot, contract, asOf: date, policy, specialists });
      const scored = scoreRenewal(model, view);
      const outcome = record?.outcome ?? 'pending';
      const base: Omit<BacktestRow, 'probability'> = {
        snapshotDate: date,
        period: periodOf(contract.endDate, 'quarter'),
        contractId: contract.contractId,
        segment: view.segment,
        ownerUserId: view.ownerUserId,
        dueDate: contract.endDate,
        arrMinor: view.arrReportingMinor,
        outcome,
        renewedArrMinor: outcome === 'won' ? renewedArrReporting(record, contract, policy) : null,
        closedOn: record?.closedOn ?? null,
      };
      rows.model.push({ ...base, probability: scored.probability });
      rows.prior.push({ ...base, probability: view.prior });
      rows.baseRate.push({ ...base, probability: model.baseRate });
    }
  }
  return { ...rows, skippedDates, dates };
}

type SnapshotRow = {
  as_of: string;
  contract_id: string;
  due_date: string;
  segment: string | null;
  owner_user_id: string | null;
  arr_reporting_minor: number | string;
  probability: number;
  factors: { prior?: number; baseRate?: number | null } | null;
  outcome: string | null;
  closed_on: string | null;
  renewed_arr_minor: number | string | null;
  currency: string | null;
};

/** The forecasts the daily run stored between `from` and `to`, joined to what happened since. */
export async function storedForecasts({
  session,
  tenantId,
  policy,
  from,
  to,
}: {
  session: SqlSession;
  tenantId: string;
  policy: Policy;
  from: CalendarDate;
  to: CalendarDate;
}): Promise<Forecasters & { dates: CalendarDate[] }> {
  const stored = await session.query<SnapshotRow>(
    `SELECT f.as_of, f.contract_id, f.due_date, f.segment, f.owner_user_id, f.arr_reporting_minor, f.probability,
            f.factors, r.outcome, r.closed_on, r.renewed_arr_minor, c.currency
       FROM forecast_snapshots f
       LEFT JOIN renewals r ON r.tenant_id = f.tenant_id AND r.contract_id = f.contract_id
       LEFT JOIN contracts c ON c.tenant_id = f.tenant_id AND c.contract_id = f.contract_id
      WHERE f.tenant_id = $1 AND f.as_of BETWEEN $2 AND $3
      ORDER BY f.as_of, f.contract_id`,
    [tenantId, from, to],
  );
  const rows: Forecasters = { model: [], prior: [], baseRate: [] };
  const dates = new Set<CalendarDate>();
  for (const row of stored) {
    dates.add(row.as_of);
    const outcome = row.outcome === 'won' || row.outcome === 'lost' ? row.outcome : 'pending';
    const renewed =
      outcome === 'won' && row.renewed_arr_minor !== null && row.currency !== null
        ? toReportingCurrency({ minor: Number(row.renewed_arr_minor), currency: row.currency, policy })
        : null;
    const base: Omit<BacktestRow, 'probability'> = {
      snapshotDate: row.as_of,
      period: periodOf(row.due_date, 'quarter'),
      contractId: row.contract_id,
      segment: row.segment ?? 'unknown',
      ownerUserId: row.owner_user_id,
      dueDate: row.due_date,
      arrMinor: Number(row.arr_reporting_minor),
      outcome,
      renewedArrMinor: renewed,
      closedOn: row.closed_on,
    };
    rows.model.push({ ...base, probability: row.probability });
    const prior = row.factors?.prior;
    if (typeof prior === 'number') rows.prior.push({ ...base, probability: prior });
    const baseRate = row.factors?.baseRate;
    if (typeof baseRate === 'number') rows.baseRate.push({ ...base, probability: baseRate });
  }
  return { ...rows, dates: [...dates] };
}

function round(value: number | null, digits = 4): number | null {
  if (value === null) return null;
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}

function resolvedScores(rows: readonly BacktestRow[]) {
  const resolved = rows.filter((row) => row.outcome !== 'pending');
  const p = resolved.map((row) => row.probability);
  const y = resolved.map((row) => (row.outcome === 'won' ? 1 : 0));
  return { auc: round(auc(p, y)), logLoss: round(logLoss(p, y)) };
}

function scoresDocument(scores: BacktestScores, currency: string, withDetail: boolean) {
  return {
    renewals: scores.renewals,
    resolved: scores.resolved,
    brier: round(scores.brier),
    expectedCalibrationError: round(scores.expectedCalibrationError),
    mape: round(scores.mape),
    slippageRate: round(scores.slippageRate),
    slipped: scores.slipped,
    ...(withDetail
      ? {
          calibration: scores.calibration,
          forecasts: scores.forecasts.map((f) => ({
            snapshotDate: f.snapshotDate,
            period: f.period,
            renewals: f.renewals,
            forecastRenewedArr: formatMinor(f.forecastRenewedArrMinor, currency),
            actualRenewedArr: formatMinor(f.actualRenewedArrMinor, currency),
            error: formatMinor(f.errorMinor, currency),
            absolutePercentageError: round(f.absolutePercentageError),
          })),
          forecastsWithoutActual: scores.forecastsWithoutActual,
          slippageJudged: scores.slippageJudged,
        }
      : {}),
  };
}

export function backtestDocument({
  source,
  rows,
  from,
  to,
  asOf,
  currency,
  dates,
  skippedDates = [],
  horizonDays,
  model,
}: {
  source: 'replay' | 'snapshots';
  rows: Forecasters;
  from: CalendarDate;
  to: CalendarDate;
  asOf: CalendarDate;
  currency: string;
  dates: readonly CalendarDate[];
  skippedDates?: readonly CalendarDate[];
  horizonDays: number | null;
  model?: string;
}) {
  // Forecast error (MAPE) is taken over periods that had ended by asOf: a period still running has
  // renewals not yet closed, whose actual renewed ARR would count as 0.
  const measure = (list: readonly BacktestRow[]): BacktestReport => {
    const report = measureBacktest({ rows: list, asOf });
    const ended = measureBacktest({ rows: list.filter((row) => row.period.end <= asOf), asOf });
    return {
      ...report,
      forecasts: ended.forecasts,
      mape: ended.mape,
      forecastsWithoutActual: ended.forecastsWithoutActual,
    };
  };
  const reports: Record<keyof Forecasters, BacktestReport> = {
    model: measure(rows.model),
    prior: measure(rows.prior),
    baseRate: measure(rows.baseRate),
  };
  const brier = {
    model: round(reports.model.brier),
    baseRate: round(reports.baseRate.brier),
    prior: round(reports.prior.brier),
  };
  const beats =
    reports.model.brier !== null &&
    reports.baseRate.brier !== null &&
    reports.prior.brier !== null &&
    reports.model.brier < reports.baseRate.brier &&
    reports.model.brier < reports.prior.brier;
  const baselineBrier = (name: 'prior' | 'baseRate', key: 'segment' | 'owner', value: string | null) => {
    const list = key === 'segment' ? reports[name].bySegment : reports[name].byOwner;
    const match = list.find((entry) =>
      key === 'segment'
        ? (entry as { segment: string }).segment === value
        : (entry as { ownerUserId: string | null }).ownerUserId === value,
    );
    return round(match?.brier ?? null);
  };
  return {
    source,
    from,
    to,
    asOf,
    currency,
    ...(model ? { model } : {}),
    horizonDays,
    snapshotDates: dates.length,
    skippedDates,
    renewals: reports.model.renewals,
    resolved: reports.model.resolved,
    brier,
    beatsBaselines: beats,
    auc: {
      model: resolvedScores(rows.model).auc,
      baseRate: resolvedScores(rows.baseRate).auc,
      prior: resolvedScores(rows.prior).auc,
    },
    logLoss: {
      model: resolvedScores(rows.model).logLoss,
      baseRate: resolvedScores(rows.baseRate).logLoss,
      prior: resolvedScores(rows.prior).logLoss,
    },
    calibration: reports.model.calibration,
    forecastModel: scoresDocument(reports.model, currency, true),
    baselines: {
      baseRate: scoresDocument(reports.baseRate, currency, false),
      prior: scoresDocument(reports.prior, currency, false),
    },
    bySegment: reports.model.bySegment.map((entry) => ({
      segment: entry.segment,
      ...scoresDocument(entry, currency, false),
      baselineBrier: {
        baseRate: baselineBrier('baseRate', 'segment', entry.segment),
        prior: baselineBrier('prior', 'segment', entry.segment),
      },
    })),
    byOwner: reports.model.byOwner.map((entry) => ({
      ownerUserId: entry.ownerUserId,
      ...scoresDocument(entry, currency, false),
      baselineBrier: {
        baseRate: baselineBrier('baseRate', 'owner', entry.ownerUserId),
        prior: baselineBrier('prior', 'owner', entry.ownerUserId),
      },
    })),
  };
}

export type BacktestDocument = ReturnType<typeof backtestDocument>;

export function replayBacktest({ history, policy, from, to, asOf, horizonDays = 90 }: ReplayOptions) {
  const replay = replayForecasts({ history, policy, from, to, horizonDays });
  return backtestDocument({
    source: 'replay',
    rows: replay,
    from,
    to,
    asOf,
    currency: policy.reportingCurrency,
    dates: replay.dates,
    skippedDates: replay.skippedDates,
    horizonDays,
  });
}
