/**
 * Retention metrics over a cohort of renewals (DOMAIN.md sections 1, 6 and 8): renewal rate, GRR,
 * NRR, the retention waterfall, early-renewal program metrics, breakdowns by segment and owner, and
 * win/loss patterns. Money is integer minor units of the reporting currency (rows are converted
 * before they get here); ratios are plain numbers and `null` when their denominator is zero.
 *
 * The cohort is the renewals due in the period (by `dueDate`, both ends inclusive; every row when no
 * period is given). Realized metrics are taken over the **closed** renewals (won or lost): a pending
 * renewal has neither retained nor churned yet, so it is counted apart (`pending`, `pendingArrMinor`)
 * and left out of every ratio. Per closed renewal, with `arr` the expiring term's ARR and
 * `renewed` = `renewedArrMinor` of a won renewal (its `arr` when not recorded, i.e. a flat renewal):
 *
 * - churn       = arr                     when lost
 * - contraction = max(0, arr − renewed)   when won
 * - expansion   = max(0, renewed − arr)   when won
 *
 * and, summed over the cohort: startingArr = Σ arr, endingArr = startingArr − churn − contraction +
 * expansion (exactly Σ renewed over the won renewals).
 */
import { type CalendarDate, daysBetween } from '../calendar.ts';
import { scaleMinor } from '../money.ts';
import type { RenewalOutcome } from '../records.ts';
import { ForecastError } from './forecast-error.ts';

export type RetentionRow = {
  contractId: string;
  accountId: string;
  segment: string;
  ownerUserId: string | null;
  /** T-0: the end date of the expiring term. */
  dueDate: CalendarDate;
  /** ARR of the expiring term, reporting-currency minor units. */
  arrMinor: number;
  outcome: RenewalOutcome;
  /** ARR of the new term when won (reporting-currency minor units); `null` = same as `arrMinor`. */
  renewedArrMinor: number | null;
  closedOn: CalendarDate | null;
  /** Days between signature and the due date; when `null`, derived from `closedOn` of a won renewal. */
  signedDaysEarly: number | null;
  termYears: number | null;
  reasons: readonly string[];
  competitor: string | null;
  /** Discount granted on the new term, in basis points off the undiscounted price. */
  discountBps: number | null;
  /** Whether a save play ran on this renewal; `undefined` = not recorded. */
  savePlayRan?: boolean;
};

export type RetentionPolicy = {
  /** A renewal signed at least this many days before its due date is an early renewal (default 90). */
  earlyRenewalDays: number;
  /** A term of at least this many years is multi-year (default 2). */
  multiYearMinTerm: number;
  /** Losses to the same competitor that make a pattern (DOMAIN.md: "5 losses … is a pattern"; default 5). */
  competitorPatternThreshold: number;
  /** Losses citing the same reason that make a pattern (DOMAIN.md: "3 customers left because …"; default 3). */
  reasonPatternThreshold: number;
};

export const DEFAULT_RETENTION_POLICY: RetentionPolicy = {
  earlyRenewalDays: 90,
  multiYearMinTerm: 2,
  competitorPatternThreshold: 5,
  reasonPatternThreshold: 3,
};

/** Metrics of one cohort (the whole set, one segment or one owner). */
export type RetentionSummary = {
  /** Renewals in the cohort, by outcome. */
  renewals: number;
  won: number;
  lost: number;
  pending: number;
  /** Σ arr over closed renewals. */
  startingArrMinor: number;
  /** Σ arr over pending renewals (not in any ratio). */
  pendingArrMinor: number;
  churnArrMinor: number;
  contractionArrMinor: number;
  expansionArrMinor: number;
  /** startingArr − churn − contraction + expansion. */
  endingArrMinor: number;
  /** won / (won + lost). */
  renewalRateByCount: number | null;
  /** Σ arr of won / Σ arr of closed: the share of renewable ARR whose contract renewed (before contraction). */
  renewalRateByArr: number | null;
  /** GRR = min(1, (startingArr − churn − contraction) / startingArr). */
  grr: number | null;
  /** NRR = (startingArr − churn − contraction + expansion) / startingArr. */
  nrr: number | null;
  /** Won renewals signed ≥ `earlyRenewalDays` before the due date, over won renewals. */
  earlyRenewalRate: number | null;
  earlyRenewals: number;
  /** Mean days early over won renewals signed before their due date (late or on-time ones excluded). */
  averageDaysEarly: number | null;
  /**
   * Revenue pulled forward: Σ renewed × daysEarly / 365 over won renewals signed before their due
   * date, rounded once (a renewal 90 days early pulls ~25% of a year forward).
   */
  revenueAcceleratedMinor: number;
  /** Won renewals with termYears ≥ `multiYearMinTerm`, over won renewals (unknown term = single year). */
  multiYearAttachRate: number | null;
};

