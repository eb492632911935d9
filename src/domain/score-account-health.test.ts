import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays } from './calendar.ts';
import { collectAccountFacts } from './collect-account-facts.ts';
import { DEFAULT_POLICY, PolicySchema } from './policy/policy-schema.ts';
import type { AccountSnapshot, UsageRecord } from './records.ts';
import {
  csatComponentScore,
  healthBand,
  npsComponentScore,
  scoreAccountHealth,
} from './score-account-health.ts';
import {
  makeHealthySnapshot,
  makeSignal,
  makeSnapshot,
  makeStakeholder,
  makeSurvey,
  makeTicket,
  makeUsage,
  weeklyUsage,
} from './test-builders.ts';

const asOf = '2026-11-23';
const policy = DEFAULT_POLICY;

function health(snapshot: AccountSnapshot, p = policy) {
  return scoreAccountHealth({ facts: collectAccountFacts({ snapshot, policy: p, asOf }), policy: p });
}

function driver(snapshot: AccountSnapshot, factor: string) {
  return health(snapshot).drivers.find((d) => d.factor === factor);
}

/** One usage record in the prior window (asOf−40) and one in the recent window (asOf). */
function trend(prior: number, recent: number): UsageRecord[] {
  return [
    makeUsage({ date: addDays(asOf, -40), activeUsers: prior }),
    makeUsage({ date: asOf, activeUsers: recent }),
  ];
}

function decliningSnapshot(): AccountSnapshot {
  return makeHealthySnapshot(asOf, {
    usage: weeklyUsage({
      until: asOf,
      weeks: 12,
      activeUsers: (week) => (week < 8 ? 60 : 35),
      coreFeatureAdoptionPct: 30,
    }),
    stakeholders: [
      makeStakeholder({ name: 'Jane Doe', role: 'champion', leftOn: '2026-09-01' }),
      makeStakeholder({ stakeholderId: 'S-2', name: 'Bob Lee', role: 'user', lastContactOn: '2026-07-01' }),
    ],
    tickets: [
      makeTicket({ priority: 'urgent', openedOn: '2026-10-01' }),
      makeTicket({ ticketId: 'T-2', priority: 'urgent', openedOn: '2026-11-01', closedOn: null }),
    ],
    surveys: [makeSurvey({ date: '2026-10-02', kind: 'nps', score: 3 })],
    signals: [makeSignal({ kind: 'competitor_evaluation', date: '2026-11-01' })],
  });
}

describe('scoreAccountHealth', () => {
  it('scores a healthy account green with positive drivers and nothing to do', () => {
    const result = health(makeHealthySnapshot(asOf));
    expect(result).toMatchObject({ score: 91, band: 'green', toGreen: [] });
    expect(result.drivers.every((d) => d.impact >= 0)).toBe(true);
    expect(result.drivers.map((d) => d.detail)).toContain('85 of 100 seats active (85%) on 2026-11-23');
  });

  it('explains a declining account with human evidence', () => {
    const result = health(decliningSnapshot());
    expect(result.band).toBe('red');
    const details = Object.fromEntries(result.drivers.map((d) => [d.factor, d.detail]));
    expect(details.usage_trend).toBe('active users -33% (30d vs prior 30d)');
    expect(details.support).toBe('2 urgent tickets in 90d, 1 still open');
    expect(details.sentiment).toBe('NPS 3 on 2026-10-02');
    expect(details.risk_signals).toContain('champion Jane Doe left 2026-09-01');
    expect(details.risk_signals).toContain('competitor evaluation on 2026-11-01');
    expect(details.contact_recency).toBe('last contact 145d ago (Bob Lee, 2026-07-01)');
    // Most negative first; the live risk events (champion gone, competitor) weigh most.
    const impacts = result.drivers.map((d) => d.impact);
    expect(impacts).toEqual([...impacts].sort((a, b) => a - b));
    expect(result.drivers[0]?.factor).toBe('risk_signals');
    expect(result.drivers[0]?.impact).toBeLessThan(0);
  });

  it('lists the fewest changes that reach green, enough to close the gap', () => {
    const result = health(decliningSnapshot());
    const points = result.toGreen.reduce((sum, step) => sum + step.points, 0);
    // The displayed score is rounded; the plan closes the gap from the unrounded one.
    expect(result.score + points).toBeGreaterThanOrEqual(69);
    expect(result.toGreen.map((step) => step.factor)).toContain('usage_trend');
    const usage = result.toGreen.find((step) => step.factor === 'usage_trend');
    expect(usage?.action).toMatch(/^raise active users to \d+ on average over 30d/);
  });

  it('is neutral with a driver for each missing source when nothing is known', () => {
    const result = health(makeSnapshot());
    expect(result.score).toBe(61); // 50 + no risk events (+7.5) + no tickets (+3)
    expect(result.band).toBe('yellow');
    const missing = result.drivers.filter((d) => d.dataMissing);
    expect(missing.map((d) => d.factor).sort()).toEqual(
      [
        'contact_recency',
        'feature_adoption',
        'license_adoption',
        'relationship',
        'sentiment',
        'usage_trend',
      ].sort(),
    );
    expect(missing.every((d) => d.impact === 0)).toBe(true);
    expect(result.drivers.find((d) => d.factor === 'relationship')?.detail).toBe('no stakeholders recorded');
    expect(result.drivers.find((d) => d.factor === 'sentiment')?.detail).toBe(
      'no NPS or CSAT survey in 180d',
    );
  });

  it('drivers add up to score − 50 (property)', () => {
    fc.assert(
      fc.property(snapshotArbitrary(), (snapshot) => {
        const result = health(snapshot);
        const sum = result.drivers.reduce((total, d) => total + d.impact, 0);
        return (
          result.score >= 0 &&
          result.score <= 100 &&
          Math.abs(result.score - 50 - sum) <= 0.5 + 0.05 * result.drivers.length &&
          result.band === healthBand(result.score, policy) &&
          (result.band === 'green') === (result.toGreen.length === 0)
        );
      }),
    );
  });
});

