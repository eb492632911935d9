/**
 * Reporting periods: a year (`2027`), a quarter (`2027-Q1`) or a month (`2027-03`), each an inclusive
 * range of calendar dates. Pure string and integer arithmetic (see `../calendar.ts`), no time zone.
 */
import { type CalendarDate, daysInMonth, monthOf, yearOf } from '../calendar.ts';
import { ForecastError } from './forecast-error.ts';

export type PeriodKind = 'year' | 'quarter' | 'month';

/** A reporting period; `end` is the last day of the period (inclusive). */
export type Period = { label: string; kind: PeriodKind; start: CalendarDate; end: CalendarDate };

const YEAR_PATTERN = /^(\d{4})$/;
const QUARTER_PATTERN = /^(\d{4})-[Qq]([1-4])$/;
const MONTH_PATTERN = /^(\d{4})-(\d{2})$/;
const MIN_YEAR = 1900;
const MAX_YEAR = 2999;

function pad2(value: number): string {
  return String(value).padStart(2, '0');
}

function monthRange(year: number, firstMonth: number, lastMonth: number): { start: string; end: string } {
  return {
    start: `${year}-${pad2(firstMonth)}-01`,
    end: `${year}-${pad2(lastMonth)}-${pad2(daysInMonth(year, lastMonth))}`,
  };
}

function checkYear(text: string, year: number): void {
  if (year < MIN_YEAR || year > MAX_YEAR) {
    throw new ForecastError(
      'invalid_period',
      `period ${text}: year must be between ${MIN_YEAR} and ${MAX_YEAR}`,
    );
  }
}

function yearPeriod(year: number): Period {
  return { label: String(year), kind: 'year', ...monthRange(year, 1, 12) };
}

function quarterPeriod(year: number, quarter: number): Period {
  const first = (quarter - 1) * 3 + 1;
  return { label: `${year}-Q${quarter}`, kind: 'quarter', ...monthRange(year, first, first + 2) };
}

function monthPeriod(year: number, month: number): Period {
  return { label: `${year}-${pad2(month)}`, kind: 'month', ...monthRange(year, month, month) };
}

/**
 * Parses `2027` (year), `2027-Q1` (quarter; `q1` accepted) or `2027-03` (month) into its inclusive
 * date range. Throws `ForecastError('invalid_period')` saying what is expected.
 */
export function parsePeriod(text: string): Period {
  const trimmed = text.trim();
  const year = YEAR_PATTERN.exec(trimmed);
  if (year) {
    const value = Number(year[1]);
    checkYear(trimmed, value);
    return yearPeriod(value);
  }
  const quarter = QUARTER_PATTERN.exec(trimmed);
  if (quarter) {
    const value = Number(quarter[1]);
    checkYear(trimmed, value);
    return quarterPeriod(value, Number(quarter[2]));
  }
  const month = MONTH_PATTERN.exec(trimmed);
  if (month) {
    const value = Number(month[1]);
    const monthNumber = Number(month[2]);
    checkYear(trimmed, value);
    if (monthNumber < 1 || monthNumber > 12) {
      throw new ForecastError('invalid_period', `period ${trimmed}: month must be 01 to 12`);
    }
    return monthPeriod(value, monthNumber);
  }
  throw new ForecastError(
    'invalid_period',
    `period "${text}" is not a period (expected a year 2027, a quarter 2027-Q1 or a month 2027-03)`,
  );
}

/** The period of the given kind that contains a date. */
export function periodOf(date: CalendarDate, kind: PeriodKind): Period {
  const year = yearOf(date);
  const month = monthOf(date);
  if (kind === 'year') return yearPeriod(year);
  if (kind === 'quarter') return quarterPeriod(year, Math.floor((month - 1) / 3) + 1);
  return monthPeriod(year, month);
}

/** Whether `date` lies inside the period (both ends inclusive). */
export function periodContains(period: Pick<Period, 'start' | 'end'>, date: CalendarDate): boolean {
  return date >= period.start && date <= period.end;
}

export type ListPeriodsOptions = { start: CalendarDate; end: CalendarDate };

function listPeriods({ start, end }: ListPeriodsOptions, kind: 'month' | 'quarter'): Period[] {
  if (start > end) {
    throw new ForecastError('invalid_range', `range ${start}..${end}: start is after end`);
  }
  const periods: Period[] = [];
  let current = periodOf(start, kind);
  while (current.start <= end) {
    periods.push(current);
    const year = yearOf(current.end);
    const month = monthOf(current.end);
    current = periodOf(month === 12 ? `${year + 1}-01-01` : `${year}-${pad2(month + 1)}-01`, kind);
  }
  return periods;
}

/** Every calendar month that overlaps the inclusive range, in order. */
export function listMonths(range: ListPeriodsOptions): Period[] {
  return listPeriods(range, 'month');
}

/** Every calendar quarter that overlaps the inclusive range, in order. */
export function listQuarters(range: ListPeriodsOptions): Period[] {
  return listPeriods(range, 'quarter');
}
