import { describe, expect, it } from 'vitest';
import { planEscalations } from './plan-escalations.ts';
import type { PlannedMilestone } from './plan-renewal-timeline.ts';

const milestones: PlannedMilestone[] = [
  {
    key: 'T-14',
    date: '2027-02-14',
    tasks: [],
    emails: [],
    escalations: [{ key: 'late-stage-check', condition: 'not_late_stage', to: 'manager' }],
  },
  {
    key: 'T-7',
    date: '2027-02-21',
    tasks: [],
    emails: [],
    escalations: [
      { key: 'unsigned-at-t7', condition: 'unsigned', to: 'executive' },
      { key: 'silent', condition: 'no_response', to: 'manager' },
    ],
  },
];

const base = { milestones, lapsed: false, outcome: 'pending' as const, lastContactOn: '2027-02-20' };

describe('planEscalations', () => {
  it('is not due the day before T-14, and due on T-14 when the deal is not in a late stage', () => {
    expect(planEscalations({ ...base, asOf: '2027-02-13', stage: null })).toEqual([]);
    expect(planEscalations({ ...base, asOf: '2027-02-14', stage: 'proposal' })).toEqual([
      {
        key: 'late-stage-check',
        milestone: 'T-14',
        dueDate: '2027-02-14',
        to: 'manager',
        reason: 'T-14: not in a late stage (stage proposal)',
      },
    ]);
  });

  it('does not escalate a deal already in negotiation at T-14', () => {
    expect(planEscalations({ ...base, asOf: '2027-02-14', stage: 'Negotiation' })).toEqual([]);
  });

  it('escalates an unsigned renewal to management at T-7 and stays quiet once it is won', () => {
    const due = planEscalations({ ...base, asOf: '2027-02-21', stage: 'verbal_commit' });
    expect(due.map((e) => e.key)).toEqual(['unsigned-at-t7']);
    expect(planEscalations({ ...base, asOf: '2027-02-21', stage: 'closed_won', outcome: 'won' })).toEqual([]);
  });

  it('fires no_response only after two weeks without contact', () => {
    const silent = planEscalations({
      ...base,
      asOf: '2027-02-21',
      stage: 'closed_won',
      lastContactOn: '2027-02-06',
    });
    expect(silent.map((e) => e.key)).toEqual(['silent']);
    const recent = planEscalations({
      ...base,
      asOf: '2027-02-21',
      stage: 'closed_won',
      lastContactOn: '2027-02-07',
    });
    expect(recent).toEqual([]);
  });

  it('stops once the renewal has lapsed', () => {
    expect(planEscalations({ ...base, asOf: '2027-04-01', stage: null, lapsed: true })).toEqual([]);
  });
});
