/**
 * `perennial forecast override`: records a CSM's forecast call on a renewal beside the model's
 * (`renewals.csm_category`, who, when, why). The model's category (`forecast_category`) is never
 * replaced; the forecast shows the CSM's call as the effective category and lists the disagreement.
 * Every call is also written to the audit log.
 */
import { z } from 'zod';
import { FORECAST_CATEGORIES, type ForecastCategory } from '../../domain/forecast/categorize-forecast.ts';
import type { Store } from '../../store/store.ts';
import { ForecastEngineError } from './forecast-engine-error.ts';

export const ForecastOverrideSchema = z.object({
  contractId: z.string().trim().min(1),
  category: z.enum(FORECAST_CATEGORIES),
  by: z.string().trim().min(1),
  note: z.string().trim().max(2000).nullable().default(null),
});
export type ForecastOverride = z.input<typeof ForecastOverrideSchema>;

export type ForecastOverrideResult = {
  contractId: string;
  modelCategory: ForecastCategory | null;
  csmCategory: ForecastCategory;
  previousCsmCategory: ForecastCategory | null;
  disagreement: boolean;
  by: string;
  note: string | null;
};

export async function recordForecastOverride({
  store,
  tenantId,
  override,
}: {
  store: Store;
  tenantId: string;
  override: ForecastOverride;
}): Promise<ForecastOverrideResult> {
  const { contractId, category, by, note } = ForecastOverrideSchema.parse(override);
  return store.transaction(async (tx) => {
    const [user] = await tx.query<{ user_id: string }>(
      'SELECT user_id FROM users WHERE tenant_id = $1 AND user_id = $2 AND NOT disabled',
      [tenantId, by],
    );
    if (!user) throw new ForecastEngineError('unknown_user', `--as ${by}: no such active user`);
    const [contract] = await tx.query<{ account_id: string }>(
      'SELECT account_id FROM contracts WHERE tenant_id = $1 AND contract_id = $2',
      [tenantId, contractId],
    );
    if (!contract)
      throw new ForecastEngineError('unknown_contract', `--contract ${contractId}: no such contract`);
    const [existing] = await tx.query<{
      outcome: string;
      forecast_category: ForecastCategory | null;
      csm_category: ForecastCategory | null;
      csm_note: string | null;
    }>(
      'SELECT outcome, forecast_category, csm_category, csm_note FROM renewals WHERE tenant_id = $1 AND contract_id = $2 FOR UPDATE',
      [tenantId, contractId],
    );
    if (existing && existing.outcome !== 'pending') {
      throw new ForecastEngineError(
        'renewal_closed',
        `renewal of ${contractId} is already ${existing.outcome}; a forecast call applies to open renewals`,
      );
    }
    await tx.execute(
      `INSERT INTO renewals AS r (tenant_id, contract_id, account_id, csm_category, csm_category_by, csm_category_at, csm_note)
       VALUES ($1, $2, $3, $4, $5, now(), $6)
       ON CONFLICT (tenant_id, contract_id) DO UPDATE SET
         csm_category = EXCLUDED.csm_category, csm_category_by = EXCLUDED.csm_category_by,
         csm_category_at = EXCLUDED.csm_category_at, csm_note = EXCLUDED.csm_note,
         version = r.version + 1, updated_at = now()`,
      [tenantId, contractId, contract.account_id, category, by, note],
    );
    await tx.execute(
      `INSERT INTO audit_log (tenant_id, actor, action, entity, entity_id, changes)
       VALUES ($1, $2, 'forecast_override', 'renewal', $3, $4)`,
      [
        tenantId,
        by,
        contractId,
        JSON.stringify({
          csm_category: { old: existing?.csm_category ?? null, new: category },
          csm_note: { old: existing?.csm_note ?? null, new: note },
        }),
      ],
    );
    const modelCategory = existing?.forecast_category ?? null;
    return {
      contractId,
      modelCategory,
      csmCategory: category,
      previousCsmCategory: existing?.csm_category ?? null,
      disagreement: modelCategory !== null && modelCategory !== category,
      by,
      note,
    };
  });
}
