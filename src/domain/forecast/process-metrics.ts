/**
 * Renewal process metrics (DOMAIN.md section 4, "Track: success rate by timeline adherence, time per
 * phase, common stall points"; section 2, team time per segment): how well the playbook was kept and
 * whether keeping it paid off, how long renewals sit in each stage, the team hours a renewal took
 * against its segment's budget, and where open renewals stall. Pure: the engine gathers each
 * renewal's tasks and stage changes, `asOf` is an argument. Definitions in docs/METRICS.md.
 *
 * The cohort is the renewals due in the period (both ends inclusive). Adherence and hours are taken
 * over its closed renewals, stalls over its open ones as of `asOf`, the last stage before loss over
 * its lost ones. The reference median a stall is judged against comes from every completed stay in
 * the whole input, so a thin period is still judged against the tenant's history.
 */
import { type CalendarDate, daysBetween } from '../calendar.ts';
import { normalizeStage } from '../estimate-renewal-probability.ts';
import { LATE_STAGES } from '../plan-escalations.ts';
import type { RenewalOutcome } from '../records.ts';
import { ForecastError } from './forecast-error.ts';

export type ProcessTask = {
  /** The playbook milestone the task belongs to, e.g. `T-90`. */
  milestone: string;
  dueDate: CalendarDate;
  /** `open`, `done`, `snoozed` or `skipped` (a step the playbook skipped: not judged). */
  status: string;
  completedOn: CalendarDate | null;
  estimateHours: number | null;
  /** Hours logged when the task was completed; `null` when not logged. */
  spentHours: number | null;
};

export type StageChange = {
  /** The calendar day (UTC) of the change. */
  on: CalendarDate;
  from: string | null;
  to: string | null;
};

export type ProcessRenewal = {
  contractId: string;
  segment: string;
  dueDate: CalendarDate;
  /** ARR of the expiring term, reporting-currency minor units. */
  arrMinor: number;
  outcome: RenewalOutcome;
  closedOn: CalendarDate | null;
  /** When the renewal's process began (its first evaluation); `null` when unknown. */
  startedOn: CalendarDate | null;
  /** The stage recorded now. */
  stage: string | null;
  /** Stage changes in any order (sorted here by day, stable). */
  stageChanges: readonly StageChange[];
  tasks: readonly ProcessTask[];
};

export type EffortBudget = { minHours: number; maxHours: number };

export type ProcessPolicy = {
  /** Adherence at or above this is `high` (default 0.8). */
  highAdherence: number;
  /** Adherence at or above this (and below `highAdherence`) is `medium` (default 0.5). */
  mediumAdherence: number;
  /** An open renewal in a stage longer than this multiple of the stage's median is stalled (default 2). */
  stallMedianMultiple: number;
  /** Completed stays a stage needs before its median is trusted as a reference (default 3). */
  minStaysForMedian: number;
  /** From this many days before the due date a renewal not in a late stage is stalled (T-14 rule, default 14). */
  lateStageByDaysBefore: number;
  /** Team-hours budget per segment key (policy `effortBudgets`). */
  effortBudgets: Readonly<Record<string, EffortBudget>>;
};

export const DEFAULT_PROCESS_POLICY: ProcessPolicy = {
  highAdherence: 0.8,
  mediumAdherence: 0.5,
  stallMedianMultiple: 2,
  minStaysForMedian: 3,
  lateStageByDaysBefore: 14,
  effortBudgets: {
    enterprise: { minHours: 15, maxHours: 25 },
    mid_market: { minHours: 5, maxHours: 10 },
    smb: { minHours: 1, maxHours: 3 },
  },
};

export const ADHERENCE_BUCKETS = ['high', 'medium', 'low', 'no_tasks'] as const;
export type AdherenceBucketKey = (typeof ADHERENCE_BUCKETS)[number];

export type AdherenceBucket = {
  bucket: AdherenceBucketKey;
  renewals: number;
  won: number;
  lost: number;
  /** won / renewals. */
  winRateByCount: number | null;
  arrMinor: number;
  wonArrMinor: number;
  /** Σ arr of won / Σ arr. */
  winRateByArr: number | null;
};

export type TimelineAdherence = {
  /** Closed renewals with at least one judged task. */
  judged: number;
  /** Mean adherence over the judged renewals. */
  meanAdherence: number | null;
  buckets: AdherenceBucket[];
  bySegment: { segment: string; judged: number; meanAdherence: number | null; buckets: AdherenceBucket[] }[];
};

