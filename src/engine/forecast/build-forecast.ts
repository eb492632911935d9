/**
 * The retention forecast of a period as of a date (DATA-CONTRACT.md section 4, plus by month, the
 * categories, at-risk ARR by segment / owner / reason, the retention waterfall, the model used and
 * the CSM calls that disagree with the model's).
 *
 * Renewals due in the period whose outcome was known on `asOf` count at their outcome; the others are
 * open and are scored on their records as they stood on `asOf` (a dry run as of a past date therefore
 * replays the past). Money is converted to the policy's reporting currency with the policy's FX rates
 * and printed as exact decimal strings.
 */
import type { CalendarDate } from '../../domain/calendar.ts';
import {
  type CategoryRule,
  categorizeForecast,
  FORECAST_CATEGORIES,
  type ForecastCategory,
} from '../../domain/forecast/categorize-forecast.ts';
import {
  type ClosedRenewalForecast,
  type ForecastTotals,
  forecastPeriod,
  type OpenRenewalForecast,
} from '../../domain/forecast/forecast-period.ts';
import type { Period } from '../../domain/forecast/periods.ts';
import { formatMinor } from '../../domain/money.ts';
import type { Policy } from '../../domain/policy/policy-schema.ts';
import { toReportingCurrency } from '../../domain/policy/to-reporting-currency.ts';
import type { HealthBand } from '../../domain/vocabulary.ts';
import { specialistsOf } from '../evaluate-portfolio.ts';
import type { PortfolioHistory } from './portfolio-history.ts';
import { closedBy, viewRenewal } from './renewal-features.ts';
import {
  listRenewalCases,
  type RenewalModel,
  renewedArrReporting,
  type ScoredRenewal,
  scoreRenewal,
} from './renewal-model.ts';

/** A CSM's recorded call on a renewal (renewals.csm_category and its who/when/why). */
export type CsmCall = {
  category: ForecastCategory;
  by: string | null;
  at: string | null;
  note: string | null;
};

export type ForecastedRenewal = {
  contractId: string;
  accountId: string;
  dueDate: CalendarDate;
  segment: string;
  ownerUserId: string | null;
  arrMinor: number;
  expansionArrMinor: number;
  healthScore: number;
  healthBand: HealthBand;
  stage: string | null;
  riskFlags: string[];
  riskReasons: string[];
  scored: ScoredRenewal;
  modelCategory: ForecastCategory;
  modelRule: CategoryRule;
  csm: CsmCall | null;
  category: ForecastCategory;
};

export type ScoreOpenRenewalsOptions = {
  history: PortfolioHistory;
  policy: Policy;
  asOf: CalendarDate;
  model: RenewalModel;
  /** Only renewals due in this range (inclusive). */
  dueFrom: CalendarDate;
  dueTo: CalendarDate;
  csmCalls?: ReadonlyMap<string, CsmCall>;
};

/** Open renewals (outcome not known on asOf) due in the range, scored and categorized. */
export function scoreOpenRenewals({
  history,
  policy,
  asOf,
  model,
  dueFrom,
  dueTo,
  csmCalls = new Map(),
}: ScoreOpenRenewalsOptions): { open: ForecastedRenewal[]; closed: ClosedRenewalForecast[] } {
  const specialists = specialistsOf(history.users);
  const open: ForecastedRenewal[] = [];
  const closed: ClosedRenewalForecast[] = [];
  for (const { snapshot, contract, record } of listRenewalCases(history)) {
    if (contract.endDate < dueFrom || contract.endDate > dueTo || contract.startDate > asOf) continue;
    if (closedBy(record, contract, asOf)) {
      const outcome = record?.outcome;
      if (outcome !== 'won' && outcome !== 'lost') continue;
      closed.push({
        contractId: contract.contractId,
        segment: '',
        ownerUserId: snapshot.account.ownerCsm,
        dueDate: contract.endDate,
        arrMinor: toReportingCurrency({ minor: contract.arrMinor, currency: contract.currency, policy }),
        outcome,
        renewedArrMinor: outcome === 'won' ? renewedArrReporting(record, contract, policy) : null,
      });
      continue;
    }
    if (contract.status === 'cancelled') continue;
    const pendingNow = record === null || record.outcome === 'pending';
    const view = viewRenewal({ snapshot, contract, asOf, policy, specialists, keepStage: pendingNow });
    const scored = scoreRenewal(model, view);
    const quoted = pendingNow ? renewedArrReporting(record, contract, policy) : null;
    const csm = csmCalls.get(contract.contractId) ?? null;
    const call = categorizeForecast({
      probability: scored.probability,
      healthBand: view.healthBand,
      stage: view.stage,
      csmCategory: csm?.category ?? null,
      policy: policy.forecast.categories,
    });
    open.push({
      contractId: contract.contractId,
      accountId: view.accountId,
      dueDate: contract.endDate,
      segment: view.segment,
      ownerUserId: view.ownerUserId,
      arrMinor: view.arrReportingMinor,
      expansionArrMinor: quoted === null ? 0 : Math.max(0, quoted - view.arrReportingMinor),
      healthScore: view.healthScore,
      healthBand: view.healthBand,
      stage: view.stage,
      riskFlags: view.riskFlags,
      riskReasons: view.riskFlags.length > 0 ? view.riskFlags : view.atRiskReasons,
      scored,
      modelCategory: call.modelCategory,
      modelRule: call.modelRule,
      csm,
      category: call.category,
    });
  }
  return { open, closed };
}

