import { describe, expect, it } from 'vitest';
import { ForecastError } from './forecast-error.ts';
import {
  computeProcessMetrics,
  lastStageBeforeLoss,
  median,
  type ProcessRenewal,
  type ProcessTask,
  percentile,
  renewalHours,
  stageStays,
  timelineAdherence,
} from './process-metrics.ts';

function task(overrides: Partial<ProcessTask> = {}): ProcessTask {
  return {
    milestone: 'T-60',
    dueDate: '2026-02-01',
    status: 'done',
    completedOn: '2026-02-01',
    estimateHours: null,
    spentHours: null,
    ...overrides,
  };
}

function renewal(overrides: Partial<ProcessRenewal> = {}): ProcessRenewal {
  return {
    contractId: 'C-1',
    segment: 'mid_market',
    dueDate: '2026-03-31',
    arrMinor: 1_000_000,
    outcome: 'won',
    closedOn: '2026-03-01',
    startedOn: null,
    stage: null,
    stageChanges: [],
    tasks: [],
    ...overrides,
  };
}

const onTime = (due: string, extra: Partial<ProcessTask> = {}) =>
  task({ dueDate: due, completedOn: due, ...extra });
const late = (due: string, done: string, extra: Partial<ProcessTask> = {}) =>
  task({ dueDate: due, completedOn: done, ...extra });

/**
 * Hand-computed book, period 2026-01-01..2026-06-30, as of 2026-07-01:
 * R1 enterprise won 1,000,000 — prep 30 d, proposal 30 d, negotiation 25 d; 4/5 tasks on time (0.8,
 *    high); hours 4+5+6 logged + 2+3 estimated = 20 (budget 15–25: within).
 * R2 enterprise lost 500,000 — prep 10 d, proposal 94 d, lost from proposal; 1 on time, 1 late, 1 open
 *    past due before the close, 1 open due after the close (not judged): 1/3 (low); 10+20 = 30 h (over).
 * R3 smb won 5,000 — no tasks, no stage history.
 * R4 smb won 8,000 — no stage 20 d, proposal 41 d; 2/3 on time (medium); 1+1+2 = 4 h (budget 1–3: over).
 * R5 mid_market pending 50,000 due 2026-06-20 — no stage 28 d, then in proposal since 2026-03-01 (122 d);
 *    overdue T-30 and T-14 tasks.
 * R6 mid_market pending 20,000 due 2026-06-30 — proposal 45 d, negotiation since 2026-06-15 (16 d).
 * R7 outside the period (due 2026-09-30) — proposal 10 d: counts only toward the reference medians.
 */