export type PhaseDuration = {
  /** The stage (normalized); `null` = no stage set yet. */
  stage: string | null;
  /** Completed stays in the stage. */
  stays: number;
  medianDays: number | null;
  p90Days: number | null;
  meanDays: number | null;
};

export type TimePerPhase = {
  stages: PhaseDuration[];
  bySegment: { segment: string; stages: PhaseDuration[] }[];
};

export type HoursSummary = {
  /** Closed renewals with at least one task (the ones whose effort is known). */
  renewals: number;
  /** Closed renewals without any task (effort unknown, left out). */
  withoutTasks: number;
  medianHours: number | null;
  meanHours: number | null;
  /** Tasks whose hours were logged, and done tasks counted at their estimate instead. */
  loggedTasks: number;
  estimatedTasks: number;
  /** Renewals above the budget's maximum (only where the segment has a budget). */
  overBudget: number;
  overBudgetShare: number | null;
};

export type TeamHours = HoursSummary & {
  bySegment: (HoursSummary & { segment: string; budget: EffortBudget | null })[];
};

export type StallReason = 'over_median' | 'not_late_at_deadline';

export type OpenRenewalStall = {
  contractId: string;
  segment: string;
  dueDate: CalendarDate;
  stage: string | null;
  /** Since this day in the stage; `null` when unknown. */
  inStageSince: CalendarDate | null;
  daysInStage: number | null;
  stageMedianDays: number | null;
  stalled: boolean;
  reasons: StallReason[];
  overdueTasks: number;
  /** Milestones with an overdue open task. */
  overdueMilestones: string[];
};

export type StallPoints = {
  open: number;
  stalled: number;
  /** The stalled renewals, soonest due first. */
  stalledRenewals: OpenRenewalStall[];
  byStage: { stage: string | null; open: number; stalled: number; medianDays: number | null }[];
  byMilestone: { milestone: string; renewals: number; overdueTasks: number; stalled: number }[];
  /** Lost renewals by the last stage they held before the loss. */
  lostAfterStage: { stage: string | null; lost: number; lostArrMinor: number }[];
};

export type ProcessMetrics = {
  policy: Omit<ProcessPolicy, 'effortBudgets'> & { lateStages: readonly string[] };
  timelineAdherence: TimelineAdherence;
  timePerPhase: TimePerPhase;
  teamHours: TeamHours;
  stalls: StallPoints;
};

export type ComputeProcessMetricsOptions = {
  renewals: readonly ProcessRenewal[];
  period: { start: CalendarDate; end: CalendarDate };
  asOf: CalendarDate;
  policy?: Partial<ProcessPolicy>;
};

function ratio(numerator: number, denominator: number): number | null {
  return denominator === 0 ? null : numerator / denominator;
}

/** Median of the values (the mean of the two middle ones for an even count); `null` when empty. */
export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Nearest-rank percentile: the ⌈p·n⌉-th smallest value; `null` when empty. */
export function percentile(values: readonly number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)]!;
}

function mean(values: readonly number[]): number | null {
  return values.length === 0 ? null : values.reduce((sum, v) => sum + v, 0) / values.length;
}

function stageKey(stage: string | null): string | null {
  if (stage === null) return null;
  const key = normalizeStage(stage);
  return key === '' ? null : key;
}

function isTerminal(stage: string | null): boolean {
  return stage?.startsWith('closed_') === true;
}

function compareKeys(a: string | null, b: string | null): number {
  if (a === b) return 0;
  if (a === null) return 1;
  if (b === null) return -1;
  return a < b ? -1 : 1;
}

function groupBy<T, K>(items: readonly T[], key: (item: T) => K): Map<K, T[]> {
  const groups = new Map<K, T[]>();
  for (const item of items) {
    const k = key(item);
    const group = groups.get(k);
    if (group) group.push(item);
    else groups.set(k, [item]);
  }
  return groups;
}

function checkHours(renewal: ProcessRenewal, field: string, value: number | null): void {
  if (value !== null && (!Number.isFinite(value) || value < 0)) {
    throw new ForecastError(
      'invalid_input',
      `renewal ${renewal.contractId}: task ${field} must be a non-negative number of hours, got ${value}`,
    );
  }
}

// --- timeline adherence --------------------------------------------------------------------------