function money(minor: number, currency: string): string {
  return formatMinor(minor, currency);
}

function ratio(value: number | null): number | null {
  return value === null ? null : Math.round(value * 10_000) / 10_000;
}

function totalsDocument(totals: ForecastTotals, currency: string) {
  return {
    renewals: totals.renewalCount,
    open: totals.openCount,
    closed: totals.closedCount,
    renewableArr: money(totals.renewableArrMinor, currency),
    expectedRenewedArr: money(totals.expectedRenewedArrMinor, currency),
    atRiskArr: money(totals.atRiskArrMinor, currency),
    expectedChurnArr: money(totals.expectedChurnArrMinor, currency),
    expectedContractionArr: money(totals.expectedContractionArrMinor, currency),
    expectedExpansionArr: money(totals.expectedExpansionArrMinor, currency),
    expectedEndingArr: money(totals.expectedEndingArrMinor, currency),
    grr: ratio(totals.grr),
    nrr: ratio(totals.nrr),
    categories: Object.fromEntries(
      FORECAST_CATEGORIES.map((category) => [
        category,
        {
          renewals: totals.categories[category].renewals,
          arr: money(totals.categories[category].arrMinor, currency),
        },
      ]),
    ) as Record<ForecastCategory, { renewals: number; arr: string }>,
  };
}

export function describeModel(model: RenewalModel) {
  return model.kind === 'logistic'
    ? {
        model: 'logistic' as const,
        trainingRenewals: model.trainingRenewals,
        renewed: model.renewed,
        notRenewed: model.notRenewed,
        baseRate: ratio(model.baseRate),
        converged: model.model.converged,
      }
    : {
        model: 'prior' as const,
        reason: model.reason,
        trainingRenewals: model.trainingRenewals,
        renewed: model.renewed,
        notRenewed: model.notRenewed,
        baseRate: ratio(model.baseRate),
      };
}

export type BuildForecastOptions = {
  history: PortfolioHistory;
  policy: Policy;
  asOf: CalendarDate;
  period: Period;
  model: RenewalModel;
  csmCalls?: ReadonlyMap<string, CsmCall>;
};

