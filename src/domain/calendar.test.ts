import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addDays,
  addMonths,
  addYears,
  compareDates,
  dateProblem,
  daysBetween,
  daysInMonth,
  fromDayNumber,
  isCalendarDate,
  isLeapYear,
  maxDate,
  minDate,
  monthOf,
  monthsBetween,
  quarterOf,
  toDayNumber,
  yearOf,
} from './calendar.ts';

const dayNumbers = fc.integer({ min: toDayNumber('1900-01-01'), max: toDayNumber('2999-12-31') });
/** Leaves room to move a few years either way and stay in the supported 1900–2999 range. */
const innerDayNumbers = fc.integer({ min: toDayNumber('1905-01-01'), max: toDayNumber('2994-12-31') });

describe('leap years and month lengths', () => {
  it('follows the Gregorian rules', () => {
    expect(isLeapYear(2024)).toBe(true);
    expect(isLeapYear(2026)).toBe(false);
    expect(isLeapYear(1900)).toBe(false);
    expect(isLeapYear(2000)).toBe(true);
    expect(daysInMonth(2024, 2)).toBe(29);
    expect(daysInMonth(2026, 2)).toBe(28);
    expect(daysInMonth(2026, 4)).toBe(30);
    expect(daysInMonth(2026, 12)).toBe(31);
  });
});

describe('dateProblem', () => {
  it.each(['2024-02-29', '2026-12-31', '1900-01-01', '2999-12-31'])('accepts %s', (text) => {
    expect(dateProblem(text)).toBeNull();
    expect(isCalendarDate(text)).toBe(true);
  });
  it.each([
    '2026-02-29',
    '2026-13-01',
    '2026-00-10',
    '2026-04-31',
    '2026-1-01',
    '26-01-01',
    '2026-01-01T00:00',
    '1899-12-31',
    '3000-01-01',
    '',
  ])('rejects %s', (text) => {
    expect(dateProblem(text)).not.toBeNull();
    expect(isCalendarDate(text)).toBe(false);
  });
});

describe('day numbers', () => {
  it('counts from 1970-01-01', () => {
    expect(toDayNumber('1970-01-01')).toBe(0);
    expect(toDayNumber('1970-01-02')).toBe(1);
    expect(toDayNumber('1969-12-31')).toBe(-1);
    expect(toDayNumber('2000-03-01') - toDayNumber('2000-02-28')).toBe(2);
  });
  it('round-trips every day number (property)', () => {
    fc.assert(fc.property(dayNumbers, (n) => toDayNumber(fromDayNumber(n)) === n));
  });
  it('produces valid, ordered dates (property)', () => {
    fc.assert(
      fc.property(dayNumbers, (n) => {
        const date = fromDayNumber(n);
        return isCalendarDate(date) && fromDayNumber(n + 1) > date;
      }),
    );
  });
  it('does not depend on the process time zone', () => {
    // Same answers as UTC arithmetic whatever TZ the tests run under.
    const viaDate = new Date(Date.UTC(2026, 2, 29)).getTime() / 86_400_000;
    expect(toDayNumber('2026-03-29')).toBe(viaDate);
  });
});

describe('addDays / daysBetween', () => {
  it('crosses month ends, year ends and Feb 29', () => {
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(addDays('2024-02-29', 1)).toBe('2024-03-01');
    expect(addDays('2026-02-28', 1)).toBe('2026-03-01');
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2027-01-01', -1)).toBe('2026-12-31');
    expect(addDays('2026-12-31', -90)).toBe('2026-10-02');
  });
  it('crosses DST changes without drifting (US and EU spring forward)', () => {
    expect(addDays('2026-03-07', 1)).toBe('2026-03-08');
    expect(addDays('2026-03-28', 2)).toBe('2026-03-30');
    expect(daysBetween('2026-03-01', '2026-04-01')).toBe(31);
  });
  it('is the inverse of daysBetween (property)', () => {
    fc.assert(
      fc.property(dayNumbers, fc.integer({ min: -1000, max: 1000 }), (n, k) => {
        const date = fromDayNumber(n);
        return daysBetween(date, addDays(date, k)) === k;
      }),
    );
  });
});

describe('addMonths / addYears', () => {
  it('clamps to the last day of the month', () => {
    expect(addMonths('2026-01-31', 1)).toBe('2026-02-28');
    expect(addMonths('2024-01-31', 1)).toBe('2024-02-29');
    expect(addMonths('2026-03-31', -1)).toBe('2026-02-28');
    expect(addMonths('2027-03-31', -3)).toBe('2026-12-31');
    expect(addMonths('2026-05-31', 1)).toBe('2026-06-30');
    expect(addMonths('2026-11-15', 2)).toBe('2027-01-15');
    expect(addMonths('2026-01-15', -13)).toBe('2024-12-15');
  });
  it('takes Feb 29 to Feb 28 in a common year', () => {
    expect(addYears('2024-02-29', 1)).toBe('2025-02-28');
    expect(addYears('2024-02-29', 4)).toBe('2028-02-29');
    expect(addYears('2024-02-29', -1)).toBe('2023-02-28');
  });
  it('never moves more than the month lengths allow (property)', () => {
    fc.assert(
      fc.property(innerDayNumbers, fc.integer({ min: -36, max: 36 }), (n, months) => {
        const date = fromDayNumber(n);
        const moved = addMonths(date, months);
        const monthIndex = (d: string) => yearOf(d) * 12 + monthOf(d);
        return isCalendarDate(moved) && monthIndex(moved) - monthIndex(date) === months;
      }),
    );
  });
});

describe('helpers', () => {
  it('expresses months as one decimal', () => {
    expect(monthsBetween('2026-01-01', '2026-01-01')).toBe(0);
    expect(monthsBetween('2026-01-01', '2027-01-01')).toBe(12);
    expect(monthsBetween('2026-08-16', '2027-01-01')).toBe(4.5);
  });
  it('compares, picks and labels quarters', () => {
    expect(compareDates('2026-01-01', '2026-01-02')).toBe(-1);
    expect(compareDates('2026-01-02', '2026-01-01')).toBe(1);
    expect(compareDates('2026-01-01', '2026-01-01')).toBe(0);
    expect(maxDate('2026-01-01', '2026-02-01')).toBe('2026-02-01');
    expect(minDate('2026-01-01', '2026-02-01')).toBe('2026-01-01');
    expect(quarterOf('2027-01-01')).toBe('2027-Q1');
    expect(quarterOf('2026-12-31')).toBe('2026-Q4');
    expect(quarterOf('2026-04-01')).toBe('2026-Q2');
  });
});
