/**
 * `perennial metrics`: retention metrics over the renewals due in a period (docs/METRICS.md), from a
 * directory of CSVs or from the store. Amounts are converted to the policy's reporting currency with
 * the policy's FX rates before any sum, and printed as exact decimal strings.
 *
 * Beyond the domain's `computeRetentionMetrics` this adds the retention of early-renewal cohorts vs
 * standard ones at 12 and 24 months: a won renewal's account is retained at +N months when one of its
 * contracts covers the date N months after the due date (judged only once that date has passed).
 */
import { addDays, addMonths, type CalendarDate, maxDate } from '../../domain/calendar.ts';
import {
  computeRetentionMetrics,
  daysSignedEarly,
  type RetentionRow,
} from '../../domain/forecast/compute-retention-metrics.ts';
import { formatMinor } from '../../domain/money.ts';
import type { Policy } from '../../domain/policy/policy-schema.ts';
import { toReportingCurrency } from '../../domain/policy/to-reporting-currency.ts';
import type { AccountSnapshot } from '../../domain/records.ts';
import { segmentAccount } from '../../domain/segment-account.ts';
import type { PortfolioHistory } from './portfolio-history.ts';
import { accountAsOf } from './renewal-features.ts';
import { listRenewalCases, renewedArrReporting } from './renewal-model.ts';

export type RetentionInput = { row: RetentionRow; snapshot: AccountSnapshot };

export function retentionRows({
  history,
  policy,
  savePlays,
}: {
  history: PortfolioHistory;
  policy: Policy;
  /** Whether a save play ran, per contract (store: the renewal was ever at risk); unknown when absent. */
  savePlays?: ReadonlyMap<string, boolean>;
}): RetentionInput[] {
  const inputs: RetentionInput[] = [];
  for (const { snapshot, contract, record } of listRenewalCases(history)) {
    const lead = addDays(contract.endDate, -policy.forecast.model.featureLeadDays);
    const view = accountAsOf(snapshot, contract, maxDate(lead, contract.startDate), false);
    const segment = segmentAccount({
      account: snapshot.account,
      contracts: view.contracts,
      policy,
      asOf: lead,
    });
    const savePlay = savePlays?.get(contract.contractId);
    inputs.push({
      snapshot,
      row: {
        contractId: contract.contractId,
        accountId: snapshot.account.accountId,
        segment: segment.segment,
        ownerUserId: snapshot.account.ownerCsm,
        dueDate: contract.endDate,
        arrMinor: toReportingCurrency({ minor: contract.arrMinor, currency: contract.currency, policy }),
        outcome: record?.outcome ?? 'pending',
        renewedArrMinor: record?.outcome === 'won' ? renewedArrReporting(record, contract, policy) : null,
        closedOn: record?.closedOn ?? null,
        signedDaysEarly: record?.signedDaysEarly ?? null,
        termYears: record?.termYears ?? null,
        reasons: record?.reasons ?? [],
        competitor: record?.competitor ?? null,
        discountBps: null,
        ...(savePlay === undefined ? {} : { savePlayRan: savePlay }),
      },
    });
  }
  return inputs;
}

type CohortRetention = { judged: number; retained: number; rate: number | null };

function cohortRetention(
  inputs: readonly RetentionInput[],
  months: number,
  asOf: CalendarDate,
): CohortRetention {
  let judged = 0;
  let retained = 0;
  for (const { row, snapshot } of inputs) {
    const horizon = addMonths(row.dueDate, months);
    if (horizon > asOf) continue;
    judged++;
    if (snapshot.contracts.some((c) => c.startDate <= horizon && c.endDate >= horizon)) retained++;
  }
  return { judged, retained, rate: judged === 0 ? null : retained / judged };
}

/** The type `withMoney` turns `T` into: each numeric `…Minor` field becomes a money string without the suffix. */
export type WithMoney<T> = T extends readonly (infer U)[]
  ? WithMoney<U>[]
  : T extends object
    ? {
        [K in keyof T as K extends `${infer Base}Minor`
          ? T[K] extends number
            ? Base
            : K
          : K]: K extends `${string}Minor`
          ? T[K] extends number
            ? string
            : WithMoney<T[K]>
          : WithMoney<T[K]>;
      }
    : T;

/** Converts every `…Minor` field to a money string named without the suffix, recursively. */
export function withMoney(value: unknown, currency: string): unknown {
  if (Array.isArray(value)) return value.map((item) => withMoney(item, currency));
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value)) {
    if (key.endsWith('Minor') && typeof inner === 'number')
      out[key.slice(0, -5)] = formatMinor(inner, currency);
    else out[key] = withMoney(inner, currency);
  }
  return out;
}

export type MeasureRetentionOptions = {
  history: PortfolioHistory;
  policy: Policy;
  from: CalendarDate;
  to: CalendarDate;
  /** What is known as of this date (cohort retention is judged up to it). */
  asOf: CalendarDate;
  savePlays?: ReadonlyMap<string, boolean>;
  /** The rows of `retentionRows`, when the caller has built them already. */
  rows?: readonly RetentionInput[];
};

export function measureRetention({
  history,
  policy,
  from,
  to,
  asOf,
  savePlays,
  rows,
}: MeasureRetentionOptions) {
  const inputs = (rows ?? retentionRows({ history, policy, savePlays })).filter(
    ({ row }) => row.dueDate >= from && row.dueDate <= to,
  );
  const metrics = computeRetentionMetrics({ rows: inputs.map((input) => input.row) });
  const won = inputs.filter(({ row }) => row.outcome === 'won');
  const early = won.filter(({ row }) => (daysSignedEarly(row) ?? 0) >= metrics.policy.earlyRenewalDays);
  const standard = won.filter(({ row }) => (daysSignedEarly(row) ?? 0) < metrics.policy.earlyRenewalDays);
  return {
    from,
    to,
    asOf,
    currency: policy.reportingCurrency,
    ...(withMoney(metrics, policy.reportingCurrency) as Record<string, unknown>),
    cohortRetention: {
      early: { months12: cohortRetention(early, 12, asOf), months24: cohortRetention(early, 24, asOf) },
      standard: {
        months12: cohortRetention(standard, 12, asOf),
        months24: cohortRetention(standard, 24, asOf),
      },
    },
    targets: { grr: policy.forecast.targetGrr, nrr: policy.forecast.targetNrr },
  };
}

export type RetentionDocument = ReturnType<typeof measureRetention>;
