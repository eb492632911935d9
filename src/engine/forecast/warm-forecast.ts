/**
 * Builds the forecast the API serves by default (this quarter, as of today) into this process's cache,
 * serialised and gzipped, so the first request after the daily run is answered from memory instead of
 * reading the whole history on a user's request. Called where the daily run finishes (`runTenantDay`).
 * Only a process that serves the API warms — one whose forecast route registered its serializer — so a
 * `perennial worker` or a CLI run does not build a document nobody will ask it for. A failure is only
 * logged: the next request builds it.
 */
import type { CalendarDate } from '../../domain/calendar.ts';
import { periodOf } from '../../domain/forecast/periods.ts';
import type { Logger } from '../../logging/logger.ts';
import type { SqlSession } from '../../store/store.ts';
import { registeredForecastSerializer, serveForecast } from './serve-forecast.ts';

export type WarmForecastOptions = {
  session: SqlSession;
  tenantId: string;
  /** The day the API answers for (its `todayOf`: the UTC date of its clock). */
  asOf: CalendarDate;
  log?: Logger;
};

export type WarmForecastResult =
  | { status: 'warmed'; seconds: number }
  | { status: 'skipped'; reason: 'no API in this process' }
  | { status: 'failed' };

export async function warmForecast({
  session,
  tenantId,
  asOf,
  log,
}: WarmForecastOptions): Promise<WarmForecastResult> {
  const serialize = registeredForecastSerializer();
  if (!serialize) return { status: 'skipped', reason: 'no API in this process' };
  const started = process.hrtime.bigint();
  try {
    const period = periodOf(asOf, 'quarter');
    await serveForecast({ session, tenantId, asOf, period });
    // Asked again once built: a build longer than the fingerprint's age limit (PostgreSQL at 100K) would
    // otherwise leave the first user request to re-read it; unchanged inputs give the same document.
    const forecast = await serveForecast({ session, tenantId, asOf, period });
    forecast.gzipped(serialize);
    return { status: 'warmed', seconds: Number(process.hrtime.bigint() - started) / 1e9 };
  } catch (error) {
    log?.warn({ tenantId, asOf, err: error }, 'forecast warm-up failed; the next request builds it');
    return { status: 'failed' };
  }
}
