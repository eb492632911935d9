/**
 * One scheduled unit of work: bring a tenant's daily run up to `day` (catching up every missed day
 * before it, in order, via `daysToRun`/`runDays`), then queue that day's internal digests.
 *
 * Safe to repeat and to race: a day already run is never run again (re-running an older day after a
 * newer one would rewind renewal fields), every write of the run is keyed, and digests are keyed per
 * user and day. Digests are queued only for the tenant's latest run day, so a late retry of an old
 * day does not mail yesterday's news.
 */
import { type CalendarDate, daysBetween } from '../domain/calendar.ts';
import { warmForecast } from '../engine/forecast/warm-forecast.ts';
import { tenantToday } from '../engine/queries/tenant-today.ts';
import { type DayReport, daysToRun, runDays } from '../engine/run-daily.ts';
import type { Logger } from '../logging/logger.ts';
import type { Store } from '../store/store.ts';
import { MAX_CATCH_UP_DAYS } from './daily-run-schedule.ts';
import { queueDigests } from './queue-digests.ts';

export type TenantDayResult = {
  tenantId: string;
  day: CalendarDate;
  reports: DayReport[];
  /** True when the day had already been run (by another worker, or a catch-up of a later day). */
  alreadyDone: boolean;
  digestsQueued: number;
};

async function lastRunDay(store: Store, tenantId: string): Promise<CalendarDate | null> {
  const [row] = await store.query<{ as_of: string | null }>(
    'SELECT max(as_of) AS as_of FROM daily_runs WHERE tenant_id = $1',
    [tenantId],
  );
  return row?.as_of ?? null;
}

export async function runTenantDay({
  store,
  tenantId,
  day,
  log,
  maxCatchUpDays = MAX_CATCH_UP_DAYS,
}: {
  store: Store;
  tenantId: string;
  day: CalendarDate;
  log?: Logger;
  maxCatchUpDays?: number;
}): Promise<TenantDayResult> {
  const before = await lastRunDay(store, tenantId);
  let reports: DayReport[] = [];
  if (before === null || before < day) {
    const { days, skippedBefore } = await daysToRun({ session: store, tenantId, asOf: day, maxCatchUpDays });
    if (skippedBefore)
      log?.warn(
        { tenantId, skippedBefore, from: days[0] },
        'catch-up longer than the limit; older days not run',
      );
    reports = await runDays({ store, tenantId, days });
  }
  const after = await lastRunDay(store, tenantId);
  const digestsQueued = after === day ? (await queueDigests({ session: store, tenantId, day })).queued : 0;
  log?.info(
    { tenantId, day, daysRun: reports.map((r) => r.asOf), digestsQueued },
    reports.length > 0 ? 'daily run done' : 'daily run already done',
  );
  // The forecast the API serves (as of the tenant's today) is built now, in this process, not on a user's request.
  const apiDay = await tenantToday(store, tenantId, new Date());
  if (after === day && reports.length > 0 && Math.abs(daysBetween(day, apiDay)) <= 1)
    await warmForecast({ session: store, tenantId, asOf: apiDay, log });
  return { tenantId, day, reports, alreadyDone: reports.length === 0, digestsQueued };
}
