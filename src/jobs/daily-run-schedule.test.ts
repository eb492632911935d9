import { describe, expect, it } from 'vitest';
import { addDays } from '../domain/calendar.ts';
import {
  dueTenantDays,
  latestDueDay,
  localDate,
  nextRunInstant,
  runInstantFor,
  ScheduleError,
  startOfLocalDay,
} from './daily-run-schedule.ts';

const iso = (date: Date) => date.toISOString();
const NY = 'America/New_York';

describe('runInstantFor', () => {
  it('is the local time in the zone', () => {
    expect(iso(runInstantFor({ zone: 'UTC', localTime: '06:00', day: '2027-01-05' }))).toBe(
      '2027-01-05T06:00:00.000Z',
    );
    expect(iso(runInstantFor({ zone: 'Asia/Tokyo', localTime: '06:00', day: '2027-01-05' }))).toBe(
      '2027-01-04T21:00:00.000Z',
    );
    expect(iso(runInstantFor({ zone: NY, localTime: '06:00', day: '2027-01-05' }))).toBe(
      '2027-01-05T11:00:00.000Z',
    );
    expect(iso(runInstantFor({ zone: NY, localTime: '06:00', day: '2027-07-05' }))).toBe(
      '2027-07-05T10:00:00.000Z',
    );
  });

  it('runs a local time skipped by spring-forward at the moment the clocks jump', () => {
    // 2027-03-14: New York goes 02:00 EST → 03:00 EDT; 02:30 does not exist.
    expect(iso(runInstantFor({ zone: NY, localTime: '02:30', day: '2027-03-14' }))).toBe(
      '2027-03-14T07:00:00.000Z', // 03:00 EDT
    );
    expect(iso(runInstantFor({ zone: NY, localTime: '02:00', day: '2027-03-14' }))).toBe(
      '2027-03-14T07:00:00.000Z',
    );
    // 03:00 exists and is the same instant; 01:59 is before the gap.
    expect(iso(runInstantFor({ zone: NY, localTime: '03:00', day: '2027-03-14' }))).toBe(
      '2027-03-14T07:00:00.000Z',
    );
    expect(iso(runInstantFor({ zone: NY, localTime: '01:59', day: '2027-03-14' }))).toBe(
      '2027-03-14T06:59:00.000Z',
    );
    // Europe: 2027-03-28 02:00 CET → 03:00 CEST.
    expect(iso(runInstantFor({ zone: 'Europe/Berlin', localTime: '02:15', day: '2027-03-28' }))).toBe(
      '2027-03-28T01:00:00.000Z',
    );
  });

  it('runs a local time repeated by fall-back once, at the first occurrence', () => {
    // 2026-11-01: New York 02:00 EDT → 01:00 EST; 01:30 happens twice.
    expect(iso(runInstantFor({ zone: NY, localTime: '01:30', day: '2026-11-01' }))).toBe(
      '2026-11-01T05:30:00.000Z', // 01:30 EDT, not 06:30Z (01:30 EST)
    );
  });

  it('handles a zone whose day begins at 01:00 (no local midnight) and half-hour zones', () => {
    // America/Santiago springs forward at 24:00 → 01:00 (2026-09-06).
    expect(localDate('America/Santiago', startOfLocalDay('America/Santiago', '2026-09-06'))).toBe(
      '2026-09-06',
    );
    expect(iso(runInstantFor({ zone: 'America/Santiago', localTime: '00:30', day: '2026-09-06' }))).toBe(
      '2026-09-06T04:00:00.000Z', // 01:00 -03
    );
    expect(iso(runInstantFor({ zone: 'Asia/Kolkata', localTime: '06:00', day: '2027-01-05' }))).toBe(
      '2027-01-05T00:30:00.000Z',
    );
  });

  it('rejects bad times', () => {
    expect(() => runInstantFor({ zone: 'UTC', localTime: '24:00', day: '2027-01-05' })).toThrow(
      ScheduleError,
    );
    expect(() => runInstantFor({ zone: 'UTC', localTime: '6:00', day: '2027-01-05' })).toThrow(ScheduleError);
  });
});

