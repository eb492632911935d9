import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays } from './calendar.ts';
import { evaluateAccount, pickRenewalContract } from './evaluate-account.ts';
import { DEFAULT_POLICY } from './policy/policy-schema.ts';
import type { AccountSnapshot } from './records.ts';
import {
  makeContract,
  makeHealthySnapshot,
  makeRenewal,
  makeSignal,
  makeSnapshot,
  makeStakeholder,
  makeSurvey,
  makeTicket,
  makeUsage,
  weeklyUsage,
} from './test-builders.ts';
import { EARLY_REASONS, MILESTONE_KEYS, RISK_FLAGS } from './vocabulary.ts';

const asOf = '2026-11-23';
const policy = DEFAULT_POLICY;

function evaluate(snapshot: AccountSnapshot, specialists?: string[]) {
  return evaluateAccount({ snapshot, policy, asOf, ...(specialists ? { specialists } : {}) });
}

describe('evaluateAccount: contract shape', () => {
  it('produces the DATA-CONTRACT section 2 account object', () => {
    // 2027-02-22 − 3 months = 2026-11-22: just too late for an early renewal.
    const result = evaluate(
      makeHealthySnapshot(asOf, { contracts: [makeContract({ endDate: '2027-02-22' })] }),
    );
    expect(result).toMatchObject({
      accountId: 'A-1',
      segment: 'mid_market',
      health: { score: expect.any(Number), band: 'green' },
      expansionSignal: false,
      renewal: {
        contractId: 'C-1',
        dueDate: '2027-02-22',
        daysToRenewal: 91,
        arr: { amount: '50000.00', currency: 'USD' },
        type: 'flat',
        motion: 'assisted',
        owner: { role: 'sales', userId: 'U-sales', rule: expect.any(String) },
        executiveEngagement: false,
        riskFlags: [],
        earlyRenewal: { qualified: false, reasons: ['too_late'], monthsEarly: 3, suggestedDiscountPct: null },
        probability: 0.89,
      },
    });
    const renewal = result.renewal!;
    for (const driver of result.health.drivers) {
      expect(driver).toEqual(
        expect.objectContaining({
          factor: expect.any(String),
          impact: expect.any(Number),
          detail: expect.any(String),
        }),
      );
    }
    for (const milestone of renewal.timeline.milestones) {
      expect(MILESTONE_KEYS).toContain(milestone.key);
      for (const task of milestone.tasks) {
        expect(task).toEqual(
          expect.objectContaining({
            key: expect.any(String),
            title: expect.any(String),
            ownerRole: expect.any(String),
          }),
        );
      }
    }
    // T-90 of 2027-02-22 is 2026-11-24: nothing due yet on 2026-11-23.
    expect(renewal.dueTasks).toEqual([]);
    expect(JSON.parse(JSON.stringify(result))).toEqual(result);
  });

  it('has no renewal without an active contract', () => {
    const result = evaluate(makeSnapshot({ contracts: [makeContract({ status: 'churned' })] }));
    expect(result.renewal).toBeNull();
    expect(result.segment).toBe('smb');
  });
});

describe('pickRenewalContract', () => {
  it('takes the active contract ending soonest, within the grace period, ties by id', () => {
    const contracts = [
      makeContract({ contractId: 'C-3', endDate: '2027-05-01' }),
      makeContract({ contractId: 'C-2', endDate: '2027-01-01' }),
      makeContract({ contractId: 'C-1', endDate: '2027-01-01' }),
      makeContract({ contractId: 'C-0', endDate: '2026-12-01', status: 'renewed' }),
      makeContract({ contractId: 'C-9', endDate: addDays(asOf, -31) }),
    ];
    expect(pickRenewalContract({ contracts, policy, asOf })?.contractId).toBe('C-1');
    const overdue = makeContract({ contractId: 'C-8', endDate: addDays(asOf, -30) });
    expect(pickRenewalContract({ contracts: [...contracts, overdue], policy, asOf })?.contractId).toBe('C-8');
    expect(pickRenewalContract({ contracts: [], policy, asOf })).toBeNull();
  });
});