/**
 * Share of a renewal's judged tasks completed on or before their due date. Judged: every done task,
 * and every task not done whose due date passed before the renewal closed (`asOf` when still open);
 * skipped steps are not judged. `null` when nothing was judged.
 */
export function timelineAdherence(renewal: ProcessRenewal, asOf: CalendarDate): number | null {
  const cutoff = renewal.closedOn ?? asOf;
  let judged = 0;
  let onTime = 0;
  for (const task of renewal.tasks) {
    if (task.status === 'skipped') continue;
    if (task.status === 'done' && task.completedOn !== null) {
      judged++;
      if (task.completedOn <= task.dueDate) onTime++;
    } else if (task.dueDate < cutoff) judged++;
  }
  return judged === 0 ? null : onTime / judged;
}

function bucketOf(adherence: number | null, policy: ProcessPolicy): AdherenceBucketKey {
  if (adherence === null) return 'no_tasks';
  if (adherence >= policy.highAdherence) return 'high';
  if (adherence >= policy.mediumAdherence) return 'medium';
  return 'low';
}

function adherenceOf(
  closed: readonly { renewal: ProcessRenewal; adherence: number | null }[],
  policy: ProcessPolicy,
) {
  const buckets = ADHERENCE_BUCKETS.map((bucket) => {
    const members = closed.filter(({ adherence }) => bucketOf(adherence, policy) === bucket);
    const won = members.filter(({ renewal }) => renewal.outcome === 'won');
    const arr = members.reduce((sum, { renewal }) => sum + renewal.arrMinor, 0);
    const wonArr = won.reduce((sum, { renewal }) => sum + renewal.arrMinor, 0);
    return {
      bucket,
      renewals: members.length,
      won: won.length,
      lost: members.length - won.length,
      winRateByCount: ratio(won.length, members.length),
      arrMinor: arr,
      wonArrMinor: wonArr,
      winRateByArr: ratio(wonArr, arr),
    };
  });
  const judged = closed.flatMap(({ adherence }) => (adherence === null ? [] : [adherence]));
  return { judged: judged.length, meanAdherence: mean(judged), buckets };
}

// --- stages --------------------------------------------------------------------------------------

type Stay = { stage: string | null; since: CalendarDate | null; until: CalendarDate | null };

/**
 * The renewal's stays in its stages, oldest first. The first stage (the `from` of the first change,
 * or the current stage when nothing changed) starts on `startedOn`; each change ends one stay and
 * starts the next. A stay still running has `until` = null; terminal stages (`closed_…`) make no stay.
 */
export function stageStays(renewal: ProcessRenewal): Stay[] {
  const changes = [...renewal.stageChanges].sort((a, b) => (a.on < b.on ? -1 : a.on > b.on ? 1 : 0));
  const stays: Stay[] = [];
  let current = stageKey(changes.length > 0 ? changes[0]!.from : renewal.stage);
  let since = renewal.startedOn;
  if (since !== null && changes.length > 0 && changes[0]!.on < since) since = changes[0]!.on;
  for (const change of changes) {
    if (!isTerminal(current)) stays.push({ stage: current, since, until: change.on });
    current = stageKey(change.to);
    since = change.on;
  }
  if (!isTerminal(current)) {
    const closedOn = renewal.outcome === 'pending' ? null : renewal.closedOn;
    stays.push({ stage: current, since, until: closedOn });
  }
  return stays;
}

function completedDays(stay: Stay): number | null {
  return stay.since === null || stay.until === null ? null : daysBetween(stay.since, stay.until);
}

function phaseDurations(renewals: readonly ProcessRenewal[]): PhaseDuration[] {
  const byStage = new Map<string | null, number[]>();
  for (const renewal of renewals) {
    for (const stay of stageStays(renewal)) {
      if (renewal.outcome === 'pending' && stay.until === null) continue;
      const days = completedDays(stay);
      if (days === null || days < 0) continue;
      const list = byStage.get(stay.stage);
      if (list) list.push(days);
      else byStage.set(stay.stage, [days]);
    }
  }
  return [...byStage]
    .map(([stage, days]) => ({
      stage,
      stays: days.length,
      medianDays: median(days),
      p90Days: percentile(days, 0.9),
      meanDays: mean(days),
    }))
    .sort((a, b) => compareKeys(a.stage, b.stage));
}

// --- team hours ----------------------------------------------------------------------------------

