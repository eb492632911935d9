/**
 * Opportunity type and touch model (guide §2). The type decides the motion: at-risk (save mode)
 * beats early (an incentive to renew before schedule) beats expansion (renewal + growth) beats flat
 * (same terms, confirm value). The motion: negotiated for Enterprise, and for mid-market renewals
 * that are at risk or expanding; auto only for a small, healthy, flat renewal with an auto-renew
 * clause and payment on file; assisted otherwise.
 */
import type { Policy } from './policy/policy-schema.ts';
import type { ContractRecord, Segment } from './records.ts';
import type { HealthBand, Motion, OpportunityType, RiskFlag } from './vocabulary.ts';

export type AtRiskAssessment = { atRisk: boolean; reasons: string[] };

export type AssessAtRiskOptions = {
  healthScore: number;
  riskFlags: RiskFlag[];
  policy: Pick<Policy, 'atRisk'>;
};

/** Flags the renewal at-risk automatically: health under the threshold or a severe risk event. */
export function assessAtRisk({ healthScore, riskFlags, policy }: AssessAtRiskOptions): AtRiskAssessment {
  const reasons: string[] = [];
  if (healthScore < policy.atRisk.healthBelow) {
    reasons.push(`health ${healthScore} below ${policy.atRisk.healthBelow}`);
  }
  for (const flag of riskFlags) {
    if (policy.atRisk.flags.includes(flag)) reasons.push(flag);
  }
  return { atRisk: reasons.length > 0, reasons };
}

export type ClassifyRenewalOptions = {
  segment: Segment;
  contract: ContractRecord;
  /** The contract's ARR in the reporting currency. */
  arrReportingMinor: number;
  healthBand: HealthBand;
  atRisk: AtRiskAssessment;
  earlyQualified: boolean;
  expansionSignal: boolean;
  policy: Pick<Policy, 'touch'>;
};

export type RenewalClassification = {
  type: OpportunityType;
  motion: Motion;
  typeRule: string;
  motionRule: string;
};

export function classifyRenewal({
  segment,
  contract,
  arrReportingMinor,
  healthBand,
  atRisk,
  earlyQualified,
  expansionSignal,
  policy,
}: ClassifyRenewalOptions): RenewalClassification {
  const { type, typeRule } = opportunityType(atRisk, earlyQualified, expansionSignal);
  const touch = policy.touch;
  if (touch.negotiatedSegments.includes(segment)) {
    return { type, typeRule, motion: 'negotiated', motionRule: `${segment} renewals are negotiated` };
  }
  if (touch.negotiatedTypes.includes(type) && touch.negotiatedTypeSegments.includes(segment)) {
    return { type, typeRule, motion: 'negotiated', motionRule: `${type} ${segment} renewals are negotiated` };
  }
  const autoBlockers: string[] = [];
  if (type !== 'flat') autoBlockers.push(`type is ${type}`);
  if (arrReportingMinor >= touch.autoMaxArrMinor) autoBlockers.push('contract too large for auto-renewal');
  if (!contract.autoRenew) autoBlockers.push('no auto-renew clause');
  if (!contract.paymentOnFile) autoBlockers.push('no payment on file');
  if (healthBand !== 'green') autoBlockers.push(`health is ${healthBand}`);
  if (autoBlockers.length === 0) {
    return {
      type,
      typeRule,
      motion: 'auto',
      motionRule: 'small healthy flat renewal with auto-renew clause and payment on file',
    };
  }
  return { type, typeRule, motion: 'assisted', motionRule: `assisted: ${autoBlockers.join(', ')}` };
}

function opportunityType(
  atRisk: AtRiskAssessment,
  earlyQualified: boolean,
  expansionSignal: boolean,
): { type: OpportunityType; typeRule: string } {
  if (atRisk.atRisk) return { type: 'at_risk', typeRule: `at risk: ${atRisk.reasons.join(', ')}` };
  if (earlyQualified) return { type: 'early', typeRule: 'qualifies for early renewal' };
  if (expansionSignal) return { type: 'expansion', typeRule: 'green with growth signals' };
  return { type: 'flat', typeRule: 'no risk, no growth signal: confirm value and renew' };
}
