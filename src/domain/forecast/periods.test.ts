import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays, fromDayNumber, toDayNumber } from '../calendar.ts';
import { ForecastError } from './forecast-error.ts';
import { listMonths, listQuarters, parsePeriod, periodContains, periodOf } from './periods.ts';

function codeOf(run: () => unknown): string | null {
  try {
    run();
    return null;
  } catch (error) {
    return error instanceof ForecastError ? error.code : 'not a ForecastError';
  }
}

describe('parsePeriod', () => {
  it('parses quarters', () => {
    expect(parsePeriod('2027-Q1')).toEqual({
      label: '2027-Q1',
      kind: 'quarter',
      start: '2027-01-01',
      end: '2027-03-31',
    });
    expect(parsePeriod('2027-Q2')).toMatchObject({ start: '2027-04-01', end: '2027-06-30' });
    expect(parsePeriod('2027-Q3')).toMatchObject({ start: '2027-07-01', end: '2027-09-30' });
    expect(parsePeriod('2027-q4')).toMatchObject({
      label: '2027-Q4',
      start: '2027-10-01',
      end: '2027-12-31',
    });
  });
  it('parses months with their real length, Feb 29 included', () => {
    expect(parsePeriod('2027-03')).toEqual({
      label: '2027-03',
      kind: 'month',
      start: '2027-03-01',
      end: '2027-03-31',
    });
    expect(parsePeriod('2027-02').end).toBe('2027-02-28');
    expect(parsePeriod('2028-02').end).toBe('2028-02-29');
    expect(parsePeriod('2100-02').end).toBe('2100-02-28');
    expect(parsePeriod('2000-02').end).toBe('2000-02-29');
    expect(parsePeriod('2027-04').end).toBe('2027-04-30');
  });
  it('parses years and trims white space', () => {
    expect(parsePeriod(' 2027 ')).toEqual({
      label: '2027',
      kind: 'year',
      start: '2027-01-01',
      end: '2027-12-31',
    });
  });
  it.each([
    '2027-Q5',
    '2027-Q0',
    '2027-13',
    '2027-00',
    '27-Q1',
    'Q1-2027',
    '',
    '2027-3',
    '2027/03',
    '1899',
    '3000-Q1',
  ])('rejects %j with a typed error', (text) => {
    expect(codeOf(() => parsePeriod(text))).toBe('invalid_period');
  });
  it('says what it expected', () => {
    expect(() => parsePeriod('next quarter')).toThrow(
      /expected a year 2027, a quarter 2027-Q1 or a month 2027-03/,
    );
    expect(() => parsePeriod('2027-13')).toThrow(/month must be 01 to 12/);
  });
});

describe('periodOf and periodContains', () => {
  it('finds the period of a date and includes both ends', () => {
    expect(periodOf('2027-05-31', 'quarter').label).toBe('2027-Q2');
    expect(periodOf('2027-05-31', 'month').label).toBe('2027-05');
    expect(periodOf('2027-05-31', 'year').label).toBe('2027');
    const q1 = parsePeriod('2027-Q1');
    expect(periodContains(q1, '2027-01-01')).toBe(true);
    expect(periodContains(q1, '2027-03-31')).toBe(true);
    expect(periodContains(q1, '2026-12-31')).toBe(false);
    expect(periodContains(q1, '2027-04-01')).toBe(false);
  });
});

describe('listMonths and listQuarters', () => {
  it('lists every month overlapping the range, across a year end', () => {
    expect(listMonths({ start: '2026-11-15', end: '2027-02-01' }).map((m) => m.label)).toEqual([
      '2026-11',
      '2026-12',
      '2027-01',
      '2027-02',
    ]);
    expect(listMonths(parsePeriod('2027-Q1')).map((m) => m.label)).toEqual(['2027-01', '2027-02', '2027-03']);
    expect(listMonths({ start: '2027-03-31', end: '2027-03-31' }).map((m) => m.label)).toEqual(['2027-03']);
  });
  it('lists quarters', () => {
    expect(listQuarters(parsePeriod('2027')).map((q) => q.label)).toEqual([
      '2027-Q1',
      '2027-Q2',
      '2027-Q3',
      '2027-Q4',
    ]);
    expect(listQuarters({ start: '2026-12-31', end: '2027-01-01' }).map((q) => q.label)).toEqual([
      '2026-Q4',
      '2027-Q1',
    ]);
    expect(listQuarters(parsePeriod('2027-05')).map((q) => q.label)).toEqual(['2027-Q2']);
  });
  it('rejects a reversed range', () => {
    expect(codeOf(() => listMonths({ start: '2027-02-01', end: '2027-01-31' }))).toBe('invalid_range');
  });
  it('tiles any range without gaps or overlaps (property)', () => {
    const day = fc.integer({ min: toDayNumber('1950-01-01'), max: toDayNumber('2950-12-31') });
    fc.assert(
      fc.property(day, fc.integer({ min: 0, max: 800 }), (startDay, length) => {
        const start = fromDayNumber(startDay);
        const end = fromDayNumber(startDay + length);
        for (const list of [listMonths({ start, end }), listQuarters({ start, end })]) {
          const first = list[0];
          expect(first && first.start <= start && start <= first.end).toBe(true);
          const last = list.at(-1);
          expect(last && last.start <= end && end <= last.end).toBe(true);
          for (let i = 1; i < list.length; i++)
            expect(list[i]?.start).toBe(addDays(list[i - 1]?.end ?? '', 1));
        }
      }),
    );
  });
  it('places every date inside its own period (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: toDayNumber('1900-01-01'), max: toDayNumber('2999-12-31') }),
        (dayNumber) => {
          const date = fromDayNumber(dayNumber);
          for (const kind of ['year', 'quarter', 'month'] as const) {
            const period = periodOf(date, kind);
            expect(periodContains(period, date)).toBe(true);
            expect(parsePeriod(period.label)).toEqual(period);
          }
        },
      ),
    );
  });
});
