import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays, daysBetween } from './calendar.ts';
import {
  choosePlaybook,
  type PlanRenewalTimelineOptions,
  planRenewalTimeline,
} from './plan-renewal-timeline.ts';
import { DEFAULT_POLICY, PolicySchema } from './policy/policy-schema.ts';
import { makeContract } from './test-builders.ts';
import { milestoneOffsetDays } from './vocabulary.ts';

const policy = DEFAULT_POLICY;

function plan(overrides: Partial<PlanRenewalTimelineOptions> = {}) {
  return planRenewalTimeline({
    contract: makeContract({ endDate: '2027-03-01' }),
    segment: 'mid_market',
    atRisk: false,
    motion: 'assisted',
    ownerRole: 'csm',
    policy,
    asOf: '2026-11-23',
    ...overrides,
  });
}

describe('choosePlaybook', () => {
  it('picks at-risk first, then automated, then the segment', () => {
    expect(choosePlaybook({ segment: 'smb', atRisk: true, motion: 'auto' })).toBe('at_risk');
    expect(choosePlaybook({ segment: 'smb', atRisk: false, motion: 'auto' })).toBe('smb_automated');
    expect(choosePlaybook({ segment: 'enterprise', atRisk: false, motion: 'negotiated' })).toBe('enterprise');
    expect(choosePlaybook({ segment: 'mid_market', atRisk: false, motion: 'assisted' })).toBe('mid_market');
  });
});

describe('planRenewalTimeline', () => {
  it('places milestones on exact calendar offsets across Feb 29', () => {
    const result = plan({ contract: makeContract({ endDate: '2028-03-01' }), segment: 'enterprise' });
    const dates = Object.fromEntries(result.milestones.map((m) => [m.key, m.date]));
    expect(dates).toMatchObject({
      'T-150': '2027-10-03',
      'T-90': '2027-12-02',
      'T-7': '2028-02-23',
      'T-0': '2028-03-01',
    });
    expect(addDays('2028-03-01', -1)).toBe('2028-02-29');
    expect(result).toMatchObject({ anchor: 'end_date', anchorDate: '2028-03-01', noticeDeadline: null });
  });

  it('starts the at-risk playbook at T-180', () => {
    const result = plan({ atRisk: true });
    expect(result.playbook).toBe('at_risk');
    expect(result.milestones[0]).toMatchObject({ key: 'T-180', date: '2026-09-02' });
  });

  it('keeps T-n dates on the end date for an auto-renewal and adds a notice step 30+ days before the deadline', () => {
    const contract = makeContract({ endDate: '2027-03-01', autoRenew: true, noticeDays: 60 });
    const result = plan({ contract });
    expect(result).toMatchObject({
      anchor: 'end_date',
      anchorDate: '2027-03-01',
      noticeDeadline: '2026-12-31',
    });
    expect(result.milestones.find((m) => m.key === 'T-60')?.date).toBe('2026-12-31');
    // The deadline is 2026-12-31; 30 days before is 2026-12-01: the last milestone by then is T-90 (2026-12-01).
    const withNotice = result.milestones.filter((m) =>
      m.tasks.some((t) => t.key === 'notice-deadline-confirmation'),
    );
    expect(withNotice.map((m) => [m.key, m.date])).toEqual([['T-90', '2026-12-01']]);
    expect(withNotice[0]?.emails.map((e) => e.key)).toContain('notice-deadline-reminder');
  });

  it('puts the notice step on the first milestone when every milestone is too late for it', () => {
    const contract = makeContract({ endDate: '2027-03-01', autoRenew: true, noticeDays: 365 });
    const result = plan({ contract });
    const first = result.milestones[0]!;
    expect(first.tasks.map((t) => t.key)).toContain('notice-deadline-confirmation');
  });

  it('anchors on the notice deadline when the policy says so', () => {
    const anchored = PolicySchema.parse({ timeline: { anchorOnNoticeDeadline: true } });
    const contract = makeContract({ endDate: '2027-03-01', autoRenew: true, noticeDays: 30 });
    const result = plan({ contract, policy: anchored });
    expect(result).toMatchObject({
      anchor: 'notice_deadline',
      anchorDate: '2027-01-30',
      noticeDeadline: '2027-01-30',
    });
    expect(result.milestones.find((m) => m.key === 'T-0')?.date).toBe('2027-01-30');
    expect(result.milestones.find((m) => m.key === 'T-60')?.date).toBe('2026-12-01');
  });

  it('has no notice step without auto-renew', () => {
    const result = plan({ contract: makeContract({ endDate: '2027-03-01', noticeDays: 30 }) });
    expect(result).toMatchObject({ anchor: 'end_date', noticeDeadline: null });
    expect(
      result.milestones.flatMap((m) => m.tasks).some((t) => t.key === 'notice-deadline-confirmation'),
    ).toBe(false);
  });

  it('resolves owner tasks to the routed role and keeps named roles', () => {
    const result = plan({ ownerRole: 'sales' });
    const tasks = result.milestones.flatMap((m) => m.tasks);
    expect(tasks.find((t) => t.key === 'build-proposal')?.ownerRole).toBe('sales');
    expect(tasks.find((t) => t.key === 'internal-approvals')?.ownerRole).toBe('manager');
    expect(result.effortHours).toBe(7.5);
  });

  it('makes the tasks of every milestone on or before asOf due', () => {
    // T-90 of 2027-03-01 is 2026-12-01.
    expect(plan({ asOf: '2026-11-30' }).dueTasks).toEqual([]);
    expect(plan({ asOf: '2026-12-01' }).dueTasks).toEqual([
      {
        key: 'account-review',
        milestone: 'T-90',
        dueDate: '2026-12-01',
        title: 'Account review and renewal strategy (internal, no customer contact)',
        ownerRole: 'csm',
      },
    ]);
    const later = plan({ asOf: '2026-12-31' }); // T-60 = 2026-12-31
    expect(later.dueTasks.map((t) => t.milestone)).toEqual(['T-90', 'T-60']);
    expect(later.dueEmails.map((e) => e.key)).toEqual([
      'renewal-notice-champion',
      'renewal-notice-economic-buyer',
    ]);
  });

  it('stops everything once T-0 is more than the grace period past', () => {
    expect(plan({ asOf: '2027-03-31' })).toMatchObject({ lapsed: false });
    expect(plan({ asOf: '2027-03-31' }).dueTasks.length).toBeGreaterThan(0);
    expect(plan({ asOf: '2027-04-01' })).toMatchObject({ lapsed: true, dueTasks: [], dueEmails: [] });
  });

  it('dates are exact offsets before the anchor, earliest first (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 20_000 }),
        fc.constantFrom('enterprise', 'mid_market', 'smb' as const),
        fc.boolean(),
        fc.option(fc.integer({ min: 0, max: 90 })),
        (day, segment, autoRenew, noticeDays) => {
          const endDate = addDays('2000-01-01', day);
          const result = plan({
            contract: makeContract({ endDate, autoRenew, noticeDays }),
            segment,
            asOf: endDate,
          });
          return result.milestones.every(
            (m, i) =>
              daysBetween(m.date, result.anchorDate) === milestoneOffsetDays(m.key) &&
              (i === 0 || m.date > (result.milestones[i - 1]?.date ?? '')),
          );
        },
      ),
    );
  });
});
