/**
 * `perennial forecast`: the forecast of a period, from a directory of CSVs as of a date (a dry run,
 * no database) or from the store (with the CSMs' recorded calls beside the model's).
 */
import type { CalendarDate } from '../../domain/calendar.ts';
import { FORECAST_CATEGORIES, type ForecastCategory } from '../../domain/forecast/categorize-forecast.ts';
import type { Period } from '../../domain/forecast/periods.ts';
import type { Policy } from '../../domain/policy/policy-schema.ts';
import type { SqlSession } from '../../store/store.ts';
import { loadPolicy } from '../policy-store.ts';
import { buildForecast, type CsmCall, type ForecastDocument } from './build-forecast.ts';
import { loadCsvHistory } from './load-csv-history.ts';
import { loadStoreHistory } from './load-store-history.ts';
import { buildTrainingCases, fitRenewalModelAsOf } from './renewal-model.ts';

export async function forecastFromCsv({
  inputDir,
  policy,
  asOf,
  period,
}: {
  inputDir: string;
  policy: Policy;
  asOf: CalendarDate;
  period: Period;
}): Promise<ForecastDocument & { warnings: string[] }> {
  const history = await loadCsvHistory({ inputDir });
  const model = fitRenewalModelAsOf({ cases: buildTrainingCases({ history, policy }), policy, asOf });
  return { ...buildForecast({ history, policy, asOf, period, model }), warnings: history.warnings };
}

/** The CSMs' recorded calls of a tenant's open renewals. */
export async function loadCsmCalls(session: SqlSession, tenantId: string): Promise<Map<string, CsmCall>> {
  const rows = await session.query<{
    contract_id: string;
    csm_category: string;
    csm_category_by: string | null;
    csm_category_at: string | Date | null;
    csm_note: string | null;
  }>(
    `SELECT contract_id, csm_category, csm_category_by, csm_category_at, csm_note
       FROM renewals WHERE tenant_id = $1 AND csm_category IS NOT NULL`,
    [tenantId],
  );
  const calls = new Map<string, CsmCall>();
  for (const row of rows) {
    if (!FORECAST_CATEGORIES.includes(row.csm_category as ForecastCategory)) continue;
    calls.set(row.contract_id, {
      category: row.csm_category as ForecastCategory,
      by: row.csm_category_by,
      at: row.csm_category_at === null ? null : new Date(row.csm_category_at).toISOString(),
      note: row.csm_note,
    });
  }
  return calls;
}

export async function forecastFromStore({
  session,
  tenantId,
  asOf,
  period,
}: {
  session: SqlSession;
  tenantId: string;
  asOf: CalendarDate;
  period: Period;
}): Promise<ForecastDocument & { policy: { name: string; version: number } }> {
  const { policy, version } = await loadPolicy(session, tenantId);
  const history = await loadStoreHistory({ session, tenantId });
  const model = fitRenewalModelAsOf({ cases: buildTrainingCases({ history, policy }), policy, asOf });
  const csmCalls = await loadCsmCalls(session, tenantId);
  return {
    ...buildForecast({ history, policy, asOf, period, model, csmCalls }),
    policy: { name: policy.name, version },
  };
}
