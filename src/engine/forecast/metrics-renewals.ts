/** `perennial metrics` use cases: retention metrics from a CSV directory or from the store. */
import type { CalendarDate } from '../../domain/calendar.ts';
import { computeProcessMetrics, type ProcessMetrics } from '../../domain/forecast/process-metrics.ts';
import type { Policy } from '../../domain/policy/policy-schema.ts';
import type { SqlSession } from '../../store/store.ts';
import { loadPolicy } from '../policy-store.ts';
import { loadCsvHistory } from './load-csv-history.ts';
import { loadProcessHistory } from './load-process-history.ts';
import { loadStoreHistory } from './load-store-history.ts';
import {
  measureRetention,
  type RetentionDocument,
  retentionRows,
  type WithMoney,
  withMoney,
} from './measure-retention.ts';

export type MetricsRange = { from: CalendarDate; to: CalendarDate; asOf: CalendarDate };

/** Process metrics (timeline adherence, time per phase, team hours, stalls) with money as decimal strings. */
export type ProcessDocument = WithMoney<ProcessMetrics>;

/**
 * The metrics document: retention metrics, and process metrics where tasks and stage history are
 * known (the store; `null` for a CSV directory, which has neither).
 */
export type MetricsDocument = RetentionDocument & { process: ProcessDocument | null };

export async function metricsFromCsv({
  inputDir,
  policy,
  range,
}: {
  inputDir: string;
  policy: Policy;
  range: MetricsRange;
}): Promise<MetricsDocument & { warnings: string[] }> {
  const history = await loadCsvHistory({ inputDir });
  return { ...measureRetention({ history, policy, ...range }), process: null, warnings: history.warnings };
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
}): Promise<MetricsDocument> {
  const { policy } = await loadPolicy(session, tenantId);
  const history = await loadStoreHistory({ session, tenantId });
  const rows = await session.query<{ contract_id: string; save_play: boolean }>(
    `SELECT contract_id, (at_risk_since IS NOT NULL) AS save_play FROM renewals
      WHERE tenant_id = $1 AND evaluated_on IS NOT NULL`,
    [tenantId],
  );
  const savePlays = new Map(rows.map((row) => [row.contract_id, Boolean(row.save_play)]));
  const inputs = retentionRows({ history, policy, savePlays });
  const retention = measureRetention({ history, policy, ...range, savePlays, rows: inputs });
  const renewals = await loadProcessHistory({ session, tenantId, rows: inputs.map((input) => input.row) });
  const process = computeProcessMetrics({
    renewals,
    period: { start: range.from, end: range.to },
    asOf: range.asOf,
    policy: { effortBudgets: policy.effortBudgets },
  });
  return { ...retention, process: withMoney(process, policy.reportingCurrency) as ProcessDocument };
}
