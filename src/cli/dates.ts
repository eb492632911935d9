import { Temporal } from 'temporal-polyfill';
import { type CalendarDate, dateProblem } from '../domain/calendar.ts';

/** Today's calendar date in a time zone (the machine's by default). */
export function today(timeZone?: string): CalendarDate {
  return Temporal.Now.plainDateISO(timeZone ?? Temporal.Now.timeZoneId()).toString();
}

/** Parses a `--as-of`-style option, with a message naming the option when it is not a date. */
export function parseDateOption(
  name: string,
  value: string | undefined,
  fallback: () => CalendarDate,
): CalendarDate {
  if (value === undefined) return fallback();
  const problem = dateProblem(value);
  if (problem) throw new CliUsageError(`${name}: ${problem}`);
  return value;
}

export function parseCountOption(
  name: string,
  value: string | undefined,
  fallback: number,
  max = 10_000_000,
): number {
  if (value === undefined) return fallback;
  if (!/^\d+$/.test(value) || Number(value) > max)
    throw new CliUsageError(`${name}: ${value} is not a whole number up to ${max}`);
  return Number(value);
}

export class CliUsageError extends Error {
  readonly code = 'usage';
  constructor(message: string) {
    super(message);
    this.name = 'CliUsageError';
  }
}
