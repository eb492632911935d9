import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays } from './calendar.ts';
import { collectAccountFacts } from './collect-account-facts.ts';
import { detectRiskFlags } from './detect-risk-flags.ts';
import { DEFAULT_POLICY } from './policy/policy-schema.ts';
import type { AccountSnapshot, Segment, SignalKind } from './records.ts';
import {
  healthyStakeholders,
  makeHealthySnapshot,
  makeSignal,
  makeSnapshot,
  makeStakeholder,
  makeSurvey,
  makeTicket,
  makeUsage,
} from './test-builders.ts';
import { type HealthBand, RISK_FLAGS } from './vocabulary.ts';

const asOf = '2026-11-23';
const policy = DEFAULT_POLICY;

function flags(
  snapshot: AccountSnapshot,
  { segment = 'mid_market' as Segment, band = 'green' as HealthBand } = {},
) {
  const facts = collectAccountFacts({ snapshot, policy, asOf });
  return detectRiskFlags({ facts, policy, segment, healthBand: band, healthScore: band === 'red' ? 30 : 80 });
}

describe('detectRiskFlags', () => {
  it('raises nothing for a healthy account', () => {
    expect(flags(makeHealthySnapshot(asOf)).flags).toEqual([]);
  });

  it('raises health_red from the band', () => {
    expect(flags(makeHealthySnapshot(asOf), { band: 'red' })).toMatchObject({
      flags: ['health_red'],
      evidence: [{ flag: 'health_red', detail: 'health 30 (red below 40)' }],
    });
  });

  it.each([
    [100, 81, false],
    [100, 80, true],
    [100, 50, true],
  ])('usage %i → %i: usage_decline %s (threshold 20%%)', (prior, recent, raised) => {
    const usage = [
      makeUsage({ date: addDays(asOf, -40), activeUsers: prior }),
      makeUsage({ date: asOf, activeUsers: recent }),
    ];
    expect(flags(makeHealthySnapshot(asOf, { usage })).flags.includes('usage_decline')).toBe(raised);
  });

  it.each([
    [39, true],
    [40, false],
  ])('seat adoption %i%%: low_adoption %s', (active, raised) => {
    const usage = [makeUsage({ date: asOf, activeUsers: active })];
    expect(flags(makeHealthySnapshot(asOf, { usage })).flags.includes('low_adoption')).toBe(raised);
  });

  it('uses core-feature adoption when seats are unknown', () => {
    const usage = [
      makeUsage({ date: asOf, activeUsers: 10, licensedSeats: null, coreFeatureAdoptionPct: 20 }),
    ];
    expect(flags(makeSnapshot({ contracts: [], usage })).evidence).toContainEqual({
      flag: 'low_adoption',
      detail: 'core-feature adoption 20% (below 40%)',
    });
  });

  it('raises single_threaded and no_executive_sponsor in mid-market and enterprise, not SMB', () => {
    const snapshot = makeSnapshot({ stakeholders: [makeStakeholder({ lastContactOn: asOf })] });
    expect(flags(snapshot, { segment: 'enterprise' }).flags).toEqual([
      'single_threaded',
      'no_executive_sponsor',
    ]);
    expect(flags(snapshot, { segment: 'smb' }).flags).toEqual([]);
  });

  it('does not guess relationship flags when no stakeholder is recorded', () => {
    expect(flags(makeSnapshot(), { segment: 'enterprise' }).flags).toEqual([]);
  });

  it('treats left_on ≤ asOf as departed and raises champion_left / key_contact_left', () => {
    const stakeholders = [
      ...healthyStakeholders(addDays(asOf, -3)).filter((s) => s.role !== 'champion'),
      makeStakeholder({ stakeholderId: 'S-9', name: 'Jane Doe', role: 'champion', leftOn: '2026-09-01' }),
      makeStakeholder({ stakeholderId: 'S-10', name: 'Ann Cole', role: 'economic_buyer', leftOn: asOf }),
    ];
    const result = flags(makeSnapshot({ stakeholders }));
    expect(result.flags).toEqual(['champion_left', 'key_contact_left']);
    expect(result.evidence).toContainEqual({
      flag: 'champion_left',
      detail: 'champion Jane Doe left 2026-09-01',
    });
    expect(result.evidence).toContainEqual({
      flag: 'key_contact_left',
      detail: `economic buyer Ann Cole left ${asOf}`,
    });
  });

  it('does not see a departure after asOf or older than the lookback', () => {
    const base = healthyStakeholders(addDays(asOf, -3));
    const later = [...base, makeStakeholder({ stakeholderId: 'S-9', leftOn: addDays(asOf, 1) })];
    expect(flags(makeSnapshot({ stakeholders: later })).flags).toEqual([]);
    const old = [...base, makeStakeholder({ stakeholderId: 'S-9', leftOn: addDays(asOf, -180) })];
    expect(flags(makeSnapshot({ stakeholders: old })).flags).toEqual([]);
    const recent = [...base, makeStakeholder({ stakeholderId: 'S-9', leftOn: addDays(asOf, -179) })];
    expect(flags(makeSnapshot({ stakeholders: recent })).flags).toEqual(['champion_left']);
  });

  it.each([
    ['competitor_evaluation', 90],
    ['leadership_change', 180],
    ['acquisition', 180],
    ['budget_freeze', 180],
    ['major_incident', 60],
  ] as [SignalKind, number][])('raises %s for %i days, not after asOf', (kind, days) => {
    const raisedOn = (date: string) =>
      flags(makeHealthySnapshot(asOf, { signals: [makeSignal({ kind, date })] })).flags.includes(
        kind as never,
      );
    expect(raisedOn(asOf)).toBe(true);
    expect(raisedOn(addDays(asOf, -(days - 1)))).toBe(true);
    expect(raisedOn(addDays(asOf, -days))).toBe(false);
    expect(raisedOn(addDays(asOf, 1))).toBe(false);
  });

  it.each([
    ['nps', 6, true],
    ['nps', 7, false],
    ['csat', 2, true],
    ['csat', 3, false],
  ] as const)('latest %s %i: negative_sentiment %s', (kind, score, raised) => {
    const surveys = [makeSurvey({ kind, score, date: addDays(asOf, -5) })];
    expect(flags(makeHealthySnapshot(asOf, { surveys })).flags.includes('negative_sentiment')).toBe(raised);
  });

  it('reads only the latest NPS', () => {
    const surveys = [
      makeSurvey({ score: 2, date: '2026-08-01' }),
      makeSurvey({ score: 9, date: '2026-10-01' }),
    ];
    expect(flags(makeHealthySnapshot(asOf, { surveys })).flags).toEqual([]);
  });

  it('raises support_escalations at 2 urgent tickets in 90 days', () => {
    const urgent = (id: string, openedOn: string) =>
      makeTicket({ ticketId: id, priority: 'urgent', openedOn });
    const one = [urgent('T-1', asOf), makeTicket({ ticketId: 'T-2', priority: 'high', openedOn: asOf })];
    expect(flags(makeHealthySnapshot(asOf, { tickets: one })).flags).toEqual([]);
    const two = [urgent('T-1', asOf), urgent('T-2', addDays(asOf, -89))];
    expect(flags(makeHealthySnapshot(asOf, { tickets: two })).evidence).toEqual([
      { flag: 'support_escalations', detail: '2 urgent tickets in 90d' },
    ]);
    const aged = [urgent('T-1', asOf), urgent('T-2', addDays(asOf, -90))];
    expect(flags(makeHealthySnapshot(asOf, { tickets: aged })).flags).toEqual([]);
  });

  it.each([
    [90, false],
    [91, true],
  ])('last contact %i days ago: stale_contact %s', (days, raised) => {
    const stakeholders = healthyStakeholders(addDays(asOf, -days));
    expect(flags(makeHealthySnapshot(asOf, { stakeholders })).flags.includes('stale_contact')).toBe(raised);
  });

  it('only uses the vocabulary, in its order, with evidence for each flag (property)', () => {
    const kinds: SignalKind[] = [
      'competitor_evaluation',
      'leadership_change',
      'acquisition',
      'budget_freeze',
      'major_incident',
    ];
    fc.assert(
      fc.property(
        fc.subarray(kinds),
        fc.constantFrom('green', 'yellow', 'red' as const),
        fc.constantFrom('smb', 'mid_market', 'enterprise' as const),
        (signalKinds, band, segment) => {
          const snapshot = makeSnapshot({
            signals: signalKinds.map((kind) => makeSignal({ kind, date: asOf })),
          });
          const result = flags(snapshot, { band, segment });
          const order = result.flags.map((flag) => RISK_FLAGS.indexOf(flag));
          return (
            order.every((index, i) => index >= 0 && (i === 0 || index > (order[i - 1] ?? -1))) &&
            result.evidence.length === result.flags.length &&
            signalKinds.every((kind) => result.flags.includes(kind as never))
          );
        },
      ),
    );
  });
});