export type RetentionWaterfall = {
  startingArrMinor: number;
  churnArrMinor: number;
  contractionArrMinor: number;
  expansionArrMinor: number;
  endingArrMinor: number;
};

export type ReasonFrequency = {
  /** The reason as first written (trimmed); grouping ignores case and repeated spaces. */
  reason: string;
  won: number;
  lost: number;
  lostArrMinor: number;
  /** lost ≥ `reasonPatternThreshold`. */
  isPattern: boolean;
};

export type CompetitorPattern = {
  competitor: string;
  losses: number;
  lostArrMinor: number;
  /** Won renewals where this competitor was in the deal. */
  competitiveWins: number;
  /** losses ≥ `competitorPatternThreshold`. */
  isPattern: boolean;
};

export type SavePlayGroup = { renewals: number; won: number; winRate: number | null };

/**
 * Win rate of closed renewals with and without a save play. Descriptive, not causal: save plays run
 * on renewals already at risk, so a lift near zero can still mean the plays work.
 */
export type SavePlayEffectiveness = {
  withSavePlay: SavePlayGroup;
  withoutSavePlay: SavePlayGroup;
  /** Closed renewals where it was not recorded whether a save play ran. */
  notRecorded: number;
  /** withSavePlay.winRate − withoutSavePlay.winRate. */
  winRateLift: number | null;
};

/**
 * Early-renewal program return (DOMAIN.md section 6), an estimate:
 * - discountCost = Σ renewed × bps / (10 000 − bps) over early renewals (the price given up; `renewed`
 *   is the discounted ARR), each rounded once;
 * - churnAvoided = round(Σ arr of early renewals × standard churn rate), the standard churn rate being
 *   churn / startingArr over the closed renewals that were not early;
 * - roi = (churnAvoided + expansion of early renewals) / discountCost.
 */
export type EarlyProgramReturn = {
  earlyRenewals: number;
  retainedArrMinor: number;
  expansionArrMinor: number;
  discountCostMinor: number;
  standardChurnRate: number | null;
  churnAvoidedMinor: number;
  roi: number | null;
};

export type RetentionMetrics = RetentionSummary & {
  policy: RetentionPolicy;
  waterfall: RetentionWaterfall;
  bySegment: (RetentionSummary & { segment: string })[];
  byOwner: (RetentionSummary & { ownerUserId: string | null })[];
  earlyProgram: EarlyProgramReturn;
  winLoss: {
    reasons: ReasonFrequency[];
    competitors: CompetitorPattern[];
    savePlays: SavePlayEffectiveness;
  };
};

export type ComputeRetentionMetricsOptions = {
  rows: readonly RetentionRow[];
  /** Keep only renewals due in this range (inclusive); all rows when omitted. */
  period?: { start: CalendarDate; end: CalendarDate };
  policy?: Partial<RetentionPolicy>;
};

function ratio(numerator: number, denominator: number): number | null {
  return denominator === 0 ? null : numerator / denominator;
}

function checkMinor(row: RetentionRow, field: 'arrMinor' | 'renewedArrMinor', value: number): void {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new ForecastError(
      'invalid_input',
      `renewal ${row.contractId}: ${field} must be a non-negative integer of minor units, got ${value}`,
    );
  }
}

/** Days the renewal was signed before its due date, or `null` when unknown or not won. */
export function daysSignedEarly(row: RetentionRow): number | null {
  if (row.outcome !== 'won') return null;
  if (row.signedDaysEarly !== null) return row.signedDaysEarly;
  if (row.closedOn !== null) return daysBetween(row.closedOn, row.dueDate);
  return null;
}

function renewedArr(row: RetentionRow): number {
  return row.renewedArrMinor ?? row.arrMinor;
}