const BOOK: ProcessRenewal[] = [
  renewal({
    contractId: 'R1',
    segment: 'enterprise',
    arrMinor: 1_000_000,
    dueDate: '2026-03-31',
    closedOn: '2026-03-01',
    startedOn: '2025-12-06',
    stage: 'closed_won',
    stageChanges: [
      { on: '2026-02-04', from: 'proposal', to: 'negotiation' },
      { on: '2026-01-05', from: 'prep', to: 'proposal' },
      { on: '2026-03-01', from: 'negotiation', to: 'closed_won' },
    ],
    tasks: [
      onTime('2025-12-10', { milestone: 'T-120', spentHours: 4 }),
      onTime('2026-01-01', { milestone: 'T-90', spentHours: 5 }),
      onTime('2026-01-30', { milestone: 'T-60', spentHours: 6 }),
      onTime('2026-02-14', { milestone: 'T-45', estimateHours: 2 }),
      late('2026-03-01', '2026-03-03', { milestone: 'T-30', estimateHours: 3 }),
    ],
  }),
  renewal({
    contractId: 'R2',
    segment: 'enterprise',
    arrMinor: 500_000,
    outcome: 'lost',
    dueDate: '2026-04-30',
    closedOn: '2026-04-15',
    startedOn: '2026-01-01',
    stage: 'closed_lost',
    stageChanges: [
      { on: '2026-01-11', from: 'prep', to: 'proposal' },
      { on: '2026-04-15', from: 'proposal', to: 'closed_lost' },
    ],
    tasks: [
      onTime('2026-01-31', { milestone: 'T-90', spentHours: 10 }),
      late('2026-03-01', '2026-03-20', { milestone: 'T-60', spentHours: 20 }),
      task({ milestone: 'T-30', dueDate: '2026-04-01', status: 'open', completedOn: null, estimateHours: 8 }),
      task({ milestone: 'T-14', dueDate: '2026-04-20', status: 'open', completedOn: null, estimateHours: 8 }),
    ],
  }),
  renewal({
    contractId: 'R3',
    segment: 'smb',
    arrMinor: 5_000,
    dueDate: '2026-05-31',
    closedOn: '2026-05-20',
    stage: 'closed_won',
  }),
  renewal({
    contractId: 'R4',
    segment: 'smb',
    arrMinor: 8_000,
    dueDate: '2026-06-15',
    closedOn: '2026-06-01',
    startedOn: '2026-04-01',
    stage: 'closed_won',
    stageChanges: [
      { on: '2026-04-21', from: null, to: 'Proposal' },
      { on: '2026-06-01', from: 'Proposal', to: 'closed_won' },
    ],
    tasks: [
      onTime('2026-04-15', { milestone: 'T-60', spentHours: 1 }),
      onTime('2026-05-15', { milestone: 'T-30', spentHours: 1 }),
      late('2026-05-01', '2026-05-10', { milestone: 'T-45', spentHours: 2 }),
    ],
  }),
  renewal({
    contractId: 'R5',
    arrMinor: 50_000,
    outcome: 'pending',
    closedOn: null,
    dueDate: '2026-06-20',
    startedOn: '2026-02-01',
    stage: 'proposal',
    stageChanges: [{ on: '2026-03-01', from: null, to: 'proposal' }],
    tasks: [
      onTime('2026-04-20', { milestone: 'T-60' }),
      task({ milestone: 'T-30', dueDate: '2026-05-21', status: 'open', completedOn: null }),
      task({ milestone: 'T-14', dueDate: '2026-06-06', status: 'snoozed', completedOn: null }),
      task({ milestone: 'T-7', dueDate: '2026-06-13', status: 'skipped', completedOn: null }),
    ],
  }),
  renewal({
    contractId: 'R6',
    arrMinor: 20_000,
    outcome: 'pending',
    closedOn: null,
    dueDate: '2026-06-30',
    startedOn: '2026-05-01',
    stage: 'negotiation',
    stageChanges: [{ on: '2026-06-15', from: 'proposal', to: 'negotiation' }],
    tasks: [onTime('2026-05-31', { milestone: 'T-30' })],
  }),
  renewal({
    contractId: 'R7',
    outcome: 'pending',
    closedOn: null,
    dueDate: '2026-09-30',
    startedOn: '2026-03-01',
    stage: 'negotiation',
    stageChanges: [{ on: '2026-03-11', from: 'proposal', to: 'negotiation' }],
  }),
];

const metrics = computeProcessMetrics({
  renewals: BOOK,
  period: { start: '2026-01-01', end: '2026-06-30' },
  asOf: '2026-07-01',
});

describe('median and percentile', () => {
  it('takes the middle value, the mean of the two middle ones, and the nearest rank', () => {
    expect(median([])).toBeNull();
    expect(median([5, 1, 3])).toBe(3);
    expect(median([94, 30, 41, 45])).toBe(43);
    expect(percentile([94, 30, 41, 45], 0.9)).toBe(94);
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.9)).toBe(9);
    expect(percentile([7], 0.9)).toBe(7);
  });
});