describe('health bands', () => {
  it.each([
    [100, 'green'],
    [70, 'green'],
    [69, 'yellow'],
    [40, 'yellow'],
    [39, 'red'],
    [0, 'red'],
  ])('%i is %s', (score, band) => {
    expect(healthBand(score, policy)).toBe(band);
  });

  it('follows the policy thresholds', () => {
    const strict = PolicySchema.parse({ health: { bands: { greenMin: 80, redBelow: 50 } } });
    expect(healthBand(79, strict)).toBe('yellow');
    expect(healthBand(49, strict)).toBe('red');
  });
});

describe('components', () => {
  it.each([
    [100, 100, 70, 4],
    [100, 80, 40, -2],
    [100, 120, 100, 10],
    [100, 50, 0, -10],
    [100, 0, 0, -10],
  ])('usage %i → %i scores %i (impact %i)', (prior, recent, componentScore, impact) => {
    const d = driver(makeSnapshot({ usage: trend(prior, recent) }), 'usage_trend');
    expect(d).toMatchObject({ componentScore, impact });
  });

  it('puts asOf−30 in the prior window, asOf−29 in the recent one, and ignores the future', () => {
    const usage = [
      makeUsage({ date: addDays(asOf, -60), activeUsers: 1000 }), // outside both windows
      makeUsage({ date: addDays(asOf, -30), activeUsers: 100 }),
      makeUsage({ date: addDays(asOf, -29), activeUsers: 50 }),
      makeUsage({ date: addDays(asOf, 1), activeUsers: 1000 }),
    ];
    const facts = collectAccountFacts({ snapshot: makeSnapshot({ usage }), policy, asOf });
    expect(facts.usage).toMatchObject({ priorAverage: 100, recentAverage: 50, changePct: -50 });
    expect(facts.usage.latest?.date).toBe(addDays(asOf, -29));
  });

  it.each([
    [80, 100, 7.5],
    [40, 50, 0],
    [20, 25, -3.7],
  ])('seat adoption %i%% scores %i', (active, componentScore, impact) => {
    const d = driver(
      makeSnapshot({ usage: [makeUsage({ date: asOf, activeUsers: active })] }),
      'license_adoption',
    );
    expect(d).toMatchObject({ componentScore, impact });
  });

  it('falls back to the contract seats when usage has none', () => {
    const snapshot = makeSnapshot({
      usage: [makeUsage({ date: asOf, activeUsers: 40, licensedSeats: null })],
    });
    const facts = collectAccountFacts({ snapshot, policy, asOf, contractSeats: 50 });
    expect(facts.usage.seatAdoptionPct).toBe(80);
  });

  it('ignores usage older than the freshness limit for adoption', () => {
    const snapshot = makeSnapshot({ usage: [makeUsage({ date: addDays(asOf, -90), activeUsers: 10 })] });
    expect(driver(snapshot, 'license_adoption')?.dataMissing).toBe(true);
    const fresh = makeSnapshot({ usage: [makeUsage({ date: addDays(asOf, -89), activeUsers: 10 })] });
    expect(driver(fresh, 'license_adoption')?.dataMissing).toBe(false);
  });

  it('scores support load, severity and ticket CSAT', () => {
    const one = (priority: 'low' | 'normal' | 'high' | 'urgent') =>
      driver(makeSnapshot({ tickets: [makeTicket({ priority, openedOn: '2026-11-01' })] }), 'support')
        ?.componentScore;
    expect(one('low')).toBe(79);
    expect(one('normal')).toBe(77);
    expect(one('high')).toBe(70);
    expect(one('urgent')).toBe(60);
    const happy = makeSnapshot({ tickets: [makeTicket({ openedOn: '2026-11-01', csat: 5 })] });
    expect(driver(happy, 'support')).toMatchObject({
      componentScore: 92,
      detail: '1 normal ticket in 90d, ticket CSAT 5',
    });
  });

  it('counts tickets opened within 90 days only', () => {
    const edge = makeSnapshot({
      tickets: [makeTicket({ priority: 'urgent', openedOn: addDays(asOf, -90) })],
    });
    expect(driver(edge, 'support')?.detail).toBe('no tickets in 90d');
    const inside = makeSnapshot({
      tickets: [makeTicket({ priority: 'urgent', openedOn: addDays(asOf, -89) })],
    });
    expect(driver(inside, 'support')?.detail).toBe('1 urgent ticket in 90d');
  });

  it.each([
    [0, 0],
    [3, 21],
    [6, 42],
    [7, 60],
    [8, 75],
    [9, 90],
    [10, 100],
  ])('NPS %i scores %i', (nps, score) => {
    expect(npsComponentScore(nps)).toBe(score);
  });

  it.each([
    [1, 0],
    [3, 50],
    [5, 100],
  ])('CSAT %i scores %i', (csat, score) => {
    expect(csatComponentScore(csat)).toBe(score);
  });

  it('averages the latest NPS and the CSAT surveys', () => {
    const snapshot = makeSnapshot({
      surveys: [
        makeSurvey({ date: '2026-06-01', kind: 'nps', score: 0 }), // older, superseded
        makeSurvey({ date: '2026-10-01', kind: 'nps', score: 9 }),
        makeSurvey({ date: '2026-10-05', kind: 'csat', score: 3 }),
        makeSurvey({ date: '2026-10-06', kind: 'csat', score: 4 }),
        makeSurvey({ date: '2026-12-01', kind: 'nps', score: 0 }), // future
      ],
    });
    expect(driver(snapshot, 'sentiment')).toMatchObject({
      componentScore: 76.3, // (90 + 62.5) / 2
      detail: 'NPS 9 on 2026-10-01; CSAT 3.5 avg of 2 surveys',
    });
  });

  it('rewards a broad relationship with champion, sponsor and buyer', () => {
    expect(driver(makeHealthySnapshot(asOf), 'relationship')?.componentScore).toBe(100);
    const lone = makeSnapshot({ stakeholders: [makeStakeholder({ stance: 'neutral' })] });
    expect(driver(lone, 'relationship')).toMatchObject({
      componentScore: 30,
      detail: '1 active stakeholder, champion Jane Doe, no executive sponsor, no economic buyer',
    });
  });

  it('treats a stakeholder leaving after asOf as still active', () => {
    const snapshot = makeSnapshot({ stakeholders: [makeStakeholder({ leftOn: addDays(asOf, 1) })] });
    expect(driver(snapshot, 'risk_signals')?.detail).toBe('no risk events');
    const gone = makeSnapshot({ stakeholders: [makeStakeholder({ leftOn: asOf })] });
    expect(driver(gone, 'risk_signals')?.detail).toBe(`champion Jane Doe left ${asOf}`);
  });

  it.each([
    [0, 100],
    [14, 100],
    [97, 50],
    [180, 0],
    [400, 0],
  ])('last contact %i days ago scores %i', (days, score) => {
    const snapshot = makeSnapshot({
      stakeholders: [makeStakeholder({ lastContactOn: addDays(asOf, -days) })],
    });
    expect(driver(snapshot, 'contact_recency')?.componentScore).toBe(score);
  });

  it('ignores signals after asOf and signals older than their lookback', () => {
    const future = makeSnapshot({
      signals: [makeSignal({ kind: 'competitor_evaluation', date: addDays(asOf, 1) })],
    });
    expect(driver(future, 'risk_signals')?.componentScore).toBe(100);
    const old = makeSnapshot({
      signals: [makeSignal({ kind: 'competitor_evaluation', date: addDays(asOf, -90) })],
    });
    expect(driver(old, 'risk_signals')?.componentScore).toBe(100);
    const live = makeSnapshot({
      signals: [makeSignal({ kind: 'competitor_evaluation', date: addDays(asOf, -89) })],
    });
    // 100 − 40 (competitor penalty) = 60, shifted below neutral: a live risk event always costs points.
    expect(driver(live, 'risk_signals')?.componentScore).toBe(10);
    expect(driver(live, 'risk_signals')?.impact).toBeLessThan(0);
  });
});

