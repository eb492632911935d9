/**
 * The whole evaluation of one account as of a date: segment, health, and for its upcoming renewal
 * the type, motion, owner, risk flags, timeline, due tasks, early-renewal qualification and
 * probability. The output is the per-account object of `DATA-CONTRACT.md` section 2 (plus
 * explanatory fields). One pass over the account's records; no I/O, no clock.
 */
import { type CalendarDate, daysBetween } from './calendar.ts';
import { assessAtRisk, classifyRenewal } from './classify-renewal.ts';
import { collectAccountFacts, daysBefore } from './collect-account-facts.ts';
import { detectRiskFlags, type RiskEvidence } from './detect-risk-flags.ts';
import { estimateRenewalProbability, type ProbabilityFactor } from './estimate-renewal-probability.ts';
import { formatMinor } from './money.ts';
import {
  type DueEmail,
  type DueTask,
  type PlannedMilestone,
  planRenewalTimeline,
} from './plan-renewal-timeline.ts';
import type { PlaybookKey, Policy } from './policy/policy-schema.ts';
import { toReportingCurrency } from './policy/to-reporting-currency.ts';
import { type EarlyRenewal, qualifyEarlyRenewal } from './qualify-early-renewal.ts';
import type { AccountSnapshot, ContractRecord, Segment } from './records.ts';
import { type RenewalOwner, routeOwner } from './route-owner.ts';
import { type HealthDriver, scoreAccountHealth, type ToGreenStep } from './score-account-health.ts';
import { type SegmentSource, segmentAccount } from './segment-account.ts';
import type { HealthBand, Motion, OpportunityType, RiskFlag } from './vocabulary.ts';

export type Amount = { amount: string; currency: string };

export type RenewalEvaluation = {
  contractId: string;
  dueDate: CalendarDate;
  daysToRenewal: number;
  arr: Amount;
  arrReporting: Amount;
  type: OpportunityType;
  typeRule: string;
  motion: Motion;
  motionRule: string;
  owner: RenewalOwner;
  executiveEngagement: boolean;
  executiveRule: string | null;
  riskFlags: RiskFlag[];
  riskEvidence: RiskEvidence[];
  atRiskReasons: string[];
  noticeDeadline: CalendarDate | null;
  timeline: {
    playbook: PlaybookKey;
    anchor: 'end_date' | 'notice_deadline';
    anchorDate: CalendarDate;
    effortHours: number;
    lapsed: boolean;
    milestones: PlannedMilestone[];
  };
  dueTasks: DueTask[];
  dueEmails: DueEmail[];
  earlyRenewal: EarlyRenewal;
  probability: number;
  probabilityFactors: ProbabilityFactor[];
};

export type AccountEvaluation = {
  accountId: string;
  segment: Segment;
  segmentSource: SegmentSource;
  segmentRule: string;
  arrReporting: Amount;
  health: { score: number; band: HealthBand; drivers: HealthDriver[]; toGreen: ToGreenStep[] };
  expansionSignal: boolean;
  expansionEvidence: string[];
  renewal: RenewalEvaluation | null;
};

export type EvaluateAccountOptions = {
  snapshot: AccountSnapshot;
  policy: Policy;
  asOf: CalendarDate;
  /** The tenant's renewal specialists (user ids), for round-robin assignment. */
  specialists?: readonly string[];
};