function summarize(rows: readonly RetentionRow[], policy: RetentionPolicy): RetentionSummary {
  let won = 0;
  let lost = 0;
  let pending = 0;
  let startingArr = 0;
  let wonArr = 0;
  let pendingArr = 0;
  let churn = 0;
  let contraction = 0;
  let expansion = 0;
  let earlyRenewals = 0;
  let signedEarly = 0;
  let daysEarlySum = 0;
  let acceleratedNumerator = 0n;
  let multiYear = 0;
  for (const row of rows) {
    if (row.outcome === 'pending') {
      pending++;
      pendingArr += row.arrMinor;
      continue;
    }
    startingArr += row.arrMinor;
    if (row.outcome === 'lost') {
      lost++;
      churn += row.arrMinor;
      continue;
    }
    won++;
    wonArr += row.arrMinor;
    const renewed = renewedArr(row);
    if (renewed < row.arrMinor) contraction += row.arrMinor - renewed;
    else expansion += renewed - row.arrMinor;
    const early = daysSignedEarly(row);
    if (early !== null && early >= policy.earlyRenewalDays) earlyRenewals++;
    if (early !== null && early > 0) {
      signedEarly++;
      daysEarlySum += early;
      acceleratedNumerator += BigInt(renewed) * BigInt(early);
    }
    if (row.termYears !== null && row.termYears >= policy.multiYearMinTerm) multiYear++;
  }
  const endingArr = startingArr - churn - contraction + expansion;
  const grr = ratio(startingArr - churn - contraction, startingArr);
  return {
    renewals: rows.length,
    won,
    lost,
    pending,
    startingArrMinor: startingArr,
    pendingArrMinor: pendingArr,
    churnArrMinor: churn,
    contractionArrMinor: contraction,
    expansionArrMinor: expansion,
    endingArrMinor: endingArr,
    renewalRateByCount: ratio(won, won + lost),
    renewalRateByArr: ratio(wonArr, startingArr),
    grr: grr === null ? null : Math.min(1, grr),
    nrr: ratio(endingArr, startingArr),
    earlyRenewalRate: ratio(earlyRenewals, won),
    earlyRenewals,
    averageDaysEarly: ratio(daysEarlySum, signedEarly),
    revenueAcceleratedMinor: Number((acceleratedNumerator * 2n + 365n) / 730n),
    multiYearAttachRate: ratio(multiYear, won),
  };
}

function groupBy<K>(rows: readonly RetentionRow[], key: (row: RetentionRow) => K): Map<K, RetentionRow[]> {
  const groups = new Map<K, RetentionRow[]>();
  for (const row of rows) {
    const k = key(row);
    const group = groups.get(k);
    if (group) group.push(row);
    else groups.set(k, [row]);
  }
  return groups;
}

function compareKeys(a: string | null, b: string | null): number {
  if (a === b) return 0;
  if (a === null) return 1;
  if (b === null) return -1;
  return a < b ? -1 : 1;
}

/** Grouping key of free text: trimmed, lower-cased, runs of white space collapsed. */
function textKey(text: string): string {
  return text.trim().toLowerCase().replace(/\s+/g, ' ');
}

function reasonFrequencies(closed: readonly RetentionRow[], threshold: number): ReasonFrequency[] {
  const byKey = new Map<string, ReasonFrequency>();
  for (const row of closed) {
    const seen = new Set<string>();
    for (const reason of row.reasons) {
      const key = textKey(reason);
      if (key === '' || seen.has(key)) continue;
      seen.add(key);
      let entry = byKey.get(key);
      if (!entry) {
        entry = { reason: reason.trim(), won: 0, lost: 0, lostArrMinor: 0, isPattern: false };
        byKey.set(key, entry);
      }
      if (row.outcome === 'won') entry.won++;
      else {
        entry.lost++;
        entry.lostArrMinor += row.arrMinor;
      }
    }
  }
  const entries = [...byKey.values()];
  for (const entry of entries) entry.isPattern = entry.lost >= threshold;
  return entries.sort(
    (a, b) =>
      b.lost - a.lost ||
      b.won + b.lost - (a.won + a.lost) ||
      compareKeys(textKey(a.reason), textKey(b.reason)),
  );
}

function competitorPatterns(closed: readonly RetentionRow[], threshold: number): CompetitorPattern[] {
  const byKey = new Map<string, CompetitorPattern>();
  for (const row of closed) {
    if (row.competitor === null) continue;
    const key = textKey(row.competitor);
    if (key === '') continue;
    let entry = byKey.get(key);
    if (!entry) {
      entry = {
        competitor: row.competitor.trim(),
        losses: 0,
        lostArrMinor: 0,
        competitiveWins: 0,
        isPattern: false,
      };
      byKey.set(key, entry);
    }
    if (row.outcome === 'won') entry.competitiveWins++;
    else {
      entry.losses++;
      entry.lostArrMinor += row.arrMinor;
    }
  }
  const entries = [...byKey.values()];
  for (const entry of entries) entry.isPattern = entry.losses >= threshold;
  return entries.sort(
    (a, b) =>
      b.losses - a.losses ||
      b.lostArrMinor - a.lostArrMinor ||
      compareKeys(textKey(a.competitor), textKey(b.competitor)),
  );
}