describe('expansion signal', () => {
  it('needs green plus a growth signal', () => {
    expect(health(makeHealthySnapshot(asOf)).expansionSignal).toBe(false);
    const interested = makeHealthySnapshot(asOf, {
      signals: [makeSignal({ kind: 'expansion_interest', date: '2026-11-01' })],
    });
    expect(health(interested)).toMatchObject({
      expansionSignal: true,
      expansionEvidence: ['expansion interest on 2026-11-01'],
    });
  });

  it('sees usage near the seat limit and growing usage', () => {
    const full = makeHealthySnapshot(asOf, {
      usage: weeklyUsage({ until: asOf, weeks: 12, activeUsers: 90 }),
    });
    expect(health(full).expansionEvidence).toEqual(['90% of licensed seats in use']);
    const growing = makeHealthySnapshot(asOf, {
      usage: weeklyUsage({ until: asOf, weeks: 12, activeUsers: (week) => (week < 7 ? 70 : 80) }),
    });
    expect(health(growing).expansionEvidence).toEqual(['active users +14% (30d vs prior 30d)']);
  });

  it('is off while a risk event is live or the account is not green', () => {
    const signals = [makeSignal({ kind: 'expansion_interest', date: '2026-11-01' })];
    const risky = makeHealthySnapshot(asOf, {
      signals: [...signals, makeSignal({ kind: 'leadership_change', date: '2026-11-01' })],
    });
    expect(health(risky).expansionSignal).toBe(false);
    expect(health(makeSnapshot({ signals })).expansionSignal).toBe(false);
  });
});

