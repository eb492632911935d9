/**
 * The renewal model of a tenant in the store, fitted on its closed renewals. Fitting reads the whole
 * history, so the result is stored (renewal_models, keyed by a fingerprint of what it depends on:
 * closed renewals, imports, the policy) and reused by every process until one of those changes; a
 * per-process cache saves the read.
 */
import { createHash } from 'node:crypto';
import type { CalendarDate } from '../../domain/calendar.ts';
import type { Policy } from '../../domain/policy/policy-schema.ts';
import type { SqlSession } from '../../store/store.ts';
import { loadStoreHistory } from './load-store-history.ts';
import { buildTrainingCases, fitRenewalModelAsOf, type RenewalModel } from './renewal-model.ts';

const cache = new Map<string, RenewalModel>();
const MAX_CACHED = 16;

export async function loadTenantModel({
  session,
  tenantId,
  policy,
  asOf,
}: {
  session: SqlSession;
  tenantId: string;
  policy: Policy;
  asOf: CalendarDate;
}): Promise<RenewalModel> {
  const [state] = await session.query<{
    closed: number;
    last_closed: string | null;
    last_import: string | null;
  }>(
    `SELECT
       (SELECT count(*)::int FROM renewals r JOIN contracts c USING (tenant_id, contract_id)
          WHERE r.tenant_id = $1 AND r.outcome <> 'pending'
            AND coalesce(r.closed_on, c.end_date) <= $2::date AND c.end_date - $3::int <= $2::date) AS closed,
       (SELECT max(updated_at)::text FROM renewals WHERE tenant_id = $1 AND outcome <> 'pending') AS last_closed,
       (SELECT concat_ws(':', count(*), max(id)) FROM import_runs WHERE tenant_id = $1 AND status = 'done') AS last_import`,
    [tenantId, asOf, policy.forecast.model.featureLeadDays],
  );
  const policyHash = createHash('sha256').update(JSON.stringify(policy)).digest('hex').slice(0, 16);
  const key = [tenantId, state?.closed, state?.last_closed, state?.last_import, policyHash].join('|');
  const cached = cache.get(key);
  if (cached) return cached;
  const fingerprint = createHash('sha256').update(key).digest('hex');
  const [stored] = await session.query<{ model: RenewalModel }>(
    'SELECT model FROM renewal_models WHERE tenant_id = $1 AND fingerprint = $2',
    [tenantId, fingerprint],
  );
  let model = stored?.model;
  if (!model) {
    const history = await loadStoreHistory({ session, tenantId });
    const cases = buildTrainingCases({ history, policy });
    model = fitRenewalModelAsOf({ cases, policy, asOf });
    await session.execute(
      `INSERT INTO renewal_models (tenant_id, fingerprint, fitted_on, model) VALUES ($1, $2, $3, $4)
       ON CONFLICT (tenant_id, fingerprint) DO NOTHING`,
      [tenantId, fingerprint, asOf, JSON.stringify(model)],
    );
  }
  if (cache.size >= MAX_CACHED) cache.clear();
  cache.set(key, model);
  return model;
}