/**
 * Hours a renewal took: logged hours of every task that has them, plus the estimate of each done task
 * without logged hours. `null` when the renewal has no task at all.
 */
export function renewalHours(
  renewal: ProcessRenewal,
): { hours: number; logged: number; estimated: number } | null {
  if (renewal.tasks.length === 0) return null;
  let hours = 0;
  let logged = 0;
  let estimated = 0;
  for (const task of renewal.tasks) {
    if (task.spentHours !== null) {
      hours += task.spentHours;
      logged++;
    } else if (task.status === 'done' && task.estimateHours !== null) {
      hours += task.estimateHours;
      estimated++;
    }
  }
  return { hours, logged, estimated };
}

function hoursOf(closed: readonly ProcessRenewal[], budgetOf: (segment: string) => EffortBudget | null) {
  const hours: number[] = [];
  let withoutTasks = 0;
  let logged = 0;
  let estimated = 0;
  let overBudget = 0;
  let budgeted = 0;
  for (const renewal of closed) {
    const effort = renewalHours(renewal);
    if (effort === null) {
      withoutTasks++;
      continue;
    }
    hours.push(effort.hours);
    logged += effort.logged;
    estimated += effort.estimated;
    const budget = budgetOf(renewal.segment);
    if (budget) {
      budgeted++;
      if (effort.hours > budget.maxHours) overBudget++;
    }
  }
  return {
    renewals: hours.length,
    withoutTasks,
    medianHours: median(hours),
    meanHours: mean(hours),
    loggedTasks: logged,
    estimatedTasks: estimated,
    overBudget,
    overBudgetShare: ratio(overBudget, budgeted),
  };
}

// --- stalls --------------------------------------------------------------------------------------

/** An open (not done, not skipped) task whose due date has passed. */
function isOverdue(task: ProcessTask, asOf: CalendarDate): boolean {
  return task.status !== 'done' && task.status !== 'skipped' && task.dueDate < asOf;
}

function openStall(
  renewal: ProcessRenewal,
  asOf: CalendarDate,
  medians: ReadonlyMap<string | null, number>,
  policy: ProcessPolicy,
): OpenRenewalStall {
  const last = stageStays(renewal).at(-1);
  const running = last !== undefined && last.until === null;
  const stage = running ? last.stage : stageKey(renewal.stage);
  const since = running ? last.since : null;
  const daysInStage = since === null ? null : Math.max(0, daysBetween(since, asOf));
  const stageMedian = medians.get(stage) ?? null;
  const reasons: StallReason[] = [];
  if (
    daysInStage !== null &&
    stageMedian !== null &&
    daysInStage > policy.stallMedianMultiple * stageMedian
  ) {
    reasons.push('over_median');
  }
  const deadline = daysBetween(asOf, renewal.dueDate) <= policy.lateStageByDaysBefore;
  if (deadline && (stage === null || !LATE_STAGES.includes(stage))) reasons.push('not_late_at_deadline');
  const overdue = renewal.tasks.filter((task) => isOverdue(task, asOf));
  return {
    contractId: renewal.contractId,
    segment: renewal.segment,
    dueDate: renewal.dueDate,
    stage,
    inStageSince: since,
    daysInStage,
    stageMedianDays: stageMedian,
    stalled: reasons.length > 0,
    reasons,
    overdueTasks: overdue.length,
    overdueMilestones: [...new Set(overdue.map((task) => task.milestone))].sort(),
  };
}

/** The last stage a lost renewal held before it was closed lost; `null` when none was recorded. */
export function lastStageBeforeLoss(renewal: ProcessRenewal): string | null {
  const stays = stageStays(renewal);
  return stays.at(-1)?.stage ?? null;
}