describe('timeline adherence', () => {
  it('counts done-on-time over done tasks and tasks left open past due before the close', () => {
    expect(timelineAdherence(BOOK[0]!, '2026-07-01')).toBe(0.8);
    expect(timelineAdherence(BOOK[1]!, '2026-07-01')).toBeCloseTo(1 / 3, 12);
    expect(timelineAdherence(BOOK[2]!, '2026-07-01')).toBeNull();
  });

  it('judges an open renewal against as-of and ignores skipped steps', () => {
    // R5: T-60 on time; T-30 and T-14 open past due; T-7 skipped.
    expect(timelineAdherence(BOOK[4]!, '2026-07-01')).toBeCloseTo(1 / 3, 12);
    expect(timelineAdherence(BOOK[4]!, '2026-05-01')).toBe(1);
  });

  it('buckets closed renewals at the thresholds (0.8 is high, 0.5 is medium) with win rates by count and ARR', () => {
    expect(metrics.timelineAdherence.judged).toBe(3);
    expect(metrics.timelineAdherence.meanAdherence).toBeCloseTo((0.8 + 1 / 3 + 2 / 3) / 3, 12);
    expect(metrics.timelineAdherence.buckets).toEqual([
      {
        bucket: 'high',
        renewals: 1,
        won: 1,
        lost: 0,
        winRateByCount: 1,
        arrMinor: 1_000_000,
        wonArrMinor: 1_000_000,
        winRateByArr: 1,
      },
      {
        bucket: 'medium',
        renewals: 1,
        won: 1,
        lost: 0,
        winRateByCount: 1,
        arrMinor: 8_000,
        wonArrMinor: 8_000,
        winRateByArr: 1,
      },
      {
        bucket: 'low',
        renewals: 1,
        won: 0,
        lost: 1,
        winRateByCount: 0,
        arrMinor: 500_000,
        wonArrMinor: 0,
        winRateByArr: 0,
      },
      {
        bucket: 'no_tasks',
        renewals: 1,
        won: 1,
        lost: 0,
        winRateByCount: 1,
        arrMinor: 5_000,
        wonArrMinor: 5_000,
        winRateByArr: 1,
      },
    ]);
    const half = computeProcessMetrics({
      renewals: [
        renewal({ tasks: [onTime('2026-01-10'), late('2026-01-10', '2026-01-11')] }),
        renewal({
          contractId: 'C-2',
          outcome: 'lost',
          tasks: [onTime('2026-01-10'), late('2026-01-10', '2026-01-12')],
        }),
      ],
      period: { start: '2026-01-01', end: '2026-12-31' },
      asOf: '2026-07-01',
    });
    const medium = half.timelineAdherence.buckets.find((b) => b.bucket === 'medium')!;
    expect(medium).toMatchObject({ renewals: 2, won: 1, winRateByCount: 0.5, winRateByArr: 0.5 });
  });

  it('splits by segment, leaving out segments without closed renewals', () => {
    expect(metrics.timelineAdherence.bySegment.map((s) => s.segment)).toEqual(['enterprise', 'smb']);
    const enterprise = metrics.timelineAdherence.bySegment[0]!;
    expect(enterprise.judged).toBe(2);
    expect(enterprise.buckets.map((b) => [b.bucket, b.renewals, b.won])).toEqual([
      ['high', 1, 1],
      ['medium', 0, 0],
      ['low', 1, 0],
      ['no_tasks', 0, 0],
    ]);
    expect(enterprise.buckets[1]!.winRateByCount).toBeNull();
  });
});

describe('time per phase', () => {
  it('measures each stay from the first evaluation through the stage changes (sorted by day)', () => {
    expect(stageStays(BOOK[0]!)).toEqual([
      { stage: 'prep', since: '2025-12-06', until: '2026-01-05' },
      { stage: 'proposal', since: '2026-01-05', until: '2026-02-04' },
      { stage: 'negotiation', since: '2026-02-04', until: '2026-03-01' },
    ]);
    expect(stageStays(BOOK[4]!).at(-1)).toEqual({ stage: 'proposal', since: '2026-03-01', until: null });
  });

  it('reports median, p90 and mean of the completed stays of the cohort per stage', () => {
    expect(metrics.timePerPhase.stages).toEqual([
      { stage: 'negotiation', stays: 1, medianDays: 25, p90Days: 25, meanDays: 25 },
      { stage: 'prep', stays: 2, medianDays: 20, p90Days: 30, meanDays: 20 },
      // R1 30, R2 94, R4 41 (normalized from "Proposal"), R6 45; R5's current stay is still running.
      { stage: 'proposal', stays: 4, medianDays: 43, p90Days: 94, meanDays: 52.5 },
      // Before any stage was set: R4 20, R5 28.
      { stage: null, stays: 2, medianDays: 24, p90Days: 28, meanDays: 24 },
    ]);
    const smb = metrics.timePerPhase.bySegment.find((s) => s.segment === 'smb')!;
    expect(smb.stages).toEqual([
      { stage: 'proposal', stays: 1, medianDays: 41, p90Days: 41, meanDays: 41 },
      { stage: null, stays: 1, medianDays: 20, p90Days: 20, meanDays: 20 },
    ]);
  });

  it('ignores stage changes after as-of', () => {
    const early = computeProcessMetrics({
      renewals: [BOOK[0]!],
      period: { start: '2026-01-01', end: '2026-06-30' },
      asOf: '2026-02-01',
    });
    expect(early.timePerPhase.stages.map((s) => s.stage)).toEqual(['prep', 'proposal']);
  });
});