describe('nextRunInstant', () => {
  it('is later today before the run time, tomorrow at or after it', () => {
    expect(
      nextRunInstant({ zone: 'UTC', localTime: '06:00', after: new Date('2027-01-05T05:59:59Z') }),
    ).toEqual({
      day: '2027-01-05',
      at: new Date('2027-01-05T06:00:00Z'),
    });
    expect(
      nextRunInstant({ zone: 'UTC', localTime: '06:00', after: new Date('2027-01-05T06:00:00Z') }),
    ).toEqual({
      day: '2027-01-06',
      at: new Date('2027-01-06T06:00:00Z'),
    });
  });

  it('walks across both DST changes with exactly one run per local day', () => {
    for (const [zone, localTime] of [
      [NY, '02:30'],
      [NY, '01:30'],
      [NY, '00:00'],
      ['Europe/Berlin', '02:30'],
      ['Australia/Lord_Howe', '02:15'], // 30-minute DST shift
      ['America/Santiago', '00:15'],
    ] as const) {
      let at = new Date('2026-10-01T00:00:00Z');
      const days: string[] = [];
      while (at < new Date('2027-04-30T00:00:00Z')) {
        const next = nextRunInstant({ zone, localTime, after: at });
        expect(next.at.getTime()).toBeGreaterThan(at.getTime());
        // The run happens on its own local day, never earlier than the local time asked for.
        expect(localDate(zone, next.at)).toBe(next.day);
        days.push(next.day);
        at = next.at;
      }
      for (let i = 1; i < days.length; i++) expect(days[i]).toBe(addDays(days[i - 1]!, 1));
    }
  });
});

describe('dueTenantDays', () => {
  const tenant = (lastRunDay: string | null, zone = 'UTC', localTime = '06:00') => ({
    tenantId: 't',
    zone,
    localTime,
    lastRunDay,
  });

  it('is nothing before the run time, today after it', () => {
    const before = new Date('2027-01-05T05:00:00Z');
    const after = new Date('2027-01-05T06:00:00Z');
    expect(dueTenantDays({ tenants: [tenant('2027-01-04')], now: before }).due).toEqual([]);
    expect(dueTenantDays({ tenants: [tenant('2027-01-04')], now: after }).due).toEqual([
      { tenantId: 't', days: ['2027-01-05'], skippedBefore: null },
    ]);
  });

  it('catches up each missed day once, in order, none early', () => {
    const now = new Date('2027-01-10T05:00:00Z'); // the 10th is not due yet
    expect(dueTenantDays({ tenants: [tenant('2027-01-05')], now }).due[0]?.days).toEqual([
      '2027-01-06',
      '2027-01-07',
      '2027-01-08',
      '2027-01-09',
    ]);
  });

  it('starts a new tenant with the latest due day and caps a long gap', () => {
    const now = new Date('2027-06-01T12:00:00Z');
    expect(dueTenantDays({ tenants: [tenant(null)], now }).due[0]?.days).toEqual(['2027-06-01']);
    const capped = dueTenantDays({ tenants: [tenant('2027-01-01')], now, maxCatchUpDays: 10 }).due[0];
    expect(capped?.days).toHaveLength(10);
    expect(capped?.days.at(-1)).toBe('2027-06-01');
    expect(capped?.skippedBefore).toBe('2027-01-02');
  });

  it('uses the tenant zone: Tokyo runs its 06:00 the previous UTC evening', () => {
    const now = new Date('2027-01-04T21:00:00Z');
    expect(dueTenantDays({ tenants: [tenant('2027-01-04', 'Asia/Tokyo')], now }).due[0]?.days).toEqual([
      '2027-01-05',
    ]);
    expect(
      latestDueDay({ zone: 'Asia/Tokyo', localTime: '06:00', now: new Date('2027-01-04T20:59:00Z') }),
    ).toBe('2027-01-04');
  });

  it('reports invalid settings instead of throwing', () => {
    const result = dueTenantDays({
      tenants: [tenant(null, 'Mars/Olympus'), { ...tenant(null), tenantId: 'ok' }],
      now: new Date('2027-01-05T12:00:00Z'),
    });
    expect(result.problems).toEqual([{ tenantId: 't', message: expect.stringContaining('Mars/Olympus') }]);
    expect(result.due.map((d) => d.tenantId)).toEqual(['ok']);
  });
});
