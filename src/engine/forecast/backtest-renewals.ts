/**
 * `perennial backtest` use cases: replay on a CSV directory, and on the store either the stored
 * daily forecast snapshots (when there are any in the range) or a replay of the stored history.
 */
import type { CalendarDate } from '../../domain/calendar.ts';
import type { Policy } from '../../domain/policy/policy-schema.ts';
import type { SqlSession } from '../../store/store.ts';
import { loadPolicy } from '../policy-store.ts';
import { loadCsvHistory } from './load-csv-history.ts';
import { loadStoreHistory } from './load-store-history.ts';
import { type BacktestDocument, backtestDocument, replayBacktest, storedForecasts } from './run-backtest.ts';

export type BacktestRange = { from: CalendarDate; to: CalendarDate; asOf: CalendarDate; horizonDays: number };

export async function backtestCsv({
  inputDir,
  policy,
  range,
}: {
  inputDir: string;
  policy: Policy;
  range: BacktestRange;
}): Promise<BacktestDocument & { warnings: string[] }> {
  const history = await loadCsvHistory({ inputDir });
  return { ...replayBacktest({ history, policy, ...range }), warnings: history.warnings };
}

export async function backtestStore({
  session,
  tenantId,
  range,
  replay = false,
}: {
  session: SqlSession;
  tenantId: string;
  range: BacktestRange;
  /** Replay the history even when forecast snapshots exist. */
  replay?: boolean;
}): Promise<BacktestDocument> {
  const { policy } = await loadPolicy(session, tenantId);
  if (!replay) {
    const stored = await storedForecasts({ session, tenantId, policy, from: range.from, to: range.to });
    if (stored.model.length > 0) {
      return backtestDocument({
        source: 'snapshots',
        rows: stored,
        from: range.from,
        to: range.to,
        asOf: range.asOf,
        currency: policy.reportingCurrency,
        dates: stored.dates,
        horizonDays: null,
      });
    }
  }
  const history = await loadStoreHistory({ session, tenantId });
  return replayBacktest({ history, policy, ...range });
}