describe('team hours against the segment budget', () => {
  it('sums logged hours and falls back to the estimate of done tasks only', () => {
    expect(renewalHours(BOOK[0]!)).toEqual({ hours: 20, logged: 3, estimated: 2 });
    expect(renewalHours(BOOK[1]!)).toEqual({ hours: 30, logged: 2, estimated: 0 });
    expect(renewalHours(BOOK[2]!)).toBeNull();
  });

  it('reports median and mean per segment beside the budget, and the share over its maximum', () => {
    const { bySegment, ...overall } = metrics.teamHours;
    expect(overall).toEqual({
      renewals: 3,
      withoutTasks: 1,
      medianHours: 20,
      meanHours: 18,
      loggedTasks: 8,
      estimatedTasks: 2,
      overBudget: 2,
      overBudgetShare: 2 / 3,
    });
    expect(bySegment).toEqual([
      {
        segment: 'enterprise',
        budget: { minHours: 15, maxHours: 25 },
        renewals: 2,
        withoutTasks: 0,
        medianHours: 25,
        meanHours: 25,
        loggedTasks: 5,
        estimatedTasks: 2,
        overBudget: 1,
        overBudgetShare: 0.5,
      },
      {
        segment: 'smb',
        budget: { minHours: 1, maxHours: 3 },
        renewals: 1,
        withoutTasks: 1,
        medianHours: 4,
        meanHours: 4,
        loggedTasks: 3,
        estimatedTasks: 0,
        overBudget: 1,
        overBudgetShare: 1,
      },
    ]);
  });

  it('counts exactly the maximum as within budget and takes budgets from the policy', () => {
    const atMax = renewal({ segment: 'smb', tasks: [onTime('2026-01-10', { spentHours: 3 })] });
    const period = { start: '2026-01-01', end: '2026-12-31' };
    expect(
      computeProcessMetrics({ renewals: [atMax], period, asOf: '2026-07-01' }).teamHours.overBudget,
    ).toBe(0);
    const tight = computeProcessMetrics({
      renewals: [atMax],
      period,
      asOf: '2026-07-01',
      policy: { effortBudgets: { smb: { minHours: 1, maxHours: 2 } } },
    });
    expect(tight.teamHours.bySegment[0]).toMatchObject({
      budget: { minHours: 1, maxHours: 2 },
      overBudget: 1,
    });
  });

  it('refuses negative or non-finite hours, naming the renewal', () => {
    const bad = renewal({ contractId: 'C-9', tasks: [task({ spentHours: -1 })] });
    expect(() =>
      computeProcessMetrics({
        renewals: [bad],
        period: { start: '2026-01-01', end: '2026-12-31' },
        asOf: '2026-07-01',
      }),
    ).toThrow(ForecastError);
    expect(() =>
      computeProcessMetrics({
        renewals: [bad],
        period: { start: '2026-01-01', end: '2026-12-31' },
        asOf: '2026-07-01',
      }),
    ).toThrow(/C-9.*spentHours/);
  });
});

describe('where renewals stall', () => {
  it('flags an open renewal over twice the reference median and not in a late stage by T-14', () => {
    // Reference proposal stays over the whole input: 10, 30, 41, 45, 94 → median 41; R5 has 122 days.
    expect(metrics.stalls.open).toBe(2);
    expect(metrics.stalls.stalled).toBe(1);
    expect(metrics.stalls.stalledRenewals).toEqual([
      {
        contractId: 'R5',
        segment: 'mid_market',
        dueDate: '2026-06-20',
        stage: 'proposal',
        inStageSince: '2026-03-01',
        daysInStage: 122,
        stageMedianDays: 41,
        stalled: true,
        reasons: ['over_median', 'not_late_at_deadline'],
        overdueTasks: 2,
        overdueMilestones: ['T-14', 'T-30'],
      },
    ]);
    // Negotiation has one completed stay: too few to judge against, and it is a late stage.
    expect(metrics.stalls.byStage).toEqual([
      { stage: 'proposal', open: 1, stalled: 1, medianDays: 41 },
      { stage: 'negotiation', open: 1, stalled: 0, medianDays: null },
    ]);
    expect(metrics.stalls.byMilestone).toEqual([
      { milestone: 'T-14', renewals: 1, overdueTasks: 1, stalled: 1 },
      { milestone: 'T-30', renewals: 1, overdueTasks: 1, stalled: 1 },
    ]);
  });

  it('applies the T-14 rule from exactly 14 days before the due date', () => {
    const open = (dueDate: string) =>
      renewal({ outcome: 'pending', closedOn: null, dueDate, stage: 'proposal', startedOn: '2026-06-25' });
    const judge = (dueDate: string) =>
      computeProcessMetrics({
        renewals: [open(dueDate)],
        period: { start: '2026-01-01', end: '2026-12-31' },
        asOf: '2026-07-01',
      }).stalls.stalled;
    expect(judge('2026-07-15')).toBe(1);
    expect(judge('2026-07-16')).toBe(0);
  });

  it('names the last stage a lost renewal held', () => {
    expect(lastStageBeforeLoss(BOOK[1]!)).toBe('proposal');
    expect(metrics.stalls.lostAfterStage).toEqual([{ stage: 'proposal', lost: 1, lostArrMinor: 500_000 }]);
    expect(lastStageBeforeLoss(renewal({ outcome: 'lost', stage: 'closed_lost' }))).toBeNull();
  });
});
