/**
 * A renewal as it stood on a date, seen through the same engine as the daily run: the account's
 * records are cut at that date (contracts not yet started, records dated later and outcomes not yet
 * known are removed; the expiring contract is active again), `evaluateAccount` scores it, and the
 * result is flattened into model features plus the transparent prior.
 *
 * Features (numbers unless said): the health score and each health component (null when the
 * component had no data), one 0/1 column per risk flag, at-risk and expansion signals, segment
 * (category), stakeholder breadth (active stakeholders, champion, executive sponsor), contract facts
 * (log10 of ARR in the reporting currency, term length, auto-renew, payment on file, tenure, the ARR
 * change at the previous renewal, previous renewals won), the prior's log-odds, and every custom
 * attribute of accounts.csv as `attribute:<name>` (numeric text as numbers, other text as categories;
 * the model drops high-cardinality text).
 *
 * The recorded stage of a closed renewal is its final stage (`closed_won`), which would give the
 * outcome away, so history is read without stages; an open renewal's current stage is kept for the
 * prior and for the category rules (late stages commit).
 */
import { addDays, type CalendarDate, daysBetween } from '../../domain/calendar.ts';
import {
  estimateRenewalProbability,
  type ProbabilityFactor,
} from '../../domain/estimate-renewal-probability.ts';
import { evaluateAccount } from '../../domain/evaluate-account.ts';
import type { FeatureValue } from '../../domain/forecast/logistic-model.ts';
import type { Policy } from '../../domain/policy/policy-schema.ts';
import { toReportingCurrency } from '../../domain/policy/to-reporting-currency.ts';
import type { AccountSnapshot, ContractRecord, RenewalRecord, Segment } from '../../domain/records.ts';
import { type HealthBand, RISK_FLAGS, type RiskFlag } from '../../domain/vocabulary.ts';

export type RenewalView = {
  contractId: string;
  accountId: string;
  asOf: CalendarDate;
  dueDate: CalendarDate;
  segment: Segment;
  ownerUserId: string | null;
  healthScore: number;
  healthBand: HealthBand;
  riskFlags: RiskFlag[];
  atRiskReasons: string[];
  stage: string | null;
  arrReportingMinor: number;
  /** The transparent prior (the engine's probability) and its steps. */
  prior: number;
  priorFactors: ProbabilityFactor[];
  features: Record<string, FeatureValue>;
};

export type ViewRenewalOptions = {
  snapshot: AccountSnapshot;
  contract: ContractRecord;
  asOf: CalendarDate;
  policy: Policy;
  specialists?: readonly string[];
  /** Keep the renewal's recorded stage (an open renewal today); history is read without it. */
  keepStage?: boolean;
};

/** True when the renewal's outcome was known on `asOf`. */
export function closedBy(
  record: RenewalRecord | null,
  contract: ContractRecord,
  asOf: CalendarDate,
): boolean {
  if (record === null || record.outcome === 'pending') return false;
  return (record.closedOn ?? contract.endDate) <= asOf;
}

/** The account's records as they stood on `asOf`, for the renewal of `contract`. */
export function accountAsOf(
  snapshot: AccountSnapshot,
  contract: ContractRecord,
  asOf: CalendarDate,
  keepStage: boolean,
): AccountSnapshot {
  const contracts: ContractRecord[] = [];
  for (const candidate of snapshot.contracts) {
    if (candidate.contractId === contract.contractId) {
      contracts.push(candidate.status === 'active' ? candidate : { ...candidate, status: 'active' });
    } else if (candidate.startDate <= asOf) {
      // A contract that had not ended by asOf was still running then, whatever happened later.
      const running = candidate.endDate >= asOf && candidate.status !== 'cancelled';
      contracts.push(
        running && candidate.status !== 'active' ? { ...candidate, status: 'active' } : candidate,
      );
    }
  }
  const renewals: RenewalRecord[] = [];
  for (const record of snapshot.renewals) {
    if (record.contractId === contract.contractId) {
      if (keepStage && record.outcome === 'pending') renewals.push(record);
      continue;
    }
    const other = snapshot.contracts.find((c) => c.contractId === record.contractId);
    if (other && closedBy(record, other, asOf)) renewals.push(record);
  }
  return {
    account: snapshot.account,
    contracts,
    usage: snapshot.usage.filter((row) => row.date <= asOf),
    tickets: snapshot.tickets.filter((row) => row.openedOn <= asOf),
    surveys: snapshot.surveys.filter((row) => row.date <= asOf),
    stakeholders: snapshot.stakeholders,
    signals: snapshot.signals.filter((row) => row.date <= asOf),
    renewals,
  };
}