describe('evaluateAccount: scenarios', () => {
  it('saves an at-risk enterprise renewal from T-180 with Sales and executives', () => {
    const snapshot = makeHealthySnapshot(asOf, {
      account: { strategic: true },
      contracts: [makeContract({ arrMinor: 12_000_000, currency: 'EUR', endDate: '2027-04-30' })],
      usage: weeklyUsage({ until: asOf, weeks: 12, activeUsers: (week) => (week < 8 ? 80 : 40) }),
      stakeholders: [
        makeStakeholder({ name: 'Jane Doe', leftOn: '2026-09-01' }),
        makeStakeholder({ stakeholderId: 'S-2', name: 'Bob Lee', role: 'user', lastContactOn: '2026-07-01' }),
      ],
      tickets: [
        makeTicket({ ticketId: 'T-1', priority: 'urgent', openedOn: '2026-10-01' }),
        makeTicket({ ticketId: 'T-2', priority: 'urgent', openedOn: '2026-11-01' }),
      ],
      surveys: [makeSurvey({ date: '2026-10-02', score: 3 })],
      signals: [
        makeSignal({
          kind: 'competitor_evaluation',
          date: '2026-11-01',
          note: 'asked for a feature comparison',
        }),
      ],
    });
    const result = evaluate(snapshot);
    const renewal = result.renewal!;
    expect(result).toMatchObject({ segment: 'enterprise', health: { band: 'red' } });
    expect(renewal).toMatchObject({
      arr: { amount: '120000.00', currency: 'EUR' },
      arrReporting: { amount: '129600.00', currency: 'USD' },
      type: 'at_risk',
      motion: 'negotiated',
      owner: { role: 'sales', userId: 'U-sales' },
      executiveEngagement: true,
      timeline: { playbook: 'at_risk' },
    });
    expect(renewal.riskFlags).toEqual([
      'health_red',
      'usage_decline',
      'single_threaded',
      'no_executive_sponsor',
      'champion_left',
      'competitor_evaluation',
      'negative_sentiment',
      'support_escalations',
      'stale_contact',
    ]);
    expect(renewal.timeline.milestones[0]).toMatchObject({ key: 'T-180', date: '2026-11-01' });
    expect(renewal.dueTasks.map((t) => t.key)).toEqual([
      'risk-diagnosis',
      'save-plan',
      'executive-escalation',
    ]);
    expect(renewal.earlyRenewal.reasons).toContain('already_at_risk');
    expect(renewal.probability).toBeLessThan(0.3);
    expect(result.health.toGreen.length).toBeGreaterThan(0);
  });

  it('auto-renews a small healthy SMB contract, reminding the customer before its notice deadline', () => {
    const snapshot = makeHealthySnapshot(asOf, {
      contracts: [
        makeContract({
          arrMinor: 600_000,
          seats: 100,
          autoRenew: true,
          paymentOnFile: true,
          noticeDays: 30,
          endDate: '2027-01-31',
        }),
      ],
      stakeholders: [makeStakeholder({ lastContactOn: addDays(asOf, -5) })],
    });
    const renewal = evaluate(snapshot).renewal!;
    expect(renewal).toMatchObject({
      type: 'flat',
      motion: 'auto',
      owner: { role: 'csm' },
      noticeDeadline: '2027-01-01',
      timeline: { playbook: 'smb_automated', anchor: 'end_date', anchorDate: '2027-01-31' },
    });
    // Milestones count back from the end date: T-60 is 2026-12-02, not yet due on 2026-11-23.
    expect(renewal.timeline.milestones.find((m) => m.key === 'T-60')?.date).toBe('2026-12-02');
    // The notice deadline is 2027-01-01; the last milestone 30+ days before it is T-60.
    const noticeMilestone = renewal.timeline.milestones.find((m) =>
      m.tasks.some((t) => t.key === 'notice-deadline-confirmation'),
    );
    expect(noticeMilestone?.key).toBe('T-60');
    expect(renewal.dueTasks).toEqual([]);
  });

  it('routes a small account to a specialist when the tenant has them', () => {
    const snapshot = makeHealthySnapshot(asOf, {
      contracts: [makeContract({ arrMinor: 500_000, endDate: '2027-01-31' })],
    });
    expect(evaluate(snapshot, ['U-s1', 'U-s2']).renewal?.owner.role).toBe('specialist');
  });

  it('values a JPY contract in yen and segments it in USD', () => {
    const snapshot = makeSnapshot({
      account: { currency: 'JPY' },
      contracts: [makeContract({ arrMinor: 9_000_000, currency: 'JPY' })],
    });
    const result = evaluate(snapshot);
    expect(result).toMatchObject({
      segment: 'mid_market',
      segmentSource: 'arr',
      arrReporting: { amount: '60300.00' },
    });
    expect(result.renewal?.arr).toEqual({ amount: '9000000', currency: 'JPY' });
  });

  it('proposes an early renewal to a qualified account five months out', () => {
    const snapshot = makeHealthySnapshot(asOf, { contracts: [makeContract({ endDate: '2027-05-01' })] });
    const renewal = evaluate(snapshot).renewal!;
    expect(renewal).toMatchObject({
      type: 'early',
      earlyRenewal: { qualified: true, reasons: [], suggestedDiscountPct: { min: 5, max: 10 } },
    });
  });

  it('flags an expansion for a green account with growth signals', () => {
    const snapshot = makeHealthySnapshot(asOf, {
      contracts: [makeContract({ endDate: '2027-01-15' })],
      signals: [makeSignal({ kind: 'usage_near_limit', date: '2026-11-01' })],
    });
    const result = evaluate(snapshot);
    expect(result.expansionSignal).toBe(true);
    expect(result.renewal).toMatchObject({ type: 'expansion', motion: 'negotiated' });
  });

  it('takes a won renewal as certain', () => {
    const snapshot = makeHealthySnapshot(asOf, {
      renewals: [makeRenewal({ outcome: 'won', stage: 'closed' })],
    });
    expect(evaluate(snapshot).renewal?.probability).toBe(1);
  });

  it('uses only the contract vocabulary', () => {
    const result = evaluate(makeHealthySnapshot(asOf));
    for (const flag of result.renewal!.riskFlags) expect(RISK_FLAGS).toContain(flag);
    for (const reason of result.renewal!.earlyRenewal.reasons) expect(EARLY_REASONS).toContain(reason);
  });
});

