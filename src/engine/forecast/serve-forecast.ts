/**
 * The forecast as the API serves it, cached. Building it reads the tenant's whole history (every
 * account, every dated record) — seconds at 100K accounts, and as many copies in memory as requests in
 * flight. The result only changes when its inputs do, so it is kept per process under a key of what it
 * is built from: the last import (the only writer of usage, tickets, surveys and signals), the policy
 * version, and a count/sum/max fingerprint of renewals (CSM calls, outcomes), contracts, accounts,
 * stakeholders and users; plus the day and the period. Requests for a key being built wait for that
 * one build instead of starting their own.
 */
import type { CalendarDate } from '../../domain/calendar.ts';
import type { Period } from '../../domain/forecast/periods.ts';
import type { SqlSession } from '../../store/store.ts';
import { loadPolicy } from '../policy-store.ts';
import { buildForecast, type ForecastDocument } from './build-forecast.ts';
import { loadCsmCalls } from './forecast-renewals.ts';
import { loadStoreHistory } from './load-store-history.ts';
import { loadTenantModel } from './tenant-model.ts';

const MAX_CACHED = 32;
const cache = new Map<string, Promise<ForecastDocument>>();

async function inputsKey(session: SqlSession, tenantId: string): Promise<string> {
  const [row] = await session.query<Record<string, string | number | null>>(
    `SELECT
       (SELECT max(id)::text FROM import_runs WHERE tenant_id = $1) AS import,
       (SELECT max(version) FROM policies WHERE tenant_id = $1) AS policy,
       (SELECT concat_ws(':', count(*), sum(version), count(csm_category), max(updated_at))
          FROM renewals WHERE tenant_id = $1) AS renewals,
       (SELECT concat_ws(':', count(*), max(updated_at)) FROM contracts WHERE tenant_id = $1) AS contracts,
       (SELECT concat_ws(':', count(*), max(updated_at)) FROM accounts WHERE tenant_id = $1) AS accounts,
       (SELECT concat_ws(':', count(*), max(updated_at)) FROM stakeholders WHERE tenant_id = $1) AS stakeholders,
       (SELECT concat_ws(':', count(*), max(updated_at)) FROM users WHERE tenant_id = $1) AS users`,
    [tenantId],
  );
  return JSON.stringify(row ?? null);
}

export async function serveForecast({
  session,
  tenantId,
  asOf,
  period,
}: {
  session: SqlSession;
  tenantId: string;
  asOf: CalendarDate;
  period: Period;
}): Promise<ForecastDocument> {
  const key = [tenantId, asOf, JSON.stringify(period), await inputsKey(session, tenantId)].join('|');
  let forecast = cache.get(key);
  if (!forecast) {
    forecast = (async () => {
      const { policy } = await loadPolicy(session, tenantId);
      const history = await loadStoreHistory({ session, tenantId });
      const model = await loadTenantModel({ session, tenantId, policy, asOf });
      const csmCalls = await loadCsmCalls(session, tenantId);
      return buildForecast({ history, policy, asOf, period, model, csmCalls });
    })();
    if (cache.size >= MAX_CACHED) cache.delete(cache.keys().next().value!);
    cache.set(key, forecast);
    // A failed build is not kept: the next request tries again.
    forecast.catch(() => cache.delete(key));
  }
  return forecast;
}