export function buildForecast({ history, policy, asOf, period, model, csmCalls }: BuildForecastOptions) {
  const currency = policy.reportingCurrency;
  const { open, closed } = scoreOpenRenewals({
    history,
    policy,
    asOf,
    model,
    dueFrom: period.start,
    dueTo: period.end,
    csmCalls,
  });
  const domainOpen: OpenRenewalForecast[] = open.map((renewal) => ({
    contractId: renewal.contractId,
    segment: renewal.segment,
    ownerUserId: renewal.ownerUserId,
    dueDate: renewal.dueDate,
    arrMinor: renewal.arrMinor,
    probability: renewal.scored.probability,
    category: renewal.category,
    modelCategory: renewal.modelCategory,
    expansionArrMinor: renewal.expansionArrMinor,
    riskReasons: renewal.riskReasons,
  }));
  const result = forecastPeriod({ period, open: domainOpen, closed });
  const byId = new Map(open.map((renewal) => [renewal.contractId, renewal]));
  const totals = totalsDocument(result, currency);
  const { grr: targetGrr, nrr: targetNrr } = {
    grr: policy.forecast.targetGrr,
    nrr: policy.forecast.targetNrr,
  };
  return {
    period: period.label,
    asOf,
    currency,
    renewableArr: totals.renewableArr,
    expectedRenewedArr: totals.expectedRenewedArr,
    atRiskArr: totals.atRiskArr,
    grr: totals.grr,
    nrr: totals.nrr,
    expectedChurnArr: totals.expectedChurnArr,
    expectedContractionArr: totals.expectedContractionArr,
    expectedExpansionArr: totals.expectedExpansionArr,
    expectedEndingArr: totals.expectedEndingArr,
    targets: {
      grr: targetGrr,
      nrr: targetNrr,
      grrOnTrack: result.grr === null ? null : result.grr >= targetGrr,
      nrrOnTrack: result.nrr === null ? null : result.nrr >= targetNrr,
    },
    model: describeModel(model),
    counts: { renewals: totals.renewals, open: totals.open, closed: totals.closed },
    categories: totals.categories,
    byMonth: result.byMonth.map((month) => ({
      period: month.period.label,
      ...totalsDocument(month, currency),
    })),
    waterfall: {
      startingArr: money(result.waterfall.startingArrMinor, currency),
      churnArr: money(result.waterfall.churnArrMinor, currency),
      contractionArr: money(result.waterfall.contractionArrMinor, currency),
      expansionArr: money(result.waterfall.expansionArrMinor, currency),
      endingArr: money(result.waterfall.endingArrMinor, currency),
    },
    atRiskBySegment: result.atRiskBySegment.map((slice) => ({
      segment: slice.segment,
      renewals: slice.renewals,
      arr: money(slice.arrMinor, currency),
    })),
    atRiskByOwner: result.atRiskByOwner.map((slice) => ({
      ownerUserId: slice.ownerUserId,
      renewals: slice.renewals,
      arr: money(slice.arrMinor, currency),
    })),
    atRiskByReason: result.atRiskByReason.map((slice) => ({
      reason: slice.reason,
      renewals: slice.renewals,
      arr: money(slice.arrMinor, currency),
    })),
    disagreements: open
      .filter((renewal) => renewal.csm !== null && renewal.csm.category !== renewal.modelCategory)
      .sort((a, b) =>
        a.dueDate < b.dueDate ? -1 : a.dueDate > b.dueDate ? 1 : a.contractId < b.contractId ? -1 : 1,
      )
      .map((renewal) => ({
        contractId: renewal.contractId,
        dueDate: renewal.dueDate,
        arr: money(renewal.arrMinor, currency),
        probability: ratio(renewal.scored.probability),
        modelCategory: renewal.modelCategory,
        csmCategory: renewal.csm?.category ?? null,
        by: renewal.csm?.by ?? null,
        at: renewal.csm?.at ?? null,
        note: renewal.csm?.note ?? null,
      })),
    renewals: result.renewals.map((row) => {
      const renewal = byId.get(row.contractId) as ForecastedRenewal;
      return {
        contractId: row.contractId,
        accountId: renewal.accountId,
        dueDate: row.dueDate,
        arr: money(row.arrMinor, currency),
        probability: ratio(row.probability) as number,
        category: row.category,
        modelCategory: renewal.modelCategory,
        modelRule: renewal.modelRule,
        csmCategory: renewal.csm?.category ?? null,
        segment: renewal.segment,
        ownerUserId: renewal.ownerUserId,
        healthScore: renewal.healthScore,
        healthBand: renewal.healthBand,
        stage: renewal.stage,
        riskFlags: renewal.riskFlags,
        prior: renewal.scored.prior,
        factors: renewal.scored.factors,
      };
    }),
    closedRenewals: result.closedRenewals.map((row) => ({
      contractId: row.contractId,
      dueDate: row.dueDate,
      arr: money(row.arrMinor, currency),
      outcome: row.outcome,
    })),
  };
}

export type ForecastDocument = ReturnType<typeof buildForecast>;
