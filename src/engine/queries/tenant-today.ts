/**
 * A workspace's "today": the calendar date at an instant in the tenant's time zone
 * (`tenant_settings.timezone`, UTC when unset) — the same day the daily run uses for that tenant
 * (src/jobs/daily-run-schedule.ts), so a Tokyo team at 08:00 sees its own date, not yesterday's UTC one.
 */
import { Temporal } from 'temporal-polyfill';
import type { CalendarDate } from '../../domain/calendar.ts';
import type { SqlSession } from '../../store/store.ts';

/** The zone of a workspace without settings. */
export const DEFAULT_ZONE = 'UTC';

export async function tenantZone(session: SqlSession, tenantId: string): Promise<string> {
  const [row] = await session.query<{ zone: string }>(
    'SELECT timezone AS zone FROM tenant_settings WHERE tenant_id = $1',
    [tenantId],
  );
  return row?.zone ?? DEFAULT_ZONE;
}

/** The calendar date at an instant in a zone. */
export function dateInZone(zone: string, at: Date | Temporal.Instant): CalendarDate {
  const instant = at instanceof Date ? Temporal.Instant.fromEpochMilliseconds(at.getTime()) : at;
  return instant.toZonedDateTimeISO(zone).toPlainDate().toString();
}

/** A zone the settings hold but Temporal does not know falls back to UTC rather than failing the request. */
export async function tenantToday(session: SqlSession, tenantId: string, at: Date): Promise<CalendarDate> {
  try {
    return dateInZone(await tenantZone(session, tenantId), at);
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
    return dateInZone(DEFAULT_ZONE, at);
  }
}