export function evaluateAccount({
  snapshot,
  policy,
  asOf,
  specialists = [],
}: EvaluateAccountOptions): AccountEvaluation {
  const { account } = snapshot;
  const contract = pickRenewalContract({ contracts: snapshot.contracts, policy, asOf });
  const facts = collectAccountFacts({ snapshot, policy, asOf, contractSeats: contract?.seats ?? null });
  const segmentation = segmentAccount({ account, contracts: snapshot.contracts, policy, asOf });
  const segment = segmentation.segment;
  const health = scoreAccountHealth({ facts, policy });
  const reportingCurrency = policy.reportingCurrency;

  const evaluation: AccountEvaluation = {
    accountId: account.accountId,
    segment,
    segmentSource: segmentation.source,
    segmentRule: segmentation.rule,
    arrReporting: amount(segmentation.arrReportingMinor, reportingCurrency),
    health: { score: health.score, band: health.band, drivers: health.drivers, toGreen: health.toGreen },
    expansionSignal: health.expansionSignal,
    expansionEvidence: health.expansionEvidence,
    renewal: null,
  };
  if (contract === null) return evaluation;

  const risk = detectRiskFlags({
    facts,
    policy,
    segment,
    healthBand: health.band,
    healthScore: health.score,
  });
  const atRisk = assessAtRisk({ healthScore: health.score, riskFlags: risk.flags, policy });
  const earlyRenewal = qualifyEarlyRenewal({
    account,
    dueDate: contract.endDate,
    healthScore: health.score,
    facts,
    riskFlags: risk.flags,
    atRisk: atRisk.atRisk,
    policy,
    asOf,
  });
  const contractArrReporting = toReportingCurrency({
    minor: contract.arrMinor,
    currency: contract.currency,
    policy,
  });
  const classification = classifyRenewal({
    segment,
    contract,
    arrReportingMinor: contractArrReporting,
    healthBand: health.band,
    atRisk,
    earlyQualified: earlyRenewal.qualified,
    expansionSignal: health.expansionSignal,
    policy,
  });
  const routing = routeOwner({
    account,
    arrReportingMinor: segmentation.arrReportingMinor,
    healthBand: health.band,
    policy,
    specialists,
  });
  const timeline = planRenewalTimeline({
    contract,
    segment,
    atRisk: atRisk.atRisk,
    motion: classification.motion,
    ownerRole: routing.owner.role,
    policy,
    asOf,
  });
  const record = snapshot.renewals.find((renewal) => renewal.contractId === contract.contractId) ?? null;
  const probability = estimateRenewalProbability({
    healthScore: health.score,
    riskFlags: risk.flags,
    segment,
    autoRenew: contract.autoRenew,
    paymentOnFile: contract.paymentOnFile,
    stage: record?.stage ?? null,
    outcome: record?.outcome ?? null,
    policy,
  });

  evaluation.renewal = {
    contractId: contract.contractId,
    dueDate: contract.endDate,
    daysToRenewal: daysBetween(asOf, contract.endDate),
    arr: amount(contract.arrMinor, contract.currency),
    arrReporting: amount(contractArrReporting, reportingCurrency),
    type: classification.type,
    typeRule: classification.typeRule,
    motion: classification.motion,
    motionRule: classification.motionRule,
    owner: routing.owner,
    executiveEngagement: routing.executiveEngagement,
    executiveRule: routing.executiveRule,
    riskFlags: risk.flags,
    riskEvidence: risk.evidence,
    atRiskReasons: atRisk.reasons,
    noticeDeadline: timeline.noticeDeadline,
    timeline: {
      playbook: timeline.playbook,
      anchor: timeline.anchor,
      anchorDate: timeline.anchorDate,
      effortHours: timeline.effortHours,
      lapsed: timeline.lapsed,
      milestones: timeline.milestones,
    },
    dueTasks: timeline.dueTasks,
    dueEmails: timeline.dueEmails,
    earlyRenewal,
    probability: probability.probability,
    probabilityFactors: probability.factors,
  };
  return evaluation;
}

export type PickRenewalContractOptions = {
  contracts: readonly ContractRecord[];
  policy: Pick<Policy, 'timeline'>;
  asOf: CalendarDate;
};

/**
 * The renewal: the active contract ending soonest that has not ended more than the grace period
 * before asOf (ties broken by contract id, so the choice is deterministic).
 */
export function pickRenewalContract({
  contracts,
  policy,
  asOf,
}: PickRenewalContractOptions): ContractRecord | null {
  const from = daysBefore(asOf, policy.timeline.overdueGraceDays);
  let best: ContractRecord | null = null;
  for (const contract of contracts) {
    if (contract.status !== 'active' || contract.endDate < from) continue;
    if (
      best === null ||
      contract.endDate < best.endDate ||
      (contract.endDate === best.endDate && contract.contractId < best.contractId)
    ) {
      best = contract;
    }
  }
  return best;
}

function amount(minor: number, currency: string): Amount {
  return { amount: formatMinor(minor, currency), currency };
}
