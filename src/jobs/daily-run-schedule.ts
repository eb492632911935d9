/**
 * When each tenant's daily run is due: pure scheduling math, no clock and no store (`now` and each
 * tenant's last completed day are arguments).
 *
 * A tenant runs once per local calendar day, at its configured local time in its IANA zone. The run
 * for local day D is due at exactly one instant:
 * - normally the local time on D in the zone;
 * - when that local time does not exist on D (spring forward, e.g. 02:30 in New York on the second
 *   Sunday of March), the first valid instant after it: the moment the clocks jump (03:00 local);
 * - when it exists twice (fall back), the first of the two, so the day never runs twice.
 * Catch-up after downtime: every day after the last completed one up to the latest day whose instant
 * has passed, each once, in order, none early. A tenant that never ran starts with the latest due day
 * (the daily run itself records long-past steps as skipped on a first run).
 */
import { Temporal } from 'temporal-polyfill';
import { addDays, type CalendarDate, daysBetween } from '../domain/calendar.ts';
import { DEFAULT_ZONE, dateInZone } from '../engine/queries/tenant-today.ts';

export const DEFAULT_RUN_TIME = '06:00';
export { DEFAULT_ZONE };
/** Mirrors `daysToRun`'s default: a catch-up longer than this starts this many days back. */
export const MAX_CATCH_UP_DAYS = 60;

const LOCAL_TIME = /^([01]\d|2[0-3]):([0-5]\d)$/;

export class ScheduleError extends Error {
  readonly code = 'schedule_invalid';
  constructor(message: string) {
    super(message);
    this.name = 'ScheduleError';
  }
}

/** `HH:MM` on a 24-hour clock; throws ScheduleError naming the value otherwise. */
export function parseLocalTime(text: string): { hour: number; minute: number } {
  const match = LOCAL_TIME.exec(text);
  if (!match) throw new ScheduleError(`daily run time ${JSON.stringify(text)} is not HH:MM (00:00–23:59)`);
  return { hour: Number(match[1]), minute: Number(match[2]) };
}

/** The canonical IANA id of a zone; throws ScheduleError for an unknown zone. */
export function checkZone(zone: string): string {
  try {
    return Temporal.Now.zonedDateTimeISO(zone).timeZoneId;
  } catch {
    throw new ScheduleError(`time zone ${JSON.stringify(zone)} is not a known IANA zone`);
  }
}

/** The calendar date at an instant in a zone (the same rule as the API's "today"). */
export const localDate = dateInZone;

/** The instant local midnight begins `day` in `zone` (a zone whose day starts at 01:00 is handled). */
export function startOfLocalDay(zone: string, day: CalendarDate): Date {
  const start = Temporal.PlainDate.from(day).toZonedDateTime({ timeZone: zone });
  return new Date(start.epochMilliseconds);
}

/** The instant the run for local day `day` is due (see the module comment for gaps and overlaps). */
export function runInstantFor({
  zone,
  localTime,
  day,
}: {
  zone: string;
  localTime: string;
  day: CalendarDate;
}): Date {
  const { hour, minute } = parseLocalTime(localTime);
  const wall = Temporal.PlainDate.from(day).toPlainDateTime({ hour, minute });
  const compatible = wall.toZonedDateTime(zone, { disambiguation: 'compatible' });
  if (Temporal.PlainDateTime.compare(compatible.toPlainDateTime(), wall) === 0) {
    // Exists once, or twice ('compatible' is then the earlier): never twice on fall-back.
    return new Date(compatible.epochMilliseconds);
  }
  // Skipped by a forward transition: run the moment the clocks jump.
  const before = wall.toZonedDateTime(zone, { disambiguation: 'earlier' });
  const transition = before.getTimeZoneTransition('next');
  return new Date((transition ?? compatible).epochMilliseconds);
}

/** The first run strictly after `after`: its local day and instant. */
export function nextRunInstant({
  zone,
  localTime,
  after,
}: {
  zone: string;
  localTime: string;
  after: Date;
}): { day: CalendarDate; at: Date } {
  const today = localDate(zone, after);
  const todayAt = runInstantFor({ zone, localTime, day: today });
  if (todayAt.getTime() > after.getTime()) return { day: today, at: todayAt };
  const tomorrow = addDays(today, 1);
  return { day: tomorrow, at: runInstantFor({ zone, localTime, day: tomorrow }) };
}

/** The latest local day whose run instant is at or before `now`. */
export function latestDueDay({
  zone,
  localTime,
  now,
}: {
  zone: string;
  localTime: string;
  now: Date;
}): CalendarDate {
  const today = localDate(zone, now);
  return runInstantFor({ zone, localTime, day: today }).getTime() <= now.getTime()
    ? today
    : addDays(today, -1);
}

export type TenantSchedule = {
  tenantId: string;
  zone: string;
  localTime: string;
  /** The last day with a completed daily run; null when the tenant never ran. */
  lastRunDay: CalendarDate | null;
};

export type TenantDays = {
  tenantId: string;
  /** The days to run, oldest first; the last is the latest due day. */
  days: CalendarDate[];
  /** Set when the gap was longer than the catch-up limit: the first missed day, not run. */
  skippedBefore: CalendarDate | null;
};

export type DueTenantDays = {
  due: TenantDays[];
  /** Tenants whose settings are invalid (unknown zone, bad time); they are not run until fixed. */
  problems: { tenantId: string; message: string }[];
};

/** Which tenants have days due at `now`, and which days (each missed day once, none early). */
export function dueTenantDays({
  tenants,
  now,
  maxCatchUpDays = MAX_CATCH_UP_DAYS,
}: {
  tenants: readonly TenantSchedule[];
  now: Date;
  maxCatchUpDays?: number;
}): DueTenantDays {
  const due: TenantDays[] = [];
  const problems: DueTenantDays['problems'] = [];
  for (const tenant of tenants) {
    let latest: CalendarDate;
    try {
      checkZone(tenant.zone);
      latest = latestDueDay({ zone: tenant.zone, localTime: tenant.localTime, now });
    } catch (error) {
      problems.push({ tenantId: tenant.tenantId, message: (error as Error).message });
      continue;
    }
    if (tenant.lastRunDay !== null && tenant.lastRunDay >= latest) continue;
    let start = tenant.lastRunDay === null ? latest : addDays(tenant.lastRunDay, 1);
    let skippedBefore: CalendarDate | null = null;
    if (daysBetween(start, latest) >= maxCatchUpDays) {
      skippedBefore = start;
      start = addDays(latest, -(maxCatchUpDays - 1));
    }
    const days: CalendarDate[] = [];
    for (let day = start; day <= latest; day = addDays(day, 1)) days.push(day);
    due.push({ tenantId: tenant.tenantId, days, skippedBefore });
  }
  return { due, problems };
}
