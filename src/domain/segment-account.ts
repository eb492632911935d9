/**
 * Segment by contract value (guide §2): the account's ARR across its active contracts, in the
 * reporting currency, against the policy thresholds. A segment override on the account (judgment:
 * "a 95K account with large expansion potential may get Enterprise treatment") wins and says so.
 */
import type { CalendarDate } from './calendar.ts';
import { daysBefore } from './collect-account-facts.ts';
import { formatMinor } from './money.ts';
import type { Policy } from './policy/policy-schema.ts';
import { toReportingCurrency } from './policy/to-reporting-currency.ts';
import type { AccountRecord, ContractRecord, Segment } from './records.ts';

export type SegmentSource = 'override' | 'arr';

export type AccountSegment = {
  segment: Segment;
  source: SegmentSource;
  /** The segment the ARR alone gives (equal to `segment` unless overridden). */
  arrSegment: Segment;
  /** ARR of the active contracts, in the reporting currency. */
  arrReportingMinor: number;
  reportingCurrency: string;
  rule: string;
};

export type SegmentAccountOptions = {
  account: AccountRecord;
  contracts: ContractRecord[];
  policy: Policy;
  asOf: CalendarDate;
};

export function segmentAccount({ account, contracts, policy, asOf }: SegmentAccountOptions): AccountSegment {
  const arrReportingMinor = activeArrInReportingCurrency({ contracts, policy, asOf });
  const arrSegment = segmentForArr(arrReportingMinor, policy);
  const arrText = `${formatMinor(arrReportingMinor, policy.reportingCurrency)} ${policy.reportingCurrency}`;
  if (account.segmentOverride !== null) {
    return {
      segment: account.segmentOverride,
      source: 'override',
      arrSegment,
      arrReportingMinor,
      reportingCurrency: policy.reportingCurrency,
      rule: `segment override ${account.segmentOverride} on the account (ARR ${arrText} alone gives ${arrSegment})`,
    };
  }
  return {
    segment: arrSegment,
    source: 'arr',
    arrSegment,
    arrReportingMinor,
    reportingCurrency: policy.reportingCurrency,
    rule: `ARR ${arrText} → ${arrSegment}`,
  };
}

export function segmentForArr(arrReportingMinor: number, policy: Pick<Policy, 'segments'>): Segment {
  if (arrReportingMinor >= policy.segments.enterpriseMinArrMinor) return 'enterprise';
  if (arrReportingMinor >= policy.segments.midMarketMinArrMinor) return 'mid_market';
  return 'smb';
}

export type ActiveArrOptions = { contracts: ContractRecord[]; policy: Policy; asOf: CalendarDate };

/**
 * Sum of the ARR of contracts that are active and not yet past the renewal grace period, converted
 * contract by contract (each rounded once).
 */
export function activeArrInReportingCurrency({ contracts, policy, asOf }: ActiveArrOptions): number {
  const graceFrom = graceCutoff(asOf, policy);
  let total = 0;
  for (const contract of contracts) {
    if (contract.status !== 'active' || contract.endDate < graceFrom) continue;
    total += toReportingCurrency({ minor: contract.arrMinor, currency: contract.currency, policy });
  }
  return total;
}

function graceCutoff(asOf: CalendarDate, policy: Policy): CalendarDate {
  return daysBefore(asOf, policy.timeline.overdueGraceDays);
}
