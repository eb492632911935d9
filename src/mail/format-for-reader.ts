/** Dates and money as a reader expects them in their locale (`March 14, 2027`, `2027年3月14日`, `14. März 2027`). */
import type { CalendarDate } from '../domain/calendar.ts';
import { formatMinor } from '../domain/money.ts';

export function formatDay(day: CalendarDate, locale: string): string {
  return new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeZone: 'UTC' }).format(
    new Date(`${day}T00:00:00Z`),
  );
}

/** Minor units in their currency: the exact decimal string goes to Intl, so no float holds the amount (JPY has no decimals). */
export function formatAmount(minor: number, currency: string, locale: string): string {
  return new Intl.NumberFormat(locale, { style: 'currency', currency }).format(
    formatMinor(minor, currency) as `${number}`,
  );
}