function savePlayEffectiveness(closed: readonly RetentionRow[]): SavePlayEffectiveness {
  const withPlay: SavePlayGroup = { renewals: 0, won: 0, winRate: null };
  const withoutPlay: SavePlayGroup = { renewals: 0, won: 0, winRate: null };
  let notRecorded = 0;
  for (const row of closed) {
    if (row.savePlayRan === undefined) {
      notRecorded++;
      continue;
    }
    const group = row.savePlayRan ? withPlay : withoutPlay;
    group.renewals++;
    if (row.outcome === 'won') group.won++;
  }
  withPlay.winRate = ratio(withPlay.won, withPlay.renewals);
  withoutPlay.winRate = ratio(withoutPlay.won, withoutPlay.renewals);
  return {
    withSavePlay: withPlay,
    withoutSavePlay: withoutPlay,
    notRecorded,
    winRateLift:
      withPlay.winRate === null || withoutPlay.winRate === null
        ? null
        : withPlay.winRate - withoutPlay.winRate,
  };
}

function earlyProgramReturn(closed: readonly RetentionRow[], policy: RetentionPolicy): EarlyProgramReturn {
  let earlyRenewals = 0;
  let earlyArr = 0;
  let retained = 0;
  let expansion = 0;
  let discountCost = 0;
  let standardArr = 0;
  let standardChurn = 0;
  for (const row of closed) {
    const early = daysSignedEarly(row);
    if (row.outcome === 'won' && early !== null && early >= policy.earlyRenewalDays) {
      const renewed = renewedArr(row);
      earlyRenewals++;
      earlyArr += row.arrMinor;
      retained += Math.min(renewed, row.arrMinor);
      expansion += Math.max(0, renewed - row.arrMinor);
      const bps = row.discountBps ?? 0;
      if (bps > 0 && bps < 10_000) discountCost += scaleMinor(renewed, bps, 10_000 - bps);
    } else {
      standardArr += row.arrMinor;
      if (row.outcome === 'lost') standardChurn += row.arrMinor;
    }
  }
  const standardChurnRate = ratio(standardChurn, standardArr);
  const churnAvoided = standardChurnRate === null ? 0 : Math.round(earlyArr * standardChurnRate);
  return {
    earlyRenewals,
    retainedArrMinor: retained,
    expansionArrMinor: expansion,
    discountCostMinor: discountCost,
    standardChurnRate,
    churnAvoidedMinor: churnAvoided,
    roi: ratio(churnAvoided + expansion, discountCost),
  };
}

export function computeRetentionMetrics({
  rows,
  period,
  policy: policyOverrides = {},
}: ComputeRetentionMetricsOptions): RetentionMetrics {
  const policy: RetentionPolicy = { ...DEFAULT_RETENTION_POLICY, ...policyOverrides };
  for (const row of rows) {
    checkMinor(row, 'arrMinor', row.arrMinor);
    if (row.renewedArrMinor !== null) checkMinor(row, 'renewedArrMinor', row.renewedArrMinor);
  }
  const cohort = period
    ? rows.filter((row) => row.dueDate >= period.start && row.dueDate <= period.end)
    : [...rows];
  const closed = cohort.filter((row) => row.outcome !== 'pending');
  const total = summarize(cohort, policy);
  const bySegment = [...groupBy(cohort, (row) => row.segment)]
    .map(([segment, group]) => ({ segment, ...summarize(group, policy) }))
    .sort((a, b) => compareKeys(a.segment, b.segment));
  const byOwner = [...groupBy(cohort, (row) => row.ownerUserId)]
    .map(([ownerUserId, group]) => ({ ownerUserId, ...summarize(group, policy) }))
    .sort((a, b) => compareKeys(a.ownerUserId, b.ownerUserId));
  return {
    ...total,
    policy,
    waterfall: {
      startingArrMinor: total.startingArrMinor,
      churnArrMinor: total.churnArrMinor,
      contractionArrMinor: total.contractionArrMinor,
      expansionArrMinor: total.expansionArrMinor,
      endingArrMinor: total.endingArrMinor,
    },
    bySegment,
    byOwner,
    earlyProgram: earlyProgramReturn(closed, policy),
    winLoss: {
      reasons: reasonFrequencies(closed, policy.reasonPatternThreshold),
      competitors: competitorPatterns(closed, policy.competitorPatternThreshold),
      savePlays: savePlayEffectiveness(closed),
    },
  };
}