describe('evaluateAccount: no future leakage', () => {
  it('ignores everything dated after asOf (property)', () => {
    const future = fc.integer({ min: 1, max: 400 }).map((days) => addDays(asOf, days));
    fc.assert(
      fc.property(
        fc.array(future, { minLength: 1, maxLength: 6 }),
        fc.constantFrom(
          'competitor_evaluation',
          'budget_freeze',
          'expansion_interest',
          'major_incident' as const,
        ),
        (dates, kind) => {
          const base = makeHealthySnapshot(asOf, { contracts: [makeContract({ endDate: '2027-03-31' })] });
          const leaked: AccountSnapshot = {
            ...base,
            usage: [...base.usage, ...dates.map((date) => makeUsage({ date, activeUsers: 1 }))],
            tickets: dates.map((openedOn, i) =>
              makeTicket({ ticketId: `F-${i}`, openedOn, priority: 'urgent' }),
            ),
            surveys: [...base.surveys, ...dates.map((date) => makeSurvey({ date, score: 0 }))],
            signals: dates.map((date) => makeSignal({ kind, date })),
            stakeholders: base.stakeholders.map((s, i) => ({
              ...s,
              leftOn: dates[i % dates.length] ?? null,
            })),
          };
          expect(evaluate(leaked)).toEqual(evaluate(base));
        },
      ),
      { numRuns: 50 },
    );
  });
});

describe('evaluateAccount: speed', () => {
  it('evaluates 10,000 accounts with a year of weekly usage in well under a second each thousand', () => {
    const snapshots = Array.from({ length: 10_000 }, (_, i) => {
      const accountId = `A-${i}`;
      return makeHealthySnapshot(asOf, {
        account: { accountId },
        contracts: [
          makeContract({ accountId, contractId: `C-${i}`, endDate: addDays(asOf, (i % 400) - 20) }),
        ],
        usage: weeklyUsage({
          accountId,
          until: asOf,
          weeks: 52,
          activeUsers: (w) => 50 + ((w * 7 + i) % 40),
        }),
      });
    });
    const started = performance.now();
    for (const snapshot of snapshots) evaluate(snapshot);
    const elapsed = performance.now() - started;
    expect(elapsed).toBeLessThan(5_000);
  });
});
