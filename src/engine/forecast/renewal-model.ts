/**
 * The tenant's renewal model: the closed renewals of its history, each described by its features as
 * they stood `featureLeadDays` (90) before the due date, and the domain's logistic model fitted on
 * them when there are enough (`policy.forecast.model`); otherwise the transparent prior, with the
 * reason. Scoring an open renewal gives its probability and the factors behind it.
 */
import { addDays, type CalendarDate } from '../../domain/calendar.ts';
import {
  crossValidate,
  fitModel,
  type LogisticModel,
  type ModelRow,
  predict,
} from '../../domain/forecast/logistic-model.ts';
import type { Policy } from '../../domain/policy/policy-schema.ts';
import { toReportingCurrency } from '../../domain/policy/to-reporting-currency.ts';
import type { AccountSnapshot, ContractRecord, RenewalRecord } from '../../domain/records.ts';
import { specialistsOf } from '../evaluate-portfolio.ts';
import type { PortfolioHistory } from './portfolio-history.ts';
import { type RenewalView, viewRenewal } from './renewal-features.ts';

/** One renewal of the history with its record, whatever its outcome. */
export type RenewalCase = {
  snapshot: AccountSnapshot;
  contract: ContractRecord;
  record: RenewalRecord | null;
};

/** A closed renewal with its features at T-lead. */
export type TrainingCase = {
  contractId: string;
  accountId: string;
  dueDate: CalendarDate;
  /** When the outcome became known (closed_on, else the due date). */
  knownOn: CalendarDate;
  /** The date the features were read. */
  featuresOn: CalendarDate;
  outcome: 'won' | 'lost';
  view: RenewalView;
  row: ModelRow;
};

export type RenewalModel =
  | {
      kind: 'logistic';
      model: LogisticModel;
      trainingRenewals: number;
      renewed: number;
      notRenewed: number;
      baseRate: number;
    }
  | {
      kind: 'prior';
      reason: string;
      trainingRenewals: number;
      renewed: number;
      notRenewed: number;
      /** The history's renewal rate, null without history. */
      baseRate: number | null;
    };

export type ScoredRenewal = {
  probability: number;
  model: 'logistic' | 'prior';
  prior: number;
  factors: { factor: string; value: number | string | null; effect: number }[];
};

/** Every renewal of the history: contracts with a renewal record, and active contracts without one. */
export function listRenewalCases(history: PortfolioHistory): RenewalCase[] {
  const cases: RenewalCase[] = [];
  for (const snapshot of history.snapshots) {
    const records = new Map(snapshot.renewals.map((record) => [record.contractId, record]));
    for (const contract of snapshot.contracts) {
      const record = records.get(contract.contractId) ?? null;
      if (record === null && contract.status !== 'active') continue;
      cases.push({ snapshot, contract, record });
    }
  }
  return cases;
}

/** Closed renewals with their features at T-lead (the date capped at the due date). */
export function buildTrainingCases({
  history,
  policy,
}: {
  history: PortfolioHistory;
  policy: Policy;
}): TrainingCase[] {
  const specialists = specialistsOf(history.users);
  const lead = policy.forecast.model.featureLeadDays;
  const cases: TrainingCase[] = [];
  for (const { snapshot, contract, record } of listRenewalCases(history)) {
    if (record === null || record.outcome === 'pending') continue;
    const featuresOn = addDays(contract.endDate, -lead);
    const view = viewRenewal({ snapshot, contract, asOf: featuresOn, policy, specialists });
    const label = record.outcome === 'won' ? 1 : 0;
    cases.push({
      contractId: contract.contractId,
      accountId: snapshot.account.accountId,
      dueDate: contract.endDate,
      knownOn: record.closedOn ?? contract.endDate,
      featuresOn,
      outcome: record.outcome,
      view,
      row: { features: view.features, label, prior: view.prior },
    });
  }
  cases.sort((a, b) => (a.contractId < b.contractId ? -1 : a.contractId > b.contractId ? 1 : 0));
  return cases;
}

/** Fits the logistic model when the history is deep enough, else says why the prior is used. */
export function fitRenewalModel({
  cases,
  policy,
}: {
  cases: readonly Pick<TrainingCase, 'row'>[];
  policy: Policy;
}): RenewalModel {
  const settings = policy.forecast.model;
  const renewed = cases.reduce((sum, c) => sum + c.row.label, 0);
  const notRenewed = cases.length - renewed;
  const baseRate = cases.length === 0 ? null : renewed / cases.length;
  const counts = { trainingRenewals: cases.length, renewed, notRenewed };
  if (cases.length < settings.minClosedRenewals) {
    return {
      kind: 'prior',
      reason: `${cases.length} closed renewals in the history; a model needs at least ${settings.minClosedRenewals} (policy forecast.model.minClosedRenewals)`,
      ...counts,
      baseRate,
    };
  }
  if (renewed < settings.minEachOutcome || notRenewed < settings.minEachOutcome) {
    return {
      kind: 'prior',
      reason: `${renewed} renewed and ${notRenewed} not renewed; a model needs at least ${settings.minEachOutcome} of each (policy forecast.model.minEachOutcome)`,
      ...counts,
      baseRate,
    };
  }
  const model = fitModel({ rows: cases.map((c) => c.row), l2: settings.l2 });
  return { kind: 'logistic', model, ...counts, baseRate: model.baseRate };
}

function round(value: number, digits: number): number {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale + 0;
}

/** The renewal's probability under the model (or the prior), with the factors behind it. */
export function scoreRenewal(model: RenewalModel, view: RenewalView, topFactors = 6): ScoredRenewal {
  if (model.kind === 'prior') {
    return {
      probability: view.prior,
      model: 'prior',
      prior: view.prior,
      factors: view.priorFactors.map((f) => ({ factor: f.factor, value: f.detail, effect: f.effect })),
    };
  }
  const prediction = predict(model.model, { features: view.features });
  return {
    probability: prediction.probability,
    model: 'logistic',
    prior: view.prior,
    factors: prediction.contributions
      .filter((c) => Math.abs(c.contribution) >= 0.005)
      .slice(0, topFactors)
      .map((c) => ({ factor: c.feature, value: c.value, effect: round(c.contribution, 3) })),
  };
}

/**
 * The model as it could have been fitted on `asOf`: only renewals whose outcome was known and whose
 * features had been observed by then.
 */
export function fitRenewalModelAsOf({
  cases,
  policy,
  asOf,
}: {
  cases: readonly TrainingCase[];
  policy: Policy;
  asOf: CalendarDate;
}): RenewalModel {
  return fitRenewalModel({
    cases: cases.filter((c) => c.knownOn <= asOf && c.featuresOn <= asOf),
    policy,
  });
}

/** Cross-validates the model on the closed renewals (model evaluate). */
export function evaluateRenewalModel({
  cases,
  policy,
  folds,
  seed,
}: {
  cases: readonly TrainingCase[];
  policy: Policy;
  folds: number;
  seed: number;
}) {
  return crossValidate({ rows: cases.map((c) => c.row), folds, seed, l2: policy.forecast.model.l2 });
}

/** ARR of a renewal record's new term in the reporting currency (null when not recorded). */
export function renewedArrReporting(
  record: RenewalRecord | null,
  contract: ContractRecord,
  policy: Policy,
): number | null {
  if (record?.renewedArrMinor === null || record?.renewedArrMinor === undefined) return null;
  return toReportingCurrency({ minor: record.renewedArrMinor, currency: contract.currency, policy });
}
