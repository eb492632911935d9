/**
 * Calendar dates as plain `YYYY-MM-DD` strings with exact day arithmetic.
 *
 * A renewal's T-90 is ninety calendar days before the end date wherever the reader sits, so these
 * functions never touch a `Date` or a time zone: they convert to a day number (days since
 * 1970-01-01 in the proleptic Gregorian calendar) and back with integer arithmetic. This is the hot
 * path of the engine (every milestone of every renewal), which is why it is integer maths rather than
 * a Temporal object per call; zoned instants (the scheduler's "today in Tokyo") use Temporal.
 */
export type CalendarDate = string;

const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

export function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/** Returns null when the text is a well-formed, existing calendar date, otherwise why it is not. */
export function dateProblem(text: string): string | null {
  const match = DATE_PATTERN.exec(text);
  if (!match) return `${text} is not a date (expected YYYY-MM-DD)`;
  const year = Number(match[1]);
  const month = Number(match[2]);
  const day = Number(match[3]);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month) || year < 1900 || year > 2999) {
    return `${text} is not a date`;
  }
  return null;
}

export function isCalendarDate(text: string): text is CalendarDate {
  return dateProblem(text) === null;
}

/** Days since 1970-01-01 (Howard Hinnant's days_from_civil). */
export function toDayNumber(date: CalendarDate): number {
  let year = Number(date.slice(0, 4));
  const month = Number(date.slice(5, 7));
  const day = Number(date.slice(8, 10));
  year -= month <= 2 ? 1 : 0;
  const era = Math.floor(year / 400);
  const yearOfEra = year - era * 400;
  const dayOfYear = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146097 + dayOfEra - 719468;
}

export function fromDayNumber(dayNumber: number): CalendarDate {
  const z = dayNumber + 719468;
  const era = Math.floor(z / 146097);
  const dayOfEra = z - era * 146097;
  const yearOfEra = Math.floor(
    (dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36524) - Math.floor(dayOfEra / 146096)) /
      365,
  );
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const mp = Math.floor((5 * dayOfYear + 2) / 153);
  const day = dayOfYear - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

export function addDays(date: CalendarDate, days: number): CalendarDate {
  return fromDayNumber(toDayNumber(date) + days);
}

/** `later - earlier` in calendar days (negative when `later` is before `earlier`). */
export function daysBetween(earlier: CalendarDate, later: CalendarDate): number {
  return toDayNumber(later) - toDayNumber(earlier);
}

/** Adds whole months, clamping to the month's last day (Jan 31 + 1 month = Feb 28/29). */
export function addMonths(date: CalendarDate, months: number): CalendarDate {
  const year = Number(date.slice(0, 4));
  const month = Number(date.slice(5, 7));
  const day = Number(date.slice(8, 10));
  const index = year * 12 + (month - 1) + months;
  const newYear = Math.floor(index / 12);
  const newMonth = index - newYear * 12 + 1;
  const newDay = Math.min(day, daysInMonth(newYear, newMonth));
  return `${String(newYear).padStart(4, '0')}-${String(newMonth).padStart(2, '0')}-${String(newDay).padStart(2, '0')}`;
}

export function addYears(date: CalendarDate, years: number): CalendarDate {
  return addMonths(date, years * 12);
}

/** Average Gregorian month length, used to express "months early" as a decimal (4.5 months). */
export const DAYS_PER_MONTH = 365.2425 / 12;

export function monthsBetween(earlier: CalendarDate, later: CalendarDate): number {
  return Math.round((daysBetween(earlier, later) / DAYS_PER_MONTH) * 10) / 10;
}

export function monthOf(date: CalendarDate): number {
  return Number(date.slice(5, 7));
}

export function yearOf(date: CalendarDate): number {
  return Number(date.slice(0, 4));
}

export function compareDates(a: CalendarDate, b: CalendarDate): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function maxDate(a: CalendarDate, b: CalendarDate): CalendarDate {
  return a >= b ? a : b;
}

export function minDate(a: CalendarDate, b: CalendarDate): CalendarDate {
  return a <= b ? a : b;
}

/** Quarter label of a date, e.g. `2027-Q1`. */
export function quarterOf(date: CalendarDate): string {
  return `${yearOf(date)}-Q${Math.floor((monthOf(date) - 1) / 3) + 1}`;
}
