/**
 * The retention forecast of one period (DATA-CONTRACT.md section 4): the renewals due in it, open ones
 * weighted by their probability and closed ones at their outcome. Money is integer minor units of
 * the reporting currency (rows are converted before they get here); probability-weighted sums are
 * accumulated unrounded and rounded once at the end.
 *
 * Over the renewals due in the period (by `dueDate`, inclusive), with `arr` the expiring term's ARR:
 * - renewableArr        = Σ arr (open and closed)
 * - expectedRenewedArr  = round(Σ_open arr × p) + Σ_won min(renewed, arr)   (gross: no expansion)
 * - expectedContraction = Σ_won max(0, arr − renewed)   (open renewals are forecast flat)
 * - expectedExpansion   = round(Σ_open expansion × p) + Σ_won max(0, renewed − arr)
 * - expectedChurn       = renewableArr − expectedRenewedArr − expectedContraction (lost ARR plus the
 *                         open ARR not expected to renew)
 * - expectedEndingArr   = renewableArr − churn − contraction + expansion
 * - grr = min(1, expectedRenewedArr / renewableArr), nrr = expectedEndingArr / renewableArr (null at 0)
 * - atRiskArr = Σ arr of open renewals in the at_risk category
 * Months and quarters are computed the same way, each rounded once, so their sum may differ from the
 * period's total by rounding (at most half a minor unit per sub-period and sum).
 */
import type { CalendarDate } from '../calendar.ts';
import type { ForecastCategory } from './categorize-forecast.ts';
import { FORECAST_CATEGORIES } from './categorize-forecast.ts';
import { ForecastError } from './forecast-error.ts';
import { listMonths, listQuarters, type Period, periodContains } from './periods.ts';

export type OpenRenewalForecast = {
  contractId: string;
  segment: string;
  ownerUserId: string | null;
  dueDate: CalendarDate;
  /** ARR of the expiring term, reporting-currency minor units. */
  arrMinor: number;
  /** Probability of renewal, 0..1. */
  probability: number;
  /** Effective category (the CSM's call when recorded). */
  category: ForecastCategory;
  /** The model's category when a CSM call was recorded beside it. */
  modelCategory?: ForecastCategory;
  /** Expansion ARR attached to the renewal if it renews (quoted or in pipeline); weighted by probability. */
  expansionArrMinor?: number;
  /** Why the renewal is at risk (risk flags, stated reasons); used for the at-risk breakdown. */
  riskReasons?: readonly string[];
};

export type ClosedRenewalForecast = {
  contractId: string;
  segment: string;
  ownerUserId: string | null;
  dueDate: CalendarDate;
  arrMinor: number;
  outcome: 'won' | 'lost';
  /** ARR of the new term when won; `null` = same as `arrMinor`. */
  renewedArrMinor: number | null;
};

export type CategoryTotal = { renewals: number; arrMinor: number };

export type ForecastTotals = {
  renewalCount: number;
  openCount: number;
  closedCount: number;
  renewableArrMinor: number;
  expectedRenewedArrMinor: number;
  expectedChurnArrMinor: number;
  expectedContractionArrMinor: number;
  expectedExpansionArrMinor: number;
  expectedEndingArrMinor: number;
  atRiskArrMinor: number;
  grr: number | null;
  nrr: number | null;
  /** Open renewals per effective category. */
  categories: Record<ForecastCategory, CategoryTotal>;
};

export type AtRiskSlice = { renewals: number; arrMinor: number };

export type ForecastPeriodResult = ForecastTotals & {
  period: Period;
  /** Retention waterfall of the forecast. */
  waterfall: {
    startingArrMinor: number;
    churnArrMinor: number;
    contractionArrMinor: number;
    expansionArrMinor: number;
    endingArrMinor: number;
  };
  byMonth: (ForecastTotals & { period: Period })[];
  /** Quarters the period spans (one for a quarter, four for a year, one for a month). */
  byQuarter: (ForecastTotals & { period: Period })[];
  atRiskBySegment: (AtRiskSlice & { segment: string })[];
  atRiskByOwner: (AtRiskSlice & { ownerUserId: string | null })[];
  /**
   * At-risk ARR per reason. A renewal with several reasons counts in full under each, so the slices
   * can add up to more than atRiskArr; a renewal without reasons is under `unspecified`.
   */
  atRiskByReason: (AtRiskSlice & { reason: string })[];
  /** Open renewals whose effective category differs from the model's call. */
  disagreements: { contractId: string; modelCategory: ForecastCategory; category: ForecastCategory }[];
  /** Open renewals due in the period, by due date. */
  renewals: {
    contractId: string;
    dueDate: CalendarDate;
    arrMinor: number;
    probability: number;
    category: ForecastCategory;
  }[];
  /** Closed renewals due in the period, by due date. */
  closedRenewals: { contractId: string; dueDate: CalendarDate; arrMinor: number; outcome: 'won' | 'lost' }[];
  /** Rows given that are not due in the period (ignored). */
  outsidePeriod: number;
};