function stallPoints(
  cohort: readonly ProcessRenewal[],
  all: readonly ProcessRenewal[],
  asOf: CalendarDate,
  policy: ProcessPolicy,
): StallPoints {
  const medians = new Map<string | null, number>();
  for (const phase of phaseDurations(all)) {
    if (phase.stays >= policy.minStaysForMedian && phase.medianDays !== null) {
      medians.set(phase.stage, phase.medianDays);
    }
  }
  const open = cohort
    .filter((renewal) => renewal.outcome === 'pending')
    .map((renewal) => ({ renewal, stall: openStall(renewal, asOf, medians, policy) }));
  const byStage = [
    ...groupBy(
      open.map(({ stall }) => stall),
      (item) => item.stage,
    ),
  ]
    .map(([stage, items]) => ({
      stage,
      open: items.length,
      stalled: items.filter((item) => item.stalled).length,
      medianDays: medians.get(stage) ?? null,
    }))
    .sort((a, b) => b.stalled - a.stalled || b.open - a.open || compareKeys(a.stage, b.stage));
  const milestones = new Map<string, { renewals: number; overdueTasks: number; stalled: number }>();
  for (const { renewal, stall } of open) {
    for (const milestone of stall.overdueMilestones) {
      const entry = milestones.get(milestone) ?? { renewals: 0, overdueTasks: 0, stalled: 0 };
      entry.renewals++;
      entry.overdueTasks += renewal.tasks.filter(
        (task) => task.milestone === milestone && isOverdue(task, asOf),
      ).length;
      if (stall.stalled) entry.stalled++;
      milestones.set(milestone, entry);
    }
  }
  const lost = cohort.filter((renewal) => renewal.outcome === 'lost');
  const lostAfterStage = [...groupBy(lost, lastStageBeforeLoss)]
    .map(([stage, items]) => ({
      stage,
      lost: items.length,
      lostArrMinor: items.reduce((sum, item) => sum + item.arrMinor, 0),
    }))
    .sort((a, b) => b.lost - a.lost || compareKeys(a.stage, b.stage));
  const stalled = open
    .map(({ stall }) => stall)
    .filter((item) => item.stalled)
    .sort((a, b) => compareKeys(a.dueDate, b.dueDate) || compareKeys(a.contractId, b.contractId));
  return {
    open: open.length,
    stalled: stalled.length,
    stalledRenewals: stalled,
    byStage,
    byMilestone: [...milestones]
      .map(([milestone, entry]) => ({ milestone, ...entry }))
      .sort((a, b) => b.renewals - a.renewals || compareKeys(a.milestone, b.milestone)),
    lostAfterStage,
  };
}

// --- all together --------------------------------------------------------------------------------

export function computeProcessMetrics({
  renewals,
  period,
  asOf,
  policy: overrides = {},
}: ComputeProcessMetricsOptions): ProcessMetrics {
  const policy: ProcessPolicy = { ...DEFAULT_PROCESS_POLICY, ...overrides };
  for (const renewal of renewals) {
    for (const task of renewal.tasks) {
      checkHours(renewal, 'estimateHours', task.estimateHours);
      checkHours(renewal, 'spentHours', task.spentHours);
    }
  }
  // Stage changes after `asOf` are not known yet.
  const known = renewals.map((renewal) => ({
    ...renewal,
    stageChanges: renewal.stageChanges.filter((change) => change.on <= asOf),
  }));
  const cohort = known.filter((renewal) => renewal.dueDate >= period.start && renewal.dueDate <= period.end);
  const closed = cohort.filter((renewal) => renewal.outcome !== 'pending');
  const withAdherence = closed.map((renewal) => ({ renewal, adherence: timelineAdherence(renewal, asOf) }));
  const segments = [...new Set(cohort.map((renewal) => renewal.segment))].sort();
  const budgetOf = (segment: string): EffortBudget | null => policy.effortBudgets[segment] ?? null;
  const { effortBudgets: _budgets, ...thresholds } = policy;
  return {
    policy: { ...thresholds, lateStages: LATE_STAGES },
    timelineAdherence: {
      ...adherenceOf(withAdherence, policy),
      bySegment: segments
        .map((segment) => ({
          segment,
          ...adherenceOf(
            withAdherence.filter(({ renewal }) => renewal.segment === segment),
            policy,
          ),
        }))
        .filter((entry) => entry.buckets.some((bucket) => bucket.renewals > 0)),
    },
    timePerPhase: {
      stages: phaseDurations(cohort),
      bySegment: segments
        .map((segment) => ({
          segment,
          stages: phaseDurations(cohort.filter((renewal) => renewal.segment === segment)),
        }))
        .filter((entry) => entry.stages.length > 0),
    },
    teamHours: {
      ...hoursOf(closed, budgetOf),
      bySegment: segments
        .filter((segment) => closed.some((renewal) => renewal.segment === segment))
        .map((segment) => ({
          segment,
          budget: budgetOf(segment),
          ...hoursOf(
            closed.filter((renewal) => renewal.segment === segment),
            budgetOf,
          ),
        })),
    },
    stalls: stallPoints(cohort, known, asOf, policy),
  };
}
