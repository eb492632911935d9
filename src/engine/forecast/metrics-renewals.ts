/** `perennial metrics` use cases: retention metrics from a CSV directory or from the store. */
import type { CalendarDate } from '../../domain/calendar.ts';
import type { Policy } from '../../domain/policy/policy-schema.ts';
import type { SqlSession } from '../../store/store.ts';
import { loadPolicy } from '../policy-store.ts';
import { loadCsvHistory } from './load-csv-history.ts';
import { loadStoreHistory } from './load-store-history.ts';
import { measureRetention, type RetentionDocument } from './measure-retention.ts';

export type MetricsRange = { from: CalendarDate; to: CalendarDate; asOf: CalendarDate };

export async function metricsFromCsv({
  inputDir,
  policy,
  range,
}: {
  inputDir: string;
  policy: Policy;
  range: MetricsRange;
}): Promise<RetentionDocument & { warnings: string[] }> {
  const history = await loadCsvHistory({ inputDir });
  return { ...measureRetention({ history, policy, ...range }), warnings: history.warnings };
}

/**
 * On the store a save play is known to have run when the engine flagged the renewal at risk (the
 * at-risk workflow started), and known not to have run when the engine evaluated it and never did.
 */
export async function metricsFromStore({
  session,
  tenantId,
  range,
}: {
  session: SqlSession;
  tenantId: string;
  range: MetricsRange;
}): Promise<RetentionDocument> {
  const { policy } = await loadPolicy(session, tenantId);
  const history = await loadStoreHistory({ session, tenantId });
  const rows = await session.query<{ contract_id: string; save_play: boolean }>(
    `SELECT contract_id, (at_risk_since IS NOT NULL) AS save_play FROM renewals
      WHERE tenant_id = $1 AND evaluated_on IS NOT NULL`,
    [tenantId],
  );
  const savePlays = new Map(rows.map((row) => [row.contract_id, Boolean(row.save_play)]));
  return measureRetention({ history, policy, ...range, savePlays });
}