function logit(p: number): number {
  const clipped = Math.min(0.999, Math.max(0.001, p));
  return Math.log(clipped / (1 - clipped));
}

function round(value: number, digits: number): number {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}

/** Evaluates the renewal of `contract` as of `asOf` and returns its features and prior. */
export function viewRenewal({
  snapshot,
  contract,
  asOf,
  policy,
  specialists = [],
  keepStage = false,
}: ViewRenewalOptions): RenewalView {
  const view = accountAsOf(snapshot, contract, asOf, keepStage);
  const evaluation = evaluateAccount({ snapshot: view, policy, asOf, specialists });
  const renewal = evaluation.renewal;
  const riskFlags = renewal?.riskFlags ?? [];
  const record = keepStage
    ? (snapshot.renewals.find((r) => r.contractId === contract.contractId && r.outcome === 'pending') ?? null)
    : null;
  const stage = record?.stage ?? null;
  const prior = estimateRenewalProbability({
    healthScore: evaluation.health.score,
    riskFlags,
    segment: evaluation.segment,
    autoRenew: contract.autoRenew,
    paymentOnFile: contract.paymentOnFile,
    stage,
    policy,
  });
  const arrReportingMinor = toReportingCurrency({
    minor: contract.arrMinor,
    currency: contract.currency,
    policy,
  });

  const features: Record<string, FeatureValue> = {
    health_score: evaluation.health.score,
    at_risk: (renewal?.atRiskReasons.length ?? 0) > 0,
    expansion_signal: evaluation.expansionSignal,
    segment: evaluation.segment,
    prior_logit: round(logit(prior.probability), 6),
  };
  for (const driver of evaluation.health.drivers) {
    features[`health:${driver.factor}`] = driver.dataMissing ? null : driver.componentScore;
  }
  const raised = new Set(riskFlags);
  for (const flag of RISK_FLAGS) features[`flag:${flag}`] = raised.has(flag);

  let activeStakeholders = 0;
  let champion = false;
  let sponsor = false;
  for (const person of snapshot.stakeholders) {
    if (person.leftOn !== null && person.leftOn <= asOf) continue;
    activeStakeholders++;
    if (person.role === 'champion') champion = true;
    if (person.role === 'executive_sponsor') sponsor = true;
  }
  features.stakeholders_active = activeStakeholders;
  features.has_champion = champion;
  features.has_executive_sponsor = sponsor;

  features.arr_log10 = round(Math.log10(Math.max(1, arrReportingMinor)), 4);
  features.term_years = Math.max(
    1,
    Math.round(daysBetween(contract.startDate, addDays(contract.endDate, 1)) / 365),
  );
  features.auto_renew = contract.autoRenew;
  features.payment_on_file = contract.paymentOnFile;
  let first = contract.startDate;
  let previousWins = 0;
  let previousChange: number | null = null;
  const byId = new Map(snapshot.contracts.map((c) => [c.contractId, c]));
  let cursor: ContractRecord | undefined = contract;
  for (let guard = 0; cursor && guard < 100; guard++) {
    if (cursor.startDate < first) first = cursor.startDate;
    const previous: ContractRecord | undefined = cursor.previousContractId
      ? byId.get(cursor.previousContractId)
      : undefined;
    if (previous && cursor === contract && previous.currency === contract.currency && previous.arrMinor > 0) {
      previousChange = round((contract.arrMinor - previous.arrMinor) / previous.arrMinor, 4);
    }
    if (previous) previousWins++;
    cursor = previous;
  }
  features.tenure_years = round(Math.max(0, daysBetween(first, asOf)) / 365, 3);
  features.previous_renewals = previousWins;
  features.previous_arr_change = previousChange;

  for (const [name, value] of Object.entries(snapshot.account.attributes)) {
    features[`attribute:${name}`] = value;
  }

  return {
    contractId: contract.contractId,
    accountId: snapshot.account.accountId,
    asOf,
    dueDate: contract.endDate,
    segment: evaluation.segment,
    ownerUserId: renewal?.owner.userId ?? snapshot.account.ownerCsm,
    healthScore: evaluation.health.score,
    healthBand: evaluation.health.band,
    riskFlags,
    atRiskReasons: renewal?.atRiskReasons ?? [],
    stage,
    arrReportingMinor,
    prior: prior.probability,
    priorFactors: prior.factors,
    features,
  };
}