function snapshotArbitrary(): fc.Arbitrary<AccountSnapshot> {
  const day = fc.integer({ min: -200, max: 10 }).map((offset) => addDays(asOf, offset));
  return fc
    .record({
      usage: fc.array(
        fc.record({
          date: day,
          activeUsers: fc.nat({ max: 500 }),
          licensedSeats: fc.option(fc.integer({ min: 1, max: 500 })),
          coreFeatureAdoptionPct: fc.option(fc.integer({ min: 0, max: 100 })),
        }),
        { maxLength: 20 },
      ),
      tickets: fc.array(
        fc.record({
          openedOn: day,
          priority: fc.constantFrom('low', 'normal', 'high', 'urgent' as const),
          csat: fc.option(fc.integer({ min: 1, max: 5 })),
        }),
        { maxLength: 10 },
      ),
      surveys: fc.array(
        fc.oneof(
          fc.record({ date: day, kind: fc.constant('nps' as const), score: fc.integer({ min: 0, max: 10 }) }),
          fc.record({ date: day, kind: fc.constant('csat' as const), score: fc.integer({ min: 1, max: 5 }) }),
        ),
        { maxLength: 5 },
      ),
      stakeholders: fc.array(
        fc.record({
          role: fc.constantFrom(
            'user',
            'champion',
            'economic_buyer',
            'executive_sponsor',
            'technical' as const,
          ),
          stance: fc.option(fc.constantFrom('supporter', 'neutral', 'detractor' as const)),
          lastContactOn: fc.option(day),
          leftOn: fc.option(day),
        }),
        { maxLength: 8 },
      ),
      signals: fc.array(
        fc.record({
          date: day,
          kind: fc.constantFrom(
            'competitor_evaluation',
            'leadership_change',
            'acquisition',
            'budget_freeze',
            'expansion_interest',
            'usage_near_limit',
            'major_incident' as const,
          ),
        }),
        { maxLength: 5 },
      ),
    })
    .map((parts) =>
      makeSnapshot({
        usage: parts.usage.map((u) => makeUsage(u)),
        tickets: parts.tickets.map((t, index) => makeTicket({ ...t, ticketId: `T-${index}` })),
        surveys: parts.surveys.map((s) => makeSurvey(s)),
        stakeholders: parts.stakeholders.map((s, index) =>
          makeStakeholder({ ...s, stakeholderId: `S-${index}` }),
        ),
        signals: parts.signals.map((s) => makeSignal(s)),
      }),
    );
}
