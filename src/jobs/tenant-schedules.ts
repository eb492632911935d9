/** Tenants' schedules from the store, and the embedded tick that runs whatever is due. */
import type { Logger } from '../logging/logger.ts';
import type { SqlSession, Store } from '../store/store.ts';
import {
  DEFAULT_RUN_TIME,
  DEFAULT_ZONE,
  type DueTenantDays,
  dueTenantDays,
  type TenantSchedule,
} from './daily-run-schedule.ts';
import { runTenantDay, type TenantDayResult } from './run-tenant-day.ts';

export async function loadTenantSchedules(session: SqlSession): Promise<TenantSchedule[]> {
  const rows = await session.query<{
    tenant_id: string;
    zone: string;
    local_time: string;
    last_run: string | null;
  }>(
    `SELECT t.id AS tenant_id, coalesce(s.timezone, '${DEFAULT_ZONE}') AS zone,
            coalesce(s.daily_run_time, '${DEFAULT_RUN_TIME}') AS local_time,
            (SELECT max(as_of) FROM daily_runs d WHERE d.tenant_id = t.id) AS last_run
       FROM tenants t LEFT JOIN tenant_settings s ON s.tenant_id = t.id
      ORDER BY t.id`,
  );
  return rows.map((row) => ({
    tenantId: row.tenant_id,
    zone: row.zone,
    localTime: row.local_time,
    lastRunDay: row.last_run,
  }));
}

/** Which tenant-days are due now (problems — bad zone or time — are logged, not thrown). */
export async function findDueTenantDays({
  store,
  now,
  log,
}: {
  store: Store;
  now: Date;
  log?: Logger;
}): Promise<DueTenantDays> {
  const result = dueTenantDays({ tenants: await loadTenantSchedules(store), now });
  for (const problem of result.problems)
    log?.error(
      { tenantId: problem.tenantId },
      `tenant settings: ${problem.message}; daily run not scheduled`,
    );
  return result;
}

/** One embedded tick: runs every due tenant up to its latest due day, in-process. */
export async function runDueTenantDays({
  store,
  now,
  log,
}: {
  store: Store;
  now: Date;
  log?: Logger;
}): Promise<TenantDayResult[]> {
  const { due } = await findDueTenantDays({ store, now, log });
  const results: TenantDayResult[] = [];
  for (const tenant of due) {
    const day = tenant.days.at(-1)!;
    try {
      results.push(await runTenantDay({ store, tenantId: tenant.tenantId, day, log }));
    } catch (error) {
      // One tenant's failure does not hold the others back; the next tick retries it.
      log?.error({ tenantId: tenant.tenantId, day, err: error }, 'daily run failed; retrying next tick');
    }
  }
  return results;
}