export type ForecastPeriodOptions = {
  period: Period;
  open: readonly OpenRenewalForecast[];
  closed: readonly ClosedRenewalForecast[];
};

const UNSPECIFIED_REASON = 'unspecified';

function checkMinor(contractId: string, field: string, value: number): void {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new ForecastError(
      'invalid_input',
      `renewal ${contractId}: ${field} must be a non-negative integer of minor units, got ${value}`,
    );
  }
}

function validate(open: readonly OpenRenewalForecast[], closed: readonly ClosedRenewalForecast[]): void {
  for (const row of open) {
    checkMinor(row.contractId, 'arrMinor', row.arrMinor);
    if (row.expansionArrMinor !== undefined)
      checkMinor(row.contractId, 'expansionArrMinor', row.expansionArrMinor);
    if (!(row.probability >= 0 && row.probability <= 1)) {
      throw new ForecastError(
        'invalid_input',
        `renewal ${row.contractId}: probability must be between 0 and 1, got ${row.probability}`,
      );
    }
  }
  for (const row of closed) {
    checkMinor(row.contractId, 'arrMinor', row.arrMinor);
    if (row.renewedArrMinor !== null) checkMinor(row.contractId, 'renewedArrMinor', row.renewedArrMinor);
  }
}

function totals(
  open: readonly OpenRenewalForecast[],
  closed: readonly ClosedRenewalForecast[],
): ForecastTotals {
  let renewable = 0;
  let weightedRenewed = 0;
  let weightedExpansion = 0;
  let wonRetained = 0;
  let contraction = 0;
  let closedExpansion = 0;
  let atRisk = 0;
  const categories = Object.fromEntries(
    FORECAST_CATEGORIES.map((category) => [category, { renewals: 0, arrMinor: 0 }]),
  ) as Record<ForecastCategory, CategoryTotal>;
  for (const row of open) {
    renewable += row.arrMinor;
    weightedRenewed += row.arrMinor * row.probability;
    weightedExpansion += (row.expansionArrMinor ?? 0) * row.probability;
    if (row.category === 'at_risk') atRisk += row.arrMinor;
    categories[row.category].renewals++;
    categories[row.category].arrMinor += row.arrMinor;
  }
  for (const row of closed) {
    renewable += row.arrMinor;
    if (row.outcome === 'lost') continue;
    const renewed = row.renewedArrMinor ?? row.arrMinor;
    wonRetained += Math.min(renewed, row.arrMinor);
    contraction += Math.max(0, row.arrMinor - renewed);
    closedExpansion += Math.max(0, renewed - row.arrMinor);
  }
  const expectedRenewed = Math.round(weightedRenewed) + wonRetained;
  const expansion = Math.round(weightedExpansion) + closedExpansion;
  const churn = renewable - expectedRenewed - contraction;
  const ending = renewable - churn - contraction + expansion;
  return {
    renewalCount: open.length + closed.length,
    openCount: open.length,
    closedCount: closed.length,
    renewableArrMinor: renewable,
    expectedRenewedArrMinor: expectedRenewed,
    expectedChurnArrMinor: churn,
    expectedContractionArrMinor: contraction,
    expectedExpansionArrMinor: expansion,
    expectedEndingArrMinor: ending,
    atRiskArrMinor: atRisk,
    grr: renewable === 0 ? null : Math.min(1, expectedRenewed / renewable),
    nrr: renewable === 0 ? null : ending / renewable,
    categories,
  };
}

function totalsWithin(
  period: Period,
  open: readonly OpenRenewalForecast[],
  closed: readonly ClosedRenewalForecast[],
): ForecastTotals & { period: Period } {
  return {
    period,
    ...totals(
      open.filter((row) => periodContains(period, row.dueDate)),
      closed.filter((row) => periodContains(period, row.dueDate)),
    ),
  };
}

function slices<K>(entries: Iterable<[K, OpenRenewalForecast]>): Map<K, AtRiskSlice> {
  const map = new Map<K, AtRiskSlice>();
  for (const [key, row] of entries) {
    const slice = map.get(key) ?? { renewals: 0, arrMinor: 0 };
    slice.renewals++;
    slice.arrMinor += row.arrMinor;
    map.set(key, slice);
  }
  return map;
}

function byArrThenKey<T extends AtRiskSlice>(key: (slice: T) => string | null): (a: T, b: T) => number {
  return (a, b) => {
    if (b.arrMinor !== a.arrMinor) return b.arrMinor - a.arrMinor;
    const ka = key(a);
    const kb = key(b);
    if (ka === kb) return 0;
    if (ka === null) return 1;
    if (kb === null) return -1;
    return ka < kb ? -1 : 1;
  };
}

function byDueDate(
  a: { dueDate: string; contractId: string },
  b: { dueDate: string; contractId: string },
): number {
  if (a.dueDate !== b.dueDate) return a.dueDate < b.dueDate ? -1 : 1;
  return a.contractId < b.contractId ? -1 : a.contractId > b.contractId ? 1 : 0;
}

export function forecastPeriod({
  period,
  open: allOpen,
  closed: allClosed,
}: ForecastPeriodOptions): ForecastPeriodResult {
  validate(allOpen, allClosed);
  const open = allOpen.filter((row) => periodContains(period, row.dueDate));
  const closed = allClosed.filter((row) => periodContains(period, row.dueDate));
  const total = totals(open, closed);
  const atRiskRows = open.filter((row) => row.category === 'at_risk');
  const reasonEntries: [string, OpenRenewalForecast][] = [];
  for (const row of atRiskRows) {
    const reasons = [...new Set((row.riskReasons ?? []).map((reason) => reason.trim()).filter(Boolean))];
    if (reasons.length === 0) reasonEntries.push([UNSPECIFIED_REASON, row]);
    for (const reason of reasons) reasonEntries.push([reason, row]);
  }
  return {
    period,
    ...total,
    waterfall: {
      startingArrMinor: total.renewableArrMinor,
      churnArrMinor: total.expectedChurnArrMinor,
      contractionArrMinor: total.expectedContractionArrMinor,
      expansionArrMinor: total.expectedExpansionArrMinor,
      endingArrMinor: total.expectedEndingArrMinor,
    },
    byMonth: listMonths(period).map((month) => totalsWithin(month, open, closed)),
    byQuarter: listQuarters(period).map((quarter) => totalsWithin(quarter, open, closed)),
    atRiskBySegment: [...slices(atRiskRows.map((row): [string, OpenRenewalForecast] => [row.segment, row]))]
      .map(([segment, slice]) => ({ segment, ...slice }))
      .sort(byArrThenKey((slice) => slice.segment)),
    atRiskByOwner: [
      ...slices(atRiskRows.map((row): [string | null, OpenRenewalForecast] => [row.ownerUserId, row])),
    ]
      .map(([ownerUserId, slice]) => ({ ownerUserId, ...slice }))
      .sort(byArrThenKey((slice) => slice.ownerUserId)),
    atRiskByReason: [...slices(reasonEntries)]
      .map(([reason, slice]) => ({ reason, ...slice }))
      .sort(byArrThenKey((slice) => slice.reason)),
    disagreements: open
      .filter((row) => row.modelCategory !== undefined && row.modelCategory !== row.category)
      .sort(byDueDate)
      .map((row) => ({
        contractId: row.contractId,
        modelCategory: row.modelCategory as ForecastCategory,
        category: row.category,
      })),
    renewals: [...open].sort(byDueDate).map((row) => ({
      contractId: row.contractId,
      dueDate: row.dueDate,
      arrMinor: row.arrMinor,
      probability: row.probability,
      category: row.category,
    })),
    closedRenewals: [...closed].sort(byDueDate).map((row) => ({
      contractId: row.contractId,
      dueDate: row.dueDate,
      arrMinor: row.arrMinor,
      outcome: row.outcome,
    })),
    outsidePeriod: allOpen.length - open.length + allClosed.length - closed.length,
  };
}
